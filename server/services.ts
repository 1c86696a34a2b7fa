// The app's stateful dependencies — the aggregate writer, the submission write queues, the analytics
// caches — built once per app and passed to routers, the socket server, start-up work and shutdown.
// Nothing of this lives in module variables: a test builds its own, and a second process is explicit.
// What does stay in modules are read-through caches of database state that are right for any number of
// apps and processes: published instrument versions (immutable), the org snapshot (checked against a
// version document), campaigns by id (5 s) and the public list (1 min). And one setting: the university's
// time zone (lib/dates.ts), a fact about the university that pure date functions everywhere need.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { AggregateWriter } from './analytics/aggregates/writer.js';
import { recomputeCampaign } from './analytics/aggregates/recompute.js';
import { Analytics } from './analytics/service.js';
import { SubmissionService } from './respond/submission.js';
import { UserChanges } from './accounts/changes.js';
import { CouncilChanges } from './councils/changes.js';
import { ResponseMixer } from './responses/mixer.js';
import { setTimeZone } from './lib/dates.js';
import { ReportsService } from './reports/service.js';
import { actionRegister, councilRecordsForReport, minutesForPrint } from './councils/reporting.js';
import { CredentialService } from './credentials/service.js';

export interface Services {
  config: Config;
  logger: Logger;
  /** Coalesces aggregate increments from the write path and flushes them by _id. */
  writer: AggregateWriter;
  /** Every figure, through the one gate; tells listeners when counts or figures changed. */
  analytics: Analytics;
  /** THE write path for answers. */
  submissions: SubmissionService;
  /** Account changes (role, scope, disabled) in this process, for open sockets. */
  users: UserChanges;
  /** Council records (meetings, actions) changed in this process, for open council pages. */
  councils: CouncilChanges;
  /** Rewrites each campaign's responses in random order after a mixing period (embedded store; bootstrap starts it). */
  mixer: ResponseMixer;
  /** Reports and exports: the PDF printer (one Chromium, started on first use) and the report job queue. */
  reports: ReportsService;
  /** Blind-signed response credentials: issuance claims (group-committed) and the public ledgers. */
  credentials: CredentialService;
}

export function createServices(config: Config, logger: Logger): Services {
  setTimeZone(config.timeZone);
  const writer: AggregateWriter = new AggregateWriter({ logger, rebuild: (campaign) => recomputeCampaign(writer, campaign) });
  const analytics = new Analytics({ config, logger, writer });
  const submissions = new SubmissionService({ config, writer });
  // Reports show the council's records (decisions, actions, minutes) through these functions, read with the
  // viewer's scope: reports never import the councils feature (eslint.config.js LAYERS).
  const councilRecords = {
    forReport: (actor: Parameters<typeof councilRecordsForReport>[1], input: Parameters<typeof councilRecordsForReport>[2]) => councilRecordsForReport(analytics, actor, input),
    register: (actor: Parameters<typeof actionRegister>[1], input: Parameters<typeof actionRegister>[2]) => actionRegister(analytics, actor, input),
    minutes: minutesForPrint,
  };
  const reports = new ReportsService({ config, logger, analytics, councils: councilRecords });
  const credentials = new CredentialService({ config, counts: (ids) => analytics.responseCounts(ids) });
  return { config, logger, writer, analytics, submissions, users: new UserChanges(), councils: new CouncilChanges(), mixer: new ResponseMixer({ config, logger }), reports, credentials };
}
