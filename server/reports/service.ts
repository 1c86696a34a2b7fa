// The reports service: council reports (PDF), the aggregates (XLSX, CSV), the response-level data and the
// evidence pack, for one actor, from the analytics service only. One per app (services.ts): it owns the
// printer (one Chromium) and the job queue.
import type { Logger } from 'pino';
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import { getCampaign } from '../campaigns/service.js';
import type { Config } from '../config.js';
import type { Lang } from '../lib/i18n/index.js';
import { org } from '../org/service.js';
import { figuresCsv, figuresWorkbook } from './aggregates.js';
import type { CsvSeparator } from './cells.js';
import { collectCampaign } from './collect.js';
import { evidencePack } from './evidence.js';
import { ReportJobs, type JobFile, type JobView } from './jobs.js';
import { Printer } from './pdf.js';
import { councilChapter, printReport, type Render } from './report-pdf.js';
import type { CouncilRecords } from './council-records.js';
import { responsesCsv, responsesXlsx } from './response-files.js';
import { assertResponseLevelAllowed, responseLevel } from './responses.js';
import { translate } from '../lib/i18n/index.js';
import { notFound } from '../lib/errors.js';
import { figureRows } from './table.js';

export const MEDIA = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  zip: 'application/zip',
} as const;

/** The file name of a campaign's export: ASCII only (ids and the group key), so no browser mangles it. */
const fileName = (campaign: string, unit: string, what: string, ext: string) => `pikir-${campaign}-${unit.replace('~', '-')}-${what}.${ext}`;

export class ReportsService {
  readonly printer: Printer;
  readonly jobs: ReportJobs;
  /** How long a download link waits for its report job before answering 202 with the job (under the usual 30 s client timeouts). */
  downloadWaitMs = 20_000;

  constructor(private readonly deps: { config: Config; logger: Logger; analytics: Analytics; councils?: CouncilRecords }) {
    this.printer = new Printer({ executablePath: deps.config.chromiumPath, logger: deps.logger });
    this.jobs = new ReportJobs(deps.logger);
  }

  async figuresXlsx(actor: Actor, campaign: string, unit: string | undefined, lang: Lang): Promise<JobFile> {
    const collected = await collectCampaign(this.deps.analytics, actor, campaign, unit);
    return { name: fileName(campaign, collected.results.selected, 'figures', 'xlsx'), type: MEDIA.xlsx, body: await figuresWorkbook(collected, { generatedAt: new Date(), lang }) };
  }

  async figuresCsv(actor: Actor, campaign: string, unit: string | undefined, lang: Lang, separator: CsvSeparator): Promise<JobFile> {
    const collected = await collectCampaign(this.deps.analytics, actor, campaign, unit);
    return { name: fileName(campaign, collected.results.selected, 'figures', 'csv'), type: MEDIA.csv, body: Buffer.from(figuresCsv(figureRows(collected, lang), separator), 'utf8') };
  }

  /**
   * Queues the response-level data as CSV or XLSX. Who and when are checked now (403, 409 at once, no job);
   * the job reads every response ("read X of N"), then writes the file, kept in memory until fetched.
   */
  async startResponses(actor: Actor, input: { campaign: string; format: 'csv' | 'xlsx'; lang: Lang; separator?: CsvSeparator }): Promise<JobView> {
    const { analytics } = this.deps;
    const { lang, format } = input;
    const campaign = await assertResponseLevelAllowed(actor, input.campaign);
    const t = (key: string, values?: Record<string, number>) => translate(lang, key, values);
    return this.jobs.submit(actor.userId, 'responses', t('reports.job.queued'), async (job) => {
      // The bar: reading the responses (as many as the aggregates count) is its first half, writing the rows its second.
      let expected = (await analytics.responseCounts([campaign._id])).get(campaign._id) ?? 0;
      const reading = (read: number) => {
        expected = Math.max(expected, read);
        job.progress(t('reports.job.reading', { done: read, total: expected }), read, 2 * expected);
      };
      reading(0);
      const data = await responseLevel(analytics, actor, campaign._id, lang, reading);
      const writing = (written: number) => job.progress(t('reports.job.writing', { done: written, total: data.rowCount }), expected + (data.rowCount ? Math.round((written / data.rowCount) * expected) : expected), 2 * expected);
      writing(0);
      const body = format === 'csv' ? await responsesCsv(data, input.separator ?? 'comma', writing) : await responsesXlsx(data, lang, writing);
      return { name: fileName(campaign._id, 'university', 'responses', format), type: MEDIA[format], body };
    });
  }

  /** Queues a council report; its scope is checked now, so a refused one is refused at once (404). */
  async startReport(actor: Actor, input: { campaign: string; unit?: string; lang: Lang }, render: Render): Promise<JobView> {
    const { analytics } = this.deps;
    const results = await analytics.results(actor, (await getCampaign(actor, input.campaign))._id, { unit: input.unit });
    const t = (key: string) => translate(input.lang, key);
    return this.jobs.submit(actor.userId, 'report', t('reports.job.queued'), async (job) => {
      job.progress(t('reports.job.figures'), 0, 3);
      const collected = await collectCampaign(analytics, actor, input.campaign, results.selected);
      const council = await councilChapter(this.deps.councils, actor, collected, input.lang);
      job.progress(t('reports.job.printing'), 1, 3);
      const body = await printReport({ printer: this.printer, render }, collected, input.lang, council);
      return { name: fileName(input.campaign, collected.results.selected, 'report', 'pdf'), type: MEDIA.pdf, body };
    });
  }

  /** Queues an evidence pack; the programme must be in the actor's scope (404 at once otherwise). */
  async startEvidence(actor: Actor, input: { programme: string; year: string; lang: Lang }, render: Render): Promise<JobView> {
    await org.programmes.get(actor, input.programme);
    return this.jobs.submit(actor.userId, 'evidence', translate(input.lang, 'reports.job.queued'), (job) => evidencePack({ analytics: this.deps.analytics, printer: this.printer, render, councils: this.deps.councils }, { actor, ...input }, job));
  }

  /** The council's decisions and actions for the report page (undefined without council records). */
  councilChapter(actor: Actor, collected: Awaited<ReturnType<typeof collectCampaign>>, lang: Lang) {
    return councilChapter(this.deps.councils, actor, collected, lang);
  }

  /** Queues the minutes of a meeting as PDF, in the meeting's language; the meeting must be readable (404 at once otherwise). */
  async startMinutes(actor: Actor, meeting: string, render: Render): Promise<JobView> {
    const councils = this.deps.councils;
    if (!councils) throw notFound('This installation keeps no council records.');
    const minutes = await councils.minutes(actor, meeting);
    return this.jobs.submit(actor.userId, 'minutes', translate(minutes.lang, 'reports.job.queued'), async (job) => {
      job.progress(translate(minutes.lang, 'reports.job.printing'), 0, 1);
      const html = await render(minutes.view, { ...minutes.locals, layout: 'report', pdf: true, lang: minutes.lang });
      const body = await this.printer.print(html, { footer: minutes.title, pageOf: translate(minutes.lang, 'reports.pageOf', { page: 'PAGE', pages: 'PAGES' }) });
      return { name: `pikir-minutes-${meeting.replace(/[^A-Za-z0-9_-]/g, '')}.pdf`, type: MEDIA.pdf, body };
    });
  }

  async close(): Promise<void> {
    await this.jobs.settle();
    await this.printer.close();
  }
}
