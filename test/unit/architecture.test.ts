// The architecture rule (eslint.config.js, pikir/architecture) refuses the imports DESIGN.md forbids.
import { expect } from 'chai';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../server/lib/paths.js';

type Plugin = { rules: Record<string, unknown> };
const config = (await import(pathToFileURL(join(projectRoot, 'eslint.config.js')).href)) as { pikirPlugin: Plugin };

function lint(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { pikir: config.pikirPlugin as never }, rules: { 'pikir/architecture': 'error' } }], { filename: join(projectRoot, file) });
  return messages.map((m) => m.message);
}

describe('the architecture lint rule', () => {
  it('refuses analytics importing the submission service, and says why', () => {
    const [message] = lint('server/analytics/x.ts', "import { SubmissionService } from '../respond/submission.js';");
    expect(message).to.include('server/analytics/ may not import server/respond/submission.ts');
    expect(message).to.include('never imports respond or realtime');
  });

  it('refuses the other "never" rules: instruments → campaigns, lib → a feature, db → a feature, campaigns → analytics, responses → respond', () => {
    expect(lint('server/instruments/x.ts', "import { findCampaign } from '../campaigns/service.js';")).to.have.length(1);
    expect(lint('server/lib/x.ts', "import { org } from '../org/service.js';")).to.have.length(1);
    expect(lint('server/db/x.ts', "import { User } from '../accounts/model.js';")).to.have.length(1);
    expect(lint('server/campaigns/x.ts', "import { readTotals } from '../analytics/aggregates/store.js';")).to.have.length(1);
    expect(lint('server/responses/x.ts', "export { SubmissionService } from '../respond/submission.js';")).to.have.length(1);
    expect(lint('server/analytics/aggregates/x.ts', "const m = await import('../../realtime/publisher.js');")).to.have.length(1);
  });

  it('lets respond reach analytics only through the aggregate writer and its increments', () => {
    expect(lint('server/respond/x.ts', "import { unitIncrements } from '../analytics/aggregates/increments.js';\nimport type { AggregateWriter } from '../analytics/aggregates/writer.js';")).to.deep.equal([]);
    expect(lint('server/respond/x.ts', "import { Analytics } from '../analytics/service.js';")).to.have.length(1);
  });

  it('allows what the design allows, inside a folder, and in the composition root', () => {
    expect(lint('server/analytics/x.ts', "import { eachResponse } from '../responses/store.js';\nimport { gateItem } from './suppression.js';")).to.deep.equal([]);
    expect(lint('server/features.ts', "import { respondApiRouter } from './respond/api.js';")).to.deep.equal([]);
  });
});
