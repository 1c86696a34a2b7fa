// Mounts the structure pages (/org/…) and API.
import type { Express, Router } from 'express';
import { orgApi } from './api.js';
import { orgPages } from './routes.js';

export function mountOrg(app: Express, api: Router): void {
  app.use(orgPages());
  orgApi(api);
}
