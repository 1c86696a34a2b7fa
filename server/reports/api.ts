// Reports and exports API: files with their media types (OpenAPI says which), and report jobs with their
// progress. Every figure in them comes from analytics for the caller, within their scope (service.ts).
import type { Application, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import { academicYearSchema } from '../campaigns/dates.js';
import { apiRoute } from '../lib/api-route.js';
import type { Lang } from '../lib/i18n/index.js';
import { campaignParams, langSchema, unitKeySchema } from '../lib/schemas.js';
import { unitId } from '../org/schemas.js';
import type { JobFile, JobView } from './jobs.js';
import type { Render } from './report-pdf.js';
import { MEDIA, type ReportsService } from './service.js';

const fileQuery = z.object({ unit: unitKeySchema.optional(), lang: langSchema.optional() });
const csvQuery = fileQuery.extend({ separator: z.enum(['comma', 'semicolon']).optional().describe('comma (RFC 4180), or semicolon with decimal commas as Excel opens CSV in Kazakh and Russian locales') });
const responsesQuery = z.object({ lang: langSchema.optional(), separator: csvQuery.shape.separator });
const evidenceParams = z.object({ id: unitId });
const meetingParams = z.object({ id: z.string().regex(/^mtg[0-9a-z]{14}$/, 'is not a meeting id') });
const evidenceQuery = z.object({ year: academicYearSchema, lang: langSchema.optional() });
const jobParams = z.object({ id: z.string().regex(/^j[0-9a-z]{20}$/, 'is not a report job id') });
const jobBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('report'), campaign: campaignParams.shape.id, unit: unitKeySchema.optional(), lang: langSchema.optional() }),
  z.strictObject({ kind: z.literal('evidence'), programme: unitId, year: academicYearSchema, lang: langSchema.optional() }),
  z.strictObject({ kind: z.literal('responses'), campaign: campaignParams.shape.id, format: z.enum(['csv', 'xlsx']), separator: csvQuery.shape.separator, lang: langSchema.optional() }),
]);
const jobView = z.object({
  id: z.string(),
  kind: z.enum(['report', 'evidence', 'minutes', 'responses']),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.object({ done: z.number().int(), total: z.number().int(), step: z.string() }),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  file: z.object({ name: z.string(), type: z.string(), size: z.number().int(), url: z.string() }).optional(),
  createdAt: z.string(),
});

const RESULTS = 'signed-in users, within their scope (as the dashboards)';
const common = { tags: ['reports'] };

/** Sends a file as a download (its name ASCII, so every browser keeps it). */
export function sendFile(res: Response, file: JobFile): void {
  res.set('Content-Disposition', `attachment; filename="${file.name}"`).type(file.type).send(file.body);
}

/** A report job's file if it is ready within reports.downloadWaitMs (20 s), else 202 with the job (poll it: Location). */
async function sendWhenReady(res: Response, reports: ReportsService, owner: string, job: JobView): Promise<void> {
  const file = await reports.jobs.resultWithin(owner, job.id, reports.downloadWaitMs);
  if (file) return sendFile(res, file);
  res.status(202).location(`/api/report-jobs/${job.id}`).json(reports.jobs.get(owner, job.id));
}

const stillMaking = [{ status: 202, description: 'Still being made after 20 s: the report job, to poll at the Location given (its file appears under file.url)', response: jobView }];

/** app.render as a promise: the report pages rendered outside a request (for the printer). */
export function renderer(app: Application): Render {
  return (view, locals) => new Promise((resolve, reject) => app.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))));
}

