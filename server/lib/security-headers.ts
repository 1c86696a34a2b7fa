// helmet's headers, computed once. Our helmet configuration is the same for every response (no nonces,
// no per-request policy), so running its dozen small middlewares on each request only repeats work:
// helmet still decides every header, once at start-up, and each response gets the recorded list.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: HelmetOptions): RequestHandler {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name, String(value)]),
    removeHeader: (name: string) => removed.push(name),
  };
  let passed = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet could not compute the security headers');
    passed = true;
  });
  // helmet's middleware is synchronous for static options; anything else would need it per request.
  if (!passed) throw new Error('helmet did not finish synchronously: its options depend on the request');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
