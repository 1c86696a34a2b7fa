// The audit log API for admins: GET /api/audit, newest first, paged.
import type { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../accounts/session.js';
import { apiRoute } from '../lib/api-route.js';
import { auditQuery, listAudit } from './service.js';

const entryOut = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string(),
  actorEmail: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export function auditApi(api: Router): void {
  apiRoute(
    api,
    {
      method: 'get',
      path: '/api/audit',
      tags: ['audit'],
      summary: 'The audit log of administrative changes, newest first',
      access: 'admin',
      query: auditQuery,
      response: z.object({ items: z.array(entryOut), page: z.number(), pageSize: z.number(), total: z.number(), pages: z.number() }),
    },
    requireRole('admin'),
    async (_req, res) => {
      res.json(await listAudit(actorOf(res), res.locals.query as z.infer<typeof auditQuery>));
    },
  );
}
