// apiRoute() is the one way to declare a JSON API route: it validates with the zod schemas, records the
// OpenAPI operation from the same schemas, and passes async errors to the one error handler.
import type { RequestHandler, Router } from 'express';
import { recordOperation, type ApiOperation } from './openapi.js';
import { validate } from './validate.js';

// Guards (sign-in, role) run before validation, so an anonymous caller learns nothing about the schema.
export function apiRoute(router: Router, op: ApiOperation, ...handlers: [...RequestHandler[], RequestHandler]): void {
  recordOperation(op);
  const relative = op.path.replace(/^\/api/, '') || '/';
  const guards = handlers.slice(0, -1);
  const handler = handlers[handlers.length - 1]!;
  router[op.method](relative, ...guards, validate({ body: op.body, bodyError: op.bodyError, query: op.query, params: op.params }), handler);
}
