// A per-process keyed hash of the client's address, for in-memory rate limits only. The key is random
// and never leaves memory, so the value cannot be turned back into an address, and it is never stored.
import { createHmac, randomBytes } from 'node:crypto';
import type { Request } from 'express';

const key = randomBytes(32);

export function clientKey(req: Request): string {
  return createHmac('sha256', key).update(req.socket.remoteAddress ?? '').digest('base64url').slice(0, 22);
}
