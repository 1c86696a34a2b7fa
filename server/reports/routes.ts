// Report pages: the printable council report (the page the PDF is printed from, and the fallback when the
// server has no Chromium: print it from the browser), the exports page that links every export of a
// campaign, and — for browsers without JavaScript — starting a report job (a council report, an evidence
// pack, the response-level data) and following it on its page.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { actorOf, requireUser } from '../accounts/session.js';
import type { Analytics } from '../analytics/service.js';
import { campaignUnits } from '../analytics/units.js';
import { effectiveStatus } from '../campaigns/model.js';
import { orgView } from '../campaigns/org-view.js';
import { getCampaign } from '../campaigns/service.js';
import type { Lang } from '../lib/i18n/index.js';
import { hasKey, translate } from '../lib/i18n/index.js';
import { campaignParams, langSchema, unitKeySchema } from '../lib/schemas.js';
import { academicYearSchema } from '../campaigns/dates.js';
import { unitId } from '../org/schemas.js';
import { parseOrThrow } from '../lib/validate.js';
import { org } from '../org/service.js';
import { AppError } from '../lib/errors.js';
import { collectCampaign } from './collect.js';
import { reportLocals } from './report-pdf.js';
import { renderer } from './api.js';
import { assertResponseLevelAllowed } from './responses.js';
import type { ReportsService } from './service.js';

/** Why a report job failed, in the page's language where the error has its text (the API's message is English). */
function errorText(lang: Lang, error: { code: string; message: string }): string {
  return hasKey(lang, `errors.${error.code}.text`) ? translate(lang, `errors.${error.code}.text`) : error.message;
}

/** The texts the exports page shows when a job cannot be started or fails (exports.js reads them by code). */
const JOB_ERRORS = ['too_many_jobs', 'pdf_unavailable', 'report_failed', 'not_found', 'unavailable', 'not_closed', 'live_figures_shown', 'aggregates_differ'];

// A malformed group in a page address falls back to the viewer's default group (as on the dashboard).
const query = z.object({ unit: unitKeySchema.optional().catch(undefined) });

