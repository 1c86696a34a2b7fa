// Mounts the audit log's admin page and API (recordAudit in service.ts is how every feature writes it).
// `namesOf` names the ids entries refer to; the app builds it from the features that own those ids.
import type { Express, Router } from 'express';
import { auditApi } from './api.js';
import type { NamesOf } from './describe.js';
import { auditPages } from './routes.js';

export function mountAudit(app: Express, api: Router, namesOf: NamesOf): void {
  app.use(auditPages(namesOf));
  auditApi(api);
}
