// Login rate limiting and temporary lockout, in memory and per process. No address or email is kept: keys
// are HMACs under a random per-process key, so the map cannot be turned back into who tried to sign in.
// With several processes each keeps its own counts (the effective limit is then per process).
import { createHmac, randomBytes } from 'node:crypto';

export interface ThrottleOptions {
  /** Failures per account within the window before the account is locked. */
  accountMax: number;
  /** Failures per client within the window before the client gets 429. */
  clientMax: number;
  windowMs: number;
  lockMs: number;
  /** Entries kept before the oldest are dropped (bounds memory under a flood of distinct keys). */
  maxEntries: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  accountMax: 5,
  clientMax: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxEntries: 50_000,
  now: () => Date.now(),
};

interface Counter {
  count: number;
  windowEnds: number;
  lockedUntil: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; reason: 'account' | 'client'; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly options: ThrottleOptions;
  private readonly key = randomBytes(32);
  private readonly counters = new Map<string, Counter>();

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...DEFAULT_THROTTLE, ...options };
  }

  private hash(kind: 'a' | 'c', value: string): string {
    return kind + createHmac('sha256', this.key).update(value).digest('base64url').slice(0, 24);
  }

  private live(key: string, now: number): Counter | undefined {
    const c = this.counters.get(key);
    if (!c) return undefined;
    if (c.windowEnds <= now && c.lockedUntil <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return c;
  }

  /** May this client try to sign in to this account now? Call before checking the password. */
  check(email: string, client: string): ThrottleVerdict {
    const now = this.options.now();
    const account = this.live(this.hash('a', normalise(email)), now);
    if (account && account.lockedUntil > now) return { ok: false, reason: 'account', retryAfterSeconds: Math.ceil((account.lockedUntil - now) / 1000) };
    const byClient = this.live(this.hash('c', client), now);
    if (byClient && byClient.count >= this.options.clientMax && byClient.windowEnds > now) {
      return { ok: false, reason: 'client', retryAfterSeconds: Math.ceil((byClient.windowEnds - now) / 1000) };
    }
    return { ok: true };
  }

  /** Records a failed attempt; the fifth failure on an account within the window locks it. */
  fail(email: string, client: string): void {
    const now = this.options.now();
    const account = this.bump(this.hash('a', normalise(email)), now);
    if (account.count >= this.options.accountMax) {
      account.lockedUntil = now + this.options.lockMs;
      account.count = 0;
      account.windowEnds = now + this.options.windowMs;
    }
    this.bump(this.hash('c', client), now);
    this.prune(now);
  }

  /** A successful sign-in clears the account's failures (not the client's: one good password must not
   *  reset the count of a client guessing at many accounts). */
  succeed(email: string): void {
    this.counters.delete(this.hash('a', normalise(email)));
  }

  /** How many keys are held (for tests of the memory bound). */
  get size(): number {
    return this.counters.size;
  }

  private bump(key: string, now: number): Counter {
    let c = this.live(key, now);
    if (!c) {
      c = { count: 0, windowEnds: now + this.options.windowMs, lockedUntil: 0 };
      this.counters.set(key, c);
    } else if (c.windowEnds <= now) {
      c.count = 0;
      c.windowEnds = now + this.options.windowMs;
    }
    c.count += 1;
    return c;
  }

  private prune(now: number): void {
    if (this.counters.size <= this.options.maxEntries) return;
    for (const key of [...this.counters.keys()]) this.live(key, now);
    // Still too many live keys: drop the oldest (a Map iterates in insertion order).
    for (const key of this.counters.keys()) {
      if (this.counters.size <= this.options.maxEntries) break;
      this.counters.delete(key);
    }
  }
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}
