// Public summaries: no sign-in. /published lists the campaigns whose summaries the quality department
// has made public; /published/:id shows one, group by group, without JavaScript (tables, not charts).
import { Router } from 'express';
import { z } from 'zod';
import { listPublishedCampaigns } from '../campaigns/publishing.js';
import { formatDay, formatDayRange } from '../lib/dates.js';
import type { Lang } from '../lib/i18n/index.js';
import type { LocalizedText } from '../instruments/schema.js';
import { notFound } from '../lib/errors.js';
import { parseOrThrow } from '../lib/validate.js';
import { campaignParams, unitKeySchema } from '../lib/schemas.js';
import { MIN_PUBLISHED_RATE } from './published.js';
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
    res.render('results/published', {
      title: results.campaign.title[lang],
      campaignId: results.campaign.id,
      tablesOnly: true,
      // Below the published threshold even the campaign's total is not public.
      totalHidden: results.units.some((u) => u.level === 'university' && u.suppressed),
      minRate: formatPercent(MIN_PUBLISHED_RATE, lang),
      window: formatDayRange(new Date(results.campaign.opensAt), new Date(results.campaign.closesAt), lang),
      ...dashboardModel(results, lang),
      weDid: done.map((d) => ({ text: d.text[lang], done: d.status === 'done' })),
    });
  });
  return router;
}