export function reportsApi(api: Router, reports: ReportsService): void {
  const langOf = (res: Response) => res.locals.lang as Lang;

  apiRoute(api, { ...common, method: 'get', path: '/api/campaigns/:id/figures.xlsx', summary: 'The figures of a campaign at one group and every group below it, one row per unit × item × figure with n and interval bounds, comparisons, trends, comments, and a sheet explaining each column (XLSX)', access: RESULTS, params: campaignParams, query: fileQuery, produces: MEDIA.xlsx }, requireUser, async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof campaignParams>;
    const { unit } = res.locals.query as z.infer<typeof fileQuery>;
    sendFile(res, await reports.figuresXlsx(actorOf(res), id, unit, langOf(res)));
  });

  apiRoute(api, { ...common, method: 'get', path: '/api/campaigns/:id/figures.csv', summary: 'The figures table of the XLSX as CSV (UTF-8 with BOM)', access: RESULTS, params: campaignParams, query: csvQuery, produces: MEDIA.csv }, requireUser, async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof campaignParams>;
    const { unit, separator } = res.locals.query as z.infer<typeof csvQuery>;
    sendFile(res, await reports.figuresCsv(actorOf(res), id, unit, langOf(res), separator ?? 'comma'));
  });

  // Response-level data: the checks (admin, closed, counts only while open) answer 403/409 at once; the file
  // is made by a report job, as it reads every response of the campaign first.
  const responsesJob = (format: 'csv' | 'xlsx'): RequestHandler => async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof campaignParams>;
    const { separator } = res.locals.query as z.infer<typeof responsesQuery>;
    const actor = actorOf(res);
    const job = await reports.startResponses(actor, { campaign: id, format, lang: langOf(res), separator });
    await sendWhenReady(res, reports, actor.userId, job);
  };

  apiRoute(api, { ...common, method: 'get', path: '/api/campaigns/:id/responses.xlsx', summary: 'Anonymous response-level data of a closed campaign that showed counts only while open: each row a response (its unit and coded answers; no day, language, id or open text), only groups the gate shows, rows sorted by content (XLSX). Made by a report job (it reads every response first): this waits up to 20 s for it, then answers 202 with the job; 403 and 409 come at once', access: 'admins', params: campaignParams, query: responsesQuery, produces: MEDIA.xlsx, otherResponses: stillMaking }, requireRole('admin'), responsesJob('xlsx'));

  apiRoute(api, { ...common, method: 'get', path: '/api/campaigns/:id/responses.csv', summary: 'The response-level data as CSV (UTF-8 with BOM). Made by a report job: this waits up to 20 s for it, then answers 202 with the job', access: 'admins', params: campaignParams, query: responsesQuery, produces: MEDIA.csv, otherResponses: stillMaking }, requireRole('admin'), responsesJob('csv'));

  apiRoute(api, { ...common, method: 'get', path: '/api/campaigns/:id/report.pdf', summary: 'The council report of a campaign at one group (A4 PDF: response rates, every item and scale with n, distributions, intervals, comparisons, trends, comments, hidden groups marked). Made by a report job: this waits up to 20 s for it, then answers 202 with the job', access: RESULTS, params: campaignParams, query: fileQuery, produces: MEDIA.pdf, otherResponses: stillMaking }, requireUser, async (req, res) => {
    const { id } = res.locals.params as z.infer<typeof campaignParams>;
    const { unit } = res.locals.query as z.infer<typeof fileQuery>;
    const actor = actorOf(res);
    const job = await reports.startReport(actor, { campaign: id, unit, lang: langOf(res) }, renderer(req.app));
    await sendWhenReady(res, reports, actor.userId, job);
  });

  apiRoute(api, { ...common, method: 'get', path: '/api/programmes/:id/evidence.zip', summary: "A programme's evidence pack for one academic year (ZIP: questionnaires and council reports as PDF, figures as XLSX, the survey plan with response rates, the council's action register with follow-up). Made by a report job: this waits up to 20 s for it, then answers 202 with the job", access: 'signed-in users who may see the programme', params: evidenceParams, query: evidenceQuery, produces: MEDIA.zip, otherResponses: stillMaking }, requireUser, async (req, res) => {
    const { id } = res.locals.params as z.infer<typeof evidenceParams>;
    const { year } = res.locals.query as z.infer<typeof evidenceQuery>;
    const actor = actorOf(res);
    const job = await reports.startEvidence(actor, { programme: id, year, lang: langOf(res) }, renderer(req.app));
    await sendWhenReady(res, reports, actor.userId, job);
  });

  apiRoute(api, { ...common, method: 'get', path: '/api/meetings/:id/minutes.pdf', summary: "A council meeting's minutes as PDF (A4, page numbers), in the meeting's language: attendance and quorum, agenda with frozen results, decisions, actions (made by a report job: 202 with the job after 20 s)", access: 'those who may read the meeting (admins, council members and viewers of its faculty)', params: meetingParams, produces: MEDIA.pdf, otherResponses: stillMaking }, requireUser, async (req, res) => {
    const { id } = res.locals.params as z.infer<typeof meetingParams>;
    const actor = actorOf(res);
    const job = await reports.startMinutes(actor, id, renderer(req.app));
    await sendWhenReady(res, reports, actor.userId, job);
  });

  apiRoute(api, { ...common, method: 'post', path: '/api/report-jobs', summary: 'Start a council report (PDF), an evidence pack (ZIP) or the response-level data (CSV or XLSX) in the background; poll the job for its progress', access: `${RESULTS}; response-level data: admins`, body: jobBody, response: jobView, status: 202 }, requireUser, async (req, res) => {
    const body = res.locals.body as z.infer<typeof jobBody>;
    const actor = actorOf(res);
    const lang = body.lang ?? langOf(res);
    const job =
      body.kind === 'report'
        ? await reports.startReport(actor, { campaign: body.campaign, unit: body.unit, lang }, renderer(req.app))
        : body.kind === 'evidence'
          ? await reports.startEvidence(actor, { programme: body.programme, year: body.year, lang }, renderer(req.app))
          : await reports.startResponses(actor, { campaign: body.campaign, format: body.format, separator: body.separator, lang });
    res.status(202).json(job);
  });

  apiRoute(api, { ...common, method: 'get', path: '/api/report-jobs/:id', summary: 'A report job of yours: its state and progress, and its file once done', access: 'the account that started it', params: jobParams, response: jobView }, requireUser, (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof jobParams>;
    res.json(reports.jobs.get(actorOf(res).userId, id));
  });

  apiRoute(api, { ...common, method: 'get', path: '/api/report-jobs/:id/file', summary: "A finished report job's file (409 while it is being made)", access: 'the account that started it', params: jobParams, produces: [MEDIA.pdf, MEDIA.zip, MEDIA.xlsx, MEDIA.csv] }, requireUser, (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof jobParams>;
    sendFile(res, reports.jobs.file(actorOf(res).userId, id));
  });
}