export function reportPagesRouter(analytics: Analytics, reports: ReportsService): Router {
  const router = Router();
  const langOf = (res: Response) => res.locals.lang as Lang;

  router.get('/results/:id/report', requireUser, async (req, res) => {
    const { id } = parseOrThrow(campaignParams, req.params, 'address');
    const { unit } = parseOrThrow(query, req.query, 'query');
    const actor = actorOf(res);
    const collected = await collectCampaign(analytics, actor, id, unit);
    const council = await reports.councilChapter(actor, collected, langOf(res));
    res.render('reports/report', await reportLocals(collected, langOf(res), { pdf: false, council }));
  });

  router.get('/results/:id/exports', requireUser, async (req, res) => {
    const { id } = parseOrThrow(campaignParams, req.params, 'address');
    const { unit } = parseOrThrow(query, req.query, 'query');
    const actor = actorOf(res);
    const lang = langOf(res);
    const campaign = await getCampaign(actor, id);
    const results = await analytics.resultsFor(actor, campaign, { unit });
    const selected = results.units.find((u) => u.key === results.selected)!;
    const q = `unit=${encodeURIComponent(results.selected)}&lang=${lang}`;
    // Response-level data: admins, closed campaigns that never showed live figures; otherwise why not.
    let responses: { available: boolean; reason?: string } | undefined;
    if (actor.role === 'admin') {
      responses = await assertResponseLevelAllowed(actor, id).then(
        () => ({ available: true }),
        (err: unknown) => {
          if (err instanceof AppError && err.status === 409) return { available: false, reason: translate(lang, `reports.exports.responsesNot.${err.code}`) };
          throw err;
        },
      );
    }
    // The evidence pack: the programmes of this campaign the viewer may see, for the campaign's year.
    const programmeIds = new Set(campaignUnits(campaign, await orgView()).flatMap((u) => (u.programme ? [u.programme] : [])));
    const programmes = (await org.programmes.list(actor)).filter((p) => programmeIds.has(p.id)).map((p) => ({ id: p.id, label: `${p.code} ${p.name[lang]}` }));
    res.render('reports/exports', {
      title: `${campaign.title[lang]} · ${translate(lang, 'reports.exports.title')}`,
      scripts: ['/static/js/exports.js'],
      campaign: { id, title: campaign.title[lang], year: campaign.academicYear, status: effectiveStatus(campaign) },
      unit: { key: results.selected, name: selected.name[lang] },
      units: results.units.filter((u) => !u.suppressed).map((u) => ({ key: u.key, name: u.name[lang], selected: u.key === results.selected })),
      links: {
        report: `/results/${id}/report?${q}`,
        pdf: `/results/${id}/report/start?${q}`,
        xlsx: `/api/campaigns/${id}/figures.xlsx?${q}`,
        csv: `/api/campaigns/${id}/figures.csv?${q}`,
        csvSemicolon: `/api/campaigns/${id}/figures.csv?${q}&separator=semicolon`,
        responsesXlsx: `/results/${id}/responses/start?format=xlsx&lang=${lang}`,
        responsesCsv: `/results/${id}/responses/start?format=csv&lang=${lang}`,
      },
      responses,
      pdfAvailable: reports.printer.available,
      jobErrors: JSON.stringify(Object.fromEntries(JOB_ERRORS.map((code) => [code, errorText(lang, { code, message: '' })]))),
      programmes,
      k: results.k,
    });
  });

  // Without JavaScript the exports page starts a report job here and follows it on the job's page (with
  // JavaScript, exports.js does the same over the API and shows the progress in place).
  router.get('/results/:id/report/start', requireUser, async (req, res) => {
    const { id } = parseOrThrow(campaignParams, req.params, 'address');
    const { unit } = parseOrThrow(query, req.query, 'query');
    const job = await reports.startReport(actorOf(res), { campaign: id, unit, lang: langOf(res) }, renderer(req.app));
    res.redirect(303, `/reports/jobs/${job.id}`);
  });

  // The response-level data the same way: who and when are checked at once (403/409 on an error page).
  const responsesQuery = z.object({ format: z.enum(['csv', 'xlsx']), separator: z.enum(['comma', 'semicolon']).optional() });
  router.get('/results/:id/responses/start', requireUser, async (req, res) => {
    const { id } = parseOrThrow(campaignParams, req.params, 'address');
    const { format, separator } = parseOrThrow(responsesQuery, req.query, 'query');
    const job = await reports.startResponses(actorOf(res), { campaign: id, format, separator, lang: langOf(res) });
    res.redirect(303, `/reports/jobs/${job.id}`);
  });

  const evidenceQuery = z.object({ programme: unitId, year: academicYearSchema, lang: langSchema.optional() });
  router.get('/reports/evidence', requireUser, async (req, res) => {
    const { programme, year } = parseOrThrow(evidenceQuery, req.query, 'query');
    const job = await reports.startEvidence(actorOf(res), { programme, year, lang: langOf(res) }, renderer(req.app));
    res.redirect(303, `/reports/jobs/${job.id}`);
  });

  // A report job's page: its progress, refreshed every two seconds until the file is ready to download.
  const jobParams = z.object({ id: z.string().regex(/^j[0-9a-z]{20}$/, 'is not a report job id') });
  router.get('/reports/jobs/:id', requireUser, (req, res) => {
    const { id } = parseOrThrow(jobParams, req.params, 'address');
    const job = reports.jobs.get(actorOf(res).userId, id);
    const working = job.state === 'queued' || job.state === 'running';
    res.render('reports/job', { titleKey: `reports.job.title.${job.kind}`, job, working, refreshSeconds: working ? 2 : undefined, errorText: job.error ? errorText(langOf(res), job.error) : undefined });
  });

  return router;
}
