// Mounts the structure pages (/org/…) and API.
import type { Express, Router } from 'express';
import { orgApi } from './api.js';
import { orgPages, type OverdueActions } from './routes.js';

export function mountOrg(app: Express, api: Router, overdueActions?: OverdueActions): void {
  app.use(orgPages(overdueActions));
  orgApi(api);
}
