// Mounts the invitations feature: its pages on the app and its JSON API on /api.
import type { Express, Router } from 'express';
import type { Config } from '../config.js';
import { invitationsApi } from './api.js';
import { rosterPagesRouter } from './roster-routes.js';
import { invitationPagesRouter } from './routes.js';

export function mountInvitations(app: Express, api: Router, config: Config): void {
  invitationsApi(api, config);
  app.use(rosterPagesRouter(config));
  app.use(invitationPagesRouter(config));
}
