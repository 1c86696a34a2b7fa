// Where each feature's routers are mounted: pages on the app, JSON API routers on /api (without a prefix
// of their own: their paths are complete, e.g. /api/campaigns/:id, so the OpenAPI test can find them).
import { Router, type Express, type RequestHandler } from 'express';
import type { AppDeps } from './app.js';
import { homeRouter } from './home/routes.js';
import { mountAccounts, mountAccountsMiddleware } from './accounts/mount.js';
import { refuseCrossSite } from './accounts/csrf.js';
import { mountAudit } from './audit/mount.js';
import type { NamesOf } from './audit/describe.js';
import type { Lang } from './lib/i18n/index.js';
import { userNames } from './accounts/names.js';
import { campaignNames } from './campaigns/names.js';
import { instrumentNames } from './instruments/names.js';
import { unitNames } from './org/names.js';
import { councilNames } from './councils/names.js';
import { mountCampaigns } from './campaigns/mount.js';
import { mountCredentials } from './credentials/mount.js';
import { mountInvitations } from './invitations/mount.js';
import { mountOrg } from './org/mount.js';
import { instrumentsApiRouter } from './instruments/api.js';
import { instrumentPagesRouter } from './instruments/routes.js';
import { respondApiRouter } from './respond/api.js';
import { analyticsApiRouter } from './analytics/api.js';
import { resultsPagesRouter } from './analytics/routes.js';
import { publishedPagesRouter } from './analytics/published-routes.js';
import { mountReports } from './reports/mount.js';
import { respondentPagesRouter } from './respond/routes.js';
import { agendaTargets, attentionFor, mountCouncils, overdueActions, publicActionsFor } from './councils/mount.js';

/**
 * The respondent submission API, mounted right after the security headers: it needs only its JSON body
 * and the cross-site refusal, not cookies, sessions or form tokens (the respondent pages post forms and
 * are mounted with the other features).
 */
export function mountAnonymousApi(app: Express, json: RequestHandler, deps: AppDeps): void {
  const api = Router();
  api.use(respondApiRouter(deps.submissions, deps.credentials));
  app.use('/api/respond', refuseCrossSite(deps.config), json);
  app.use('/api', api);
}

/** Middleware that must run before any feature route (sessions, CSRF). */
export function mountBeforeFeatures(app: Express, deps: AppDeps): void {
  mountAccountsMiddleware(app, deps.config);
}

export function mountFeatures(app: Express, api: Router, deps: AppDeps): void {
  // The respondent pages come first: they are the hot path, and Express tries routes in order.
  app.use(respondentPagesRouter(deps.config, deps.submissions, deps.credentials, (campaign) => publicActionsFor({ nextWave: campaign })));
  app.use(homeRouter(deps.config, (ids) => deps.analytics.responseCounts(ids), attentionFor));
  mountAccounts(app, api, deps);
  mountOrg(app, api, async (actor, unit) => (await overdueActions(actor, unit)).map((a) => ({ id: a._id, title: a.title, dueOn: a.dueOn })));
  mountAudit(app, api, auditNames);
  app.use(instrumentPagesRouter());
  api.use(instrumentsApiRouter());
  mountCampaigns(
    app,
    api,
    deps.config,
    (ids) => deps.analytics.responseCounts(ids),
    async (actor, campaign) => (await deps.analytics.resultsFor(actor, campaign)).units,
  );
  mountInvitations(app, api, deps.config);
  api.use(analyticsApiRouter(deps.analytics));
  app.use(resultsPagesRouter(deps.analytics, agendaTargets));
  app.use(publishedPagesRouter(deps.analytics, (campaign) => publicActionsFor({ campaign })));
  mountCredentials(app, api, deps.credentials);
  mountCouncils(app, api, deps.analytics, deps.councils);
  mountReports(app, api, deps.analytics, deps.reports);
}

/** Names for the ids audit entries refer to: each feature names its own ids (audit imports none of them). */
const auditNames: NamesOf = async (ids) => {
  const parts = await Promise.all([unitNames(ids), campaignNames(ids), instrumentNames(ids), userNames(ids), councilNames(ids)]);
  return new Map<string, string | Record<Lang, string>>(parts.flatMap((m) => [...m]));
};
