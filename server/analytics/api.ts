// Results API: figures for a campaign within the caller's scope, all through the suppression gate.
import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import { apiRoute } from '../lib/api-route.js';
import { campaignParams, unitKeySchema } from '../lib/schemas.js';
import { forbidden } from '../lib/errors.js';
import { getCampaign } from '../campaigns/service.js';
import type { Analytics } from './service.js';

const params = campaignParams;
const query = z.object({ unit: unitKeySchema.optional() });

const METHOD =
  'n = responses on the item (not applicable counted apart); % agree = answers 4–5 / n with a 95% Wilson interval; ' +
  'mean ± 1.96·SE; NPS = % 9–10 − % 0–6 with a 95% interval; groups below k (and siblings whose difference would reveal them) are suppressed; ' +
  'while a campaign is open each group moves in steps of at least k responses. Comparisons: Mann–Whitney (group vs rest of its parent), Kruskal–Wallis / chi-square between visible subgroups, flagged at p < 0.05.';

export function analyticsApiRouter(analytics: Analytics): Router {
  const router = Router();
  apiRoute(router, { method: 'get', path: '/api/campaigns/:id/results', summary: 'Item figures of a campaign for one group and its context', description: METHOD, tags: ['results'], access: 'signed-in users, within their scope', params, query }, requireUser, async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof params>;
    const { unit } = res.locals.query as z.infer<typeof query>;
    res.json(await analytics.results(actorOf(res), id, { unit }));
  });
  apiRoute(router, { method: 'get', path: '/api/campaigns/:id/scales', summary: "Scale indices with Cronbach's alpha (flag below 0.70), masked comments and word frequencies for one group", tags: ['results'], access: 'signed-in users, within their scope', params, query }, requireUser, async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof params>;
    const { unit } = res.locals.query as z.infer<typeof query>;
    res.json(await analytics.scalesAndComments(actorOf(res), id, { unit }));
  });
  apiRoute(router, { method: 'get', path: '/api/campaigns/:id/trends', summary: '% agree per item across campaigns of the same instrument, each point with its interval', tags: ['results'], access: 'signed-in users, within their scope', params, query }, requireUser, async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof params>;
    const { unit } = res.locals.query as z.infer<typeof query>;
    res.json(await analytics.trends(actorOf(res), id, { unit }));
  });
  apiRoute(router, { method: 'post', path: '/api/campaigns/:id/recompute', summary: 'Rebuild the aggregates from raw responses and report whether they matched', tags: ['results'], access: 'admins', params }, requireRole('admin'), async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof params>;
    const actor = actorOf(res);
    if (actor.role !== 'admin') throw forbidden();
    await getCampaign(actor, id);
    res.json(await analytics.recompute(id));
  });
  return router;
}
