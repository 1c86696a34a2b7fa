// Where each feature's routers are mounted: pages on the app, JSON API routers on /api (without a prefix
// of their own: their paths are complete, e.g. /api/campaigns/:id, so the OpenAPI test can find them).
import type { Express, Router } from 'express';
import type { AppDeps } from './app.js';
import { homeRouter } from './home/routes.js';
import { respondApiRouter } from './respond/api.js';
import { respondentPagesRouter } from './respond/pages.js';

/** Middleware that must run before any feature route (sessions, CSRF). */
export function mountBeforeFeatures(_app: Express, _deps: AppDeps): void {
  // accounts: session + CSRF middleware go here
}

export function mountFeatures(app: Express, api: Router, deps: AppDeps): void {
  // accounts, org, instruments, campaigns, respond, analytics: one or two lines each
  app.use(homeRouter());
  app.use(respondentPagesRouter(deps.config));
  api.use(respondApiRouter(deps.config));
}
