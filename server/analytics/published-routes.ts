// Public summaries: no sign-in. /published lists the campaigns whose summaries the quality department
// has made public; /published/:id shows one, group by group, without JavaScript (tables, not charts).
import { Router } from 'express';
import { z } from 'zod';
import { listPublishedCampaigns } from '../campaigns/publishing.js';
import { formatDay, formatDayRange } from '../lib/dates.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import type { LocalizedText } from '../instruments/schema.js';
import { actorOf, requireRole } from '../accounts/session.js';
import { notFound } from '../lib/errors.js';
import { parseOrThrow } from '../lib/validate.js';
import { campaignParams, unitKeySchema } from '../lib/schemas.js';
import { MIN_PUBLISHED_RATE } from './published.js';
import type { CampaignResults } from './results.js';
import type { Analytics } from './service.js';
import { dashboardModel } from './view-model.js';
import { formatPercent } from './stats/index.js';

const params = campaignParams;
const query = z.object({ unit: unitKeySchema.optional().catch(undefined) });

/** "You said, we did": public actions answering a campaign (councils feature). */
export type PublicActions = (campaign: string) => Promise<{ text: LocalizedText; status: string }[]>;

export function publishedPagesRouter(analytics: Analytics, publicActions: PublicActions = () => Promise.resolve([])): Router {
  const router = Router();

  router.get('/published', async (_req, res) => {
    const lang = res.locals.lang as Lang;
    const campaigns = await listPublishedCampaigns();
    res.render('results/published-index', {
      titleKey: 'published.index.title',
      campaigns: campaigns.map((c) => ({ id: c._id, title: c.title[lang], year: c.academicYear, closed: formatDay(c.closesAt, lang) })),
    });
  });

  router.get('/published/:id', async (req, res) => {
    const lang = res.locals.lang as Lang;
    const parsed = params.safeParse(req.params);
    if (!parsed.success) throw notFound('There is no published summary with this address.');
    const { id } = parsed.data;
    const { unit } = parseOrThrow(query, req.query, 'query');
    const [results, done] = await Promise.all([analytics.published(id, { unit }), publicActions(id)]);
    res.render('results/published', { title: results.campaign.title[lang], ...publicPageModel(results, lang, `/published/${id}`, done) });
  });

  // Before publishing, the admin sees the page exactly as the public will, with what is withheld and why
  // counted at the top; the publish button is here (it posts to the campaign's /publish).
  router.get('/campaigns/:id/publish', requireRole('admin'), async (req, res) => {
    const lang = res.locals.lang as Lang;
    const parsed = params.safeParse(req.params);
    if (!parsed.success) throw notFound('There is no such campaign, or it is outside your scope.');
    const { id } = parsed.data;
    const { unit } = parseOrThrow(query, req.query, 'query');
    const [results, done] = await Promise.all([analytics.publicationPreview(actorOf(res), id, { unit }), publicActions(id)]);
    const model = publicPageModel(results, lang, `/campaigns/${id}/publish`, done);
    res.render('results/published', { title: translate(lang, 'published.preview.title', { title: results.campaign.title[lang] }), ...model, preview: previewSummary(model.units, lang, results.k, model.minRate) });
  });
  return router;
}

/** What the public page shows of gated public results; `base` is where the group links point. */
function publicPageModel(results: CampaignResults, lang: Lang, base: string, done: Awaited<ReturnType<PublicActions>>) {
  return {
    campaignId: results.campaign.id,
    unitBase: base,
    tablesOnly: true,
    // Below the published threshold even the campaign's total is not public.
    totalHidden: results.units.some((u) => u.level === 'university' && u.suppressed),
    minRate: formatPercent(MIN_PUBLISHED_RATE, lang),
    window: formatDayRange(new Date(results.campaign.opensAt), new Date(results.campaign.closesAt), lang),
    ...dashboardModel(results, lang),
    weDid: done.map((d) => ({ text: d.text[lang], done: d.status === 'done' })),
  };
}

/** The count at the top of the preview: which groups will be public, which withheld and why. */
function previewSummary(units: { name: string; suppressed: boolean; withheld: boolean }[], lang: Lang, k: number, minRate: string) {
  const shown = units.filter((u) => !u.suppressed && !u.withheld);
  const withheld = units.filter((u) => u.withheld).map((u) => u.name);
  const tooFew = units.filter((u) => u.suppressed).map((u) => u.name);
  return {
    nothing: shown.length === 0,
    shown: translate(lang, 'published.preview.shown', { shown: shown.length, total: units.length }),
    withheld: withheld.length ? translate(lang, 'published.preview.withheld', { n: withheld.length, rate: minRate }) : undefined,
    withheldNames: withheld,
    tooFew: tooFew.length ? translate(lang, 'published.preview.tooFew', { n: tooFew.length, k }) : undefined,
    tooFewNames: tooFew,
  };
}
