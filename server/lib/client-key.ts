// A per-process keyed hash of the client's address, for in-memory rate limits only. The key is random
// and never leaves memory, so the value cannot be turned back into an address, and it is never stored.
import { createHmac, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Request } from 'express';

const key = randomBytes(32);
// A keep-alive connection sends many requests from one address: hash it once per connection.
const bySocket = new WeakMap<Socket, string>();

export function clientKey(req: Request): string {
  let value = bySocket.get(req.socket);
  if (value === undefined) {
    value = createHmac('sha256', key).update(req.socket.remoteAddress ?? '').digest('base64url').slice(0, 22);
    bySocket.set(req.socket, value);
  }
  return value;
}
