// Who a request comes from, for in-memory rate limits only: keyed hashes under a per-process random key that
// never leaves memory, so a value cannot be turned back into an address or a cookie, and none is stored.
//  - the address: the socket's peer, or behind a trusted reverse proxy (TRUST_PROXY) the address the proxy
//    names in X-Forwarded-For (Express's req.ip applies the trust setting);
//  - the browser: the cookie every page gives a browser (the CSRF cookie, accounts/csrf.ts), when the
//    request carried one. A lecture hall behind one NAT address is 400 browsers with 400 cookies; a script
//    that sends none is one address.
import { createHmac, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

const key = randomBytes(32);
// A keep-alive connection sends many requests from one address: hash it once per connection (without a
// proxy; behind one, one connection carries many clients).
const bySocket = new WeakMap<Socket, string>();

const hash = (kind: string, value: string) => createHmac('sha256', key).update(`${kind}:${value}`).digest('base64url').slice(0, 22);

export interface ClientKey {
  /** The client's address, hashed. */
  address: string;
  /** The browser's cookie, hashed; absent when the request carried none (API clients, scripts). */
  browser?: string;
}

/** The keyed hash of the client's address (the proxy's client behind a trusted proxy). */
export function clientKey(req: Request): string {
  // app.get('trust proxy') is the TRUST_PROXY setting as given (false when off).
  if (req.app.get('trust proxy')) return hash('a', req.ip ?? '');
  let value = bySocket.get(req.socket);
  if (value === undefined) {
    value = hash('a', req.socket.remoteAddress ?? '');
    bySocket.set(req.socket, value);
  }
  return value;
}

/**
 * The address and, when the request carried it, the browser's cookie. The CSRF middleware puts the cookie
 * it read in res.locals.browserCookie (a form post has proved it with the form token); routes mounted
 * before it (the JSON submission API) have none.
 */
export function clientOf(req: Request, res: Response): ClientKey {
  const cookie = res.locals.browserCookie as unknown;
  return typeof cookie === 'string' && cookie ? { address: clientKey(req), browser: hash('b', cookie) } : { address: clientKey(req) };
}
