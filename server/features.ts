// Where each feature's routers are mounted: pages on the app, JSON API routers on /api (without a prefix
// of their own: their paths are complete, e.g. /api/campaigns/:id, so the OpenAPI test can find them).
import type { Express, Router } from 'express';
import type { AppDeps } from './app.js';
import { homeRouter } from './home/routes.js';
import { mountAccounts, mountAccountsMiddleware } from './accounts/index.js';
import { mountAudit } from './audit/index.js';
import { mountCampaigns } from './campaigns/index.js';
import { mountInvitations } from './invitations/index.js';
import { mountOrg } from './org/index.js';
import { instrumentsApiRouter } from './instruments/api.js';
import { instrumentPagesRouter } from './instruments/routes.js';
import { respondApiRouter } from './respond/api.js';
import { analyticsApiRouter } from './analytics/api.js';
import { resultsPagesRouter } from './analytics/pages.js';
import { respondentPagesRouter } from './respond/pages.js';

/** Middleware that must run before any feature route (sessions, CSRF). */
export function mountBeforeFeatures(app: Express, deps: AppDeps): void {
  mountAccountsMiddleware(app, deps.config);
}

export function mountFeatures(app: Express, api: Router, deps: AppDeps): void {
  // The respondent routes come first: they are the hot path, and Express tries routes in order.
  api.use(respondApiRouter(deps.config));
  app.use(respondentPagesRouter(deps.config));
  app.use(homeRouter());
  mountAccounts(app, api);
  mountOrg(app, api);
  mountAudit(app, api);
  app.use(instrumentPagesRouter());
  api.use(instrumentsApiRouter());
  mountCampaigns(app, api, deps.config);
  mountInvitations(app, api, deps.config);
  api.use(analyticsApiRouter(deps.config));
  app.use(resultsPagesRouter(deps.config));
}
