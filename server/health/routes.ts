// Liveness (the process answers) and readiness (the database answers a ping).
import { Router } from 'express';
import { z } from 'zod';
import { pingDatabase } from '../db/connection.js';
import { recordOperation } from '../lib/openapi.js';

const healthResponse = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['ok', 'unavailable']).optional() });

export function healthRouter(): Router {
  const router = Router();
  recordOperation({ method: 'get', path: '/healthz', summary: 'The process is up', tags: ['health'], response: healthResponse });
  recordOperation({ method: 'get', path: '/readyz', summary: 'The database answers a ping (503 when it does not)', tags: ['health'], response: healthResponse, otherResponses: [{ status: 503, description: 'The database does not answer (with Retry-After)', response: healthResponse }] });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ok = await pingDatabase();
    if (!ok) res.set('Retry-After', '5');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unavailable' });
  });
  return router;
}
