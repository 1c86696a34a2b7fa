import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hasKey, LANGUAGES } from '../../server/lib/i18n/index.js';
import { projectRoot } from '../../server/lib/paths.js';

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : name.endsWith(ext) ? [path] : [];
  });
}

describe('interface strings used by the templates and the server', () => {
  it('exist in kk, ru and en (a literal key used anywhere resolves in every catalogue)', () => {
    const used = new Set<string>();
    for (const file of files(join(projectRoot, 'views'), '.hbs')) for (const m of readFileSync(file, 'utf8').matchAll(/\{\{t\s+"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
    for (const file of files(join(projectRoot, 'server'), '.ts')) for (const m of readFileSync(file, 'utf8').matchAll(/translate\([^,]+,\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]!);
    expect(used.size).to.be.greaterThan(100);
    const missing = [...used].flatMap((key) => LANGUAGES.filter((lang) => !hasKey(lang, key)).map((lang) => `${lang}: ${key}`));
    expect(missing).to.deep.equal([]);
  });
});
