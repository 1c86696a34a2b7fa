// The audit log: recordAudit() for every administrative change, and the admin's page and API.
import type { Express, Router } from 'express';
import { auditApi, auditPages } from './routes.js';

export { recordAudit, recordAuditMany, changedFields, listAudit, type AuditInput, type AuditView } from './service.js';

export function mountAudit(app: Express, api: Router): void {
  app.use(auditPages());
  auditApi(api);
}
