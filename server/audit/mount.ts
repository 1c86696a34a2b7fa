// Mounts the audit log's admin page and API (recordAudit in service.ts is how every feature writes it).
import type { Express, Router } from 'express';
import { auditApi } from './api.js';
import { auditPages } from './routes.js';

export function mountAudit(app: Express, api: Router): void {
  app.use(auditPages());
  auditApi(api);
}
