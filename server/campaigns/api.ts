// The campaigns JSON API: /api/campaigns (list, create, read, replace, open, close, QR codes, slip tokens)
// and /api/plan (the survey plan of an academic year). Scope and roles are checked by the services.
import type { Response, Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import type { Config } from '../config.js';
import { apiRoute } from '../lib/api-route.js';
import { isoDateTime } from '../lib/iso-date.js';
import { namedSchema } from '../lib/openapi.js';
import { campaignIdSchema } from '../lib/schemas.js';
import { segmentSchema } from '../responses/segment.js';
import { academicYearOf, academicYearSchema } from './dates.js';
import { AUDIENCE_KINDS, CAMPAIGN_STATUSES, effectiveStatus, type CampaignDoc } from './model.js';
import { usesBlindCredentials } from './blind.js';
import { LIVE_RESULTS } from './live-results.js';
import { surveyPlan } from './plan.js';
import { campaignProgress, progressMany, type Progress, type ResponseCounts } from './progress.js';
import { openLinkUrl, qrPng, qrSvg } from './qr.js';
import { campaignInput, createCampaign, getCampaign, listCampaigns, setCampaignStatus, updateCampaign, type CampaignInput } from './service.js';
import { issueSlips, MAX_SLIPS } from './slips.js';
import { setSummaryPublished } from './publishing.js';

const idParams = z.object({ id: campaignIdSchema });

const text = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
const targetFromOut = z.enum(['enrolment', 'explicit']).describe('enrolment: the sum of the audience\u2019s cohort sizes (its units\u2019 targets); explicit: the target the campaign states (audiences without enrolment)');
const progressOut = z.object({ n: z.number().int(), target: z.number().int().describe('0 = unknown'), targetFrom: targetFromOut, rate: z.number().nullable() });
export const campaignOut = namedSchema(
  'Campaign',
  z.object({
    id: z.string(),
    title: text,
    instrument: z.object({ id: z.string(), version: z.number().int() }),
    audience: z.object({ kind: z.enum(AUDIENCE_KINDS), ids: z.array(z.string()) }),
    faculties: z.array(z.string()),
    programmes: z.array(z.string()),
    academicYear: z.string(),
    opensAt: isoDateTime,
    closesAt: isoDateTime,
    status: z.enum(CAMPAIGN_STATUSES).describe('as set by hand'),
    state: z.enum(['draft', 'scheduled', 'open', 'closed']).describe('status at this moment, with the window applied'),
    ownerId: z.string(),
    targetSize: z.number().int().describe('the target population: the enrolment of the audience (targetFrom "enrolment") or the stated target; 0 = unknown'),
    targetFrom: targetFromOut,
    linkId: z.string(),
    link: z.string().describe('the open link, for posters and QR codes'),
    openLinkEnabled: z.boolean(),
    openLinkCap: z.number().int(),
    createdAt: isoDateTime,
    publishedAt: isoDateTime.nullable().describe('when the summary was made public at /published/<id>; null = not public'),
    liveResults: z.enum(LIVE_RESULTS).nullable().describe('while open: "counts" (responses per group only) or "figures" (live figures in steps of at least k per group); null = the instrument default (counts for sensitive instruments)'),
    blindCredentials: z.boolean().describe('responses need a blind-signed credential (RFC 9474) obtained with a token, never the token itself; public verification at /credentials/<id>'),
    responses: progressOut,
  }),
);
export type CampaignOut = z.infer<typeof campaignOut>;

export function toCampaignOut(config: Pick<Config, 'baseUrl'>, c: CampaignDoc, responses: Progress): CampaignOut {
  return {
    id: c._id,
    title: { kk: c.title.kk, ru: c.title.ru, en: c.title.en },
    instrument: { id: c.instrument.id, version: c.instrument.version },
    audience: { kind: c.audience.kind, ids: [...c.audience.ids] },
    faculties: [...c.faculties],
    programmes: [...c.programmes],
    academicYear: c.academicYear,
    opensAt: c.opensAt.toISOString(),
    closesAt: c.closesAt.toISOString(),
    status: c.status,
    state: effectiveStatus(c),
    ownerId: c.ownerId,
    targetSize: responses.target,
    targetFrom: responses.targetFrom,
    linkId: c.linkId,
    link: openLinkUrl(config, c.linkId),
    openLinkEnabled: c.openLinkEnabled,
    openLinkCap: c.openLinkCap,
    createdAt: c.createdAt.toISOString(),
    publishedAt: c.publishedAt ? c.publishedAt.toISOString() : null,
    liveResults: c.liveResults ?? null,
    blindCredentials: usesBlindCredentials(c),
    responses,
  };
}

const planCampaignOut = z.object({
  id: z.string(),
  title: text,
  instrument: z.object({ id: z.string(), version: z.number().int() }),
  audienceKind: z.enum(AUDIENCE_KINDS),
  status: z.enum(CAMPAIGN_STATUSES),
  state: z.enum(['draft', 'scheduled', 'open', 'closed']),
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  opensOn: z.iso.date().describe('the opening day in the university\u2019s time (UTC+5)'),
  closesOn: z.iso.date().describe('the closing day in the university\u2019s time (UTC+5)'),
  responses: progressOut,
});
const planOut = z.object({
  year: academicYearSchema,
  months: z.array(z.string()).describe('"2025-09" … "2026-08"'),
  rows: z.array(
    z.object({
      faculty: z.object({ id: z.string(), code: z.string(), name: text }).nullable().describe('null: university-wide campaigns'),
      months: z.array(z.object({ month: z.string(), campaigns: z.array(planCampaignOut) })),
      count: z.number().int(),
    }),
  ),
  total: z.number().int(),
});

const tokensBody = z.strictObject({
  count: z.number().int().min(1).max(MAX_SLIPS),
  segment: segmentSchema.default({}).describe('where responses given with these tokens count; a cohort fills its programme and faculty'),
});

const READ = 'signed-in users; each sees the campaigns that touch their faculties or programmes (others answer 404)';
const ADMIN = 'admin (the quality-assurance department)';
const common = { tags: ['campaigns'] };

const idOf = (res: Response) => (res.locals.params as { id: string }).id;

export function campaignsApi(api: Router, config: Config, counts: ResponseCounts): void {
  const out = async (c: CampaignDoc) => toCampaignOut(config, c, await campaignProgress(counts, c));

  apiRoute(
    api,
    {
      ...common,
      method: 'get',
      path: '/api/campaigns',
      summary: 'List the campaigns in your scope, newest first',
      access: READ,
      query: z.object({ year: academicYearSchema.optional(), status: z.enum(CAMPAIGN_STATUSES).optional() }),
      response: z.object({ items: z.array(campaignOut) }),
    },
    requireUser,
    async (_req, res) => {
      const query = res.locals.query as { year?: string; status?: string };
      const items = (await listCampaigns(actorOf(res), { academicYear: query.year })).filter((c) => !query.status || c.status === query.status);
      const progress = await progressMany(counts, items);
      res.json({ items: items.map((c) => toCampaignOut(config, c, progress.get(c._id)!)) });
    },
  );

  apiRoute(
    api,
    { ...common, method: 'post', path: '/api/campaigns', summary: 'Create a campaign (as a draft)', access: ADMIN, body: campaignInput, response: campaignOut, status: 201 },
    requireRole('admin'),
    async (_req, res) => {
      res.status(201).json(await out(await createCampaign(actorOf(res), res.locals.body as CampaignInput)));
    },
  );

  apiRoute(api, { ...common, method: 'get', path: '/api/campaigns/:id', summary: 'One campaign, with its response count and rate', access: READ, params: idParams, response: campaignOut }, requireUser, async (_req, res) => {
    res.json(await out(await getCampaign(actorOf(res), idOf(res))));
  });

  apiRoute(
    api,
    {
      ...common,
      method: 'put',
      path: '/api/campaigns/:id',
      summary: 'Replace a campaign\u2019s settings',
      description: 'The instrument version of a campaign that has opened cannot change (409).',
      access: ADMIN,
      params: idParams,
      body: campaignInput,
      response: campaignOut,
    },
    requireRole('admin'),
    async (_req, res) => {
      res.json(await out(await updateCampaign(actorOf(res), idOf(res), res.locals.body as CampaignInput)));
    },
  );

  apiRoute(
    api,
    { ...common, method: 'post', path: '/api/campaigns/:id/open', summary: 'Open a campaign (responses are accepted inside its window)', access: ADMIN, params: idParams, response: campaignOut },
    requireRole('admin'),
    async (_req, res) => {
      res.json(await out(await setCampaignStatus(actorOf(res), idOf(res), 'open')));
    },
  );

  apiRoute(
    api,
    { ...common, method: 'post', path: '/api/campaigns/:id/close', summary: 'Close a campaign (no more responses; it cannot reopen)', access: ADMIN, params: idParams, response: campaignOut },
    requireRole('admin'),
    async (_req, res) => {
      res.json(await out(await setCampaignStatus(actorOf(res), idOf(res), 'closed')));
    },
  );

  apiRoute(
    api,
    {
      ...common,
      method: 'put',
      path: '/api/campaigns/:id/published',
      summary: 'Make the summary of a closed campaign public, or take it down',
      description: `Public figures use the published threshold (PUBLISHED_K, ${config.publishedK}) and leave out groups whose response rate is below 50 %; comments are never public. 409 while the campaign is not closed.`,
      access: ADMIN,
      params: idParams,
      body: z.strictObject({ published: z.boolean() }),
      response: campaignOut,
    },
    requireRole('admin'),
    async (_req, res) => {
      const { published } = res.locals.body as { published: boolean };
      res.json(await out(await setSummaryPublished(actorOf(res), idOf(res), published)));
    },
  );

  const qrQuery = z.object({ download: z.enum(['1', 'true']).optional() });
  const sendQr = (res: Response, c: CampaignDoc, ext: 'png' | 'svg', download: boolean) => {
    res.set('Cache-Control', 'private, max-age=300');
    if (download) res.attachment(`pikir-${c._id}-qr.${ext}`);
  };
  apiRoute(
    api,
    { ...common, method: 'get', path: '/api/campaigns/:id/qr.png', summary: 'QR code of the open link (PNG, 1200 px)', access: READ, params: idParams, query: qrQuery, produces: 'image/png' },
    requireUser,
    async (_req, res) => {
      const c = await getCampaign(actorOf(res), idOf(res));
      sendQr(res, c, 'png', Boolean((res.locals.query as { download?: string }).download));
      res.type('image/png').send(await qrPng(openLinkUrl(config, c.linkId)));
    },
  );
  apiRoute(
    api,
    { ...common, method: 'get', path: '/api/campaigns/:id/qr.svg', summary: 'QR code of the open link (SVG)', access: READ, params: idParams, query: qrQuery, produces: 'image/svg+xml' },
    requireUser,
    async (_req, res) => {
      const c = await getCampaign(actorOf(res), idOf(res));
      sendQr(res, c, 'svg', Boolean((res.locals.query as { download?: string }).download));
      res.type('image/svg+xml').send(await qrSvg(openLinkUrl(config, c.linkId)));
    },
  );

  apiRoute(
    api,
    {
      ...common,
      method: 'post',
      path: '/api/campaigns/:id/tokens',
      summary: 'Issue single-use tokens (for printed slips)',
      description: 'The tokens are returned once, in this response; only their hashes are stored, so they cannot be shown again. Respondents open /t/<token>.',
      access: ADMIN,
      params: idParams,
      body: tokensBody,
      response: z.object({ tokens: z.array(z.string()), segment: segmentSchema, urls: z.array(z.string()) }),
      status: 201,
    },
    requireRole('admin'),
    async (_req, res) => {
      const body = res.locals.body as z.infer<typeof tokensBody>;
      const { tokens, segment } = await issueSlips(actorOf(res), idOf(res), body.count, body.segment);
      res.set('Cache-Control', 'no-store');
      res.status(201).json({ tokens, segment, urls: tokens.map((t) => `${config.baseUrl}/t/${t}`) });
    },
  );

  apiRoute(
    api,
    {
      ...common,
      method: 'get',
      path: '/api/plan',
      summary: 'The survey plan of an academic year: campaigns by faculty and opening month',
      access: READ,
      query: z.object({ year: academicYearSchema.optional().describe('defaults to the current academic year') }),
      response: planOut,
    },
    requireUser,
    async (_req, res) => {
      const { year } = res.locals.query as { year?: string };
      res.json(await surveyPlan(actorOf(res), year ?? academicYearOf(new Date()), counts));
    },
  );
}

