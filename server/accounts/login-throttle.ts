// Sign-in throttling that an attacker cannot turn into a lockout (OWASP's device-cookie scheme). In memory and
// per process; no address or e-mail is kept: keys are HMACs under a random per-process key.
//  - Untrusted clients (no device cookie for the account): after 5 failures for one account within 15 minutes,
//    sign-ins to that account from untrusted clients pause for 15 minutes; a client (address) with 20 failures
//    over any accounts gets 429 for the rest of its window.
//  - A trusted device (a device cookie from an earlier sign-in to this account, device-cookie.ts) is not held
//    back by either: knowing the admin's e-mail does not keep the admin out. It has its own count: 10 failures
//    pause that device for the account (a stolen cookie does not buy unlimited guesses).
// The start of every pause is reported (onBurst) so it can be logged and shown to admins.
import { createHmac, randomBytes } from 'node:crypto';

export interface ThrottleOptions {
  /** Failures per account from untrusted clients within the window before they are paused for the account. */
  accountMax: number;
  /** Failures per client (address) within the window before its untrusted sign-ins get 429. */
  clientMax: number;
  /** Failures from one trusted device for its account before that device is paused. */
  deviceMax: number;
  windowMs: number;
  lockMs: number;
  /** Entries kept before the oldest are dropped (bounds memory under a flood of distinct keys). */
  maxEntries: number;
  now: () => number;
  /** Called when a pause starts, and again with the attempts refused while it lasts (see Burst). */
  onBurst?: (burst: Burst) => void;
}

export const DEFAULT_THROTTLE: Omit<ThrottleOptions, 'onBurst'> = {
  accountMax: 5,
  clientMax: 20,
  deviceMax: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxEntries: 50_000,
  now: () => Date.now(),
};

/** A run of failed sign-ins that paused an account's untrusted sign-ins, a client, or a device. */
export interface Burst {
  /** Stable for the pause: the first report starts it, later ones update it. */
  id: string;
  kind: 'account' | 'client' | 'device';
  /** The account's address (accounts and devices), for the caller to resolve; never kept here. */
  email?: string;
  startedAt: number;
  lastAt: number;
  failures: number;
  /** Attempts refused while paused. */
  refused: number;
  /** Accounts tried by a paused client (distinct, up to 100). */
  accounts: number;
  pausedUntil: number;
}

interface Counter {
  count: number;
  windowEnds: number;
  lockedUntil: number;
  /** The pause being reported (set while lockedUntil is in the future). */
  burst?: Burst;
  /** Clients: the accounts they failed on (hashed), for the burst report. */
  accounts?: Set<string>;
}

export type ThrottleVerdict = { ok: true; trusted: boolean } | { ok: false; reason: 'account' | 'client' | 'device'; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly options: ThrottleOptions;
  private readonly key = randomBytes(32);
  private readonly counters = new Map<string, Counter>();
  private burstSeq = 0;

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...DEFAULT_THROTTLE, ...options };
  }

  private hash(kind: 'a' | 'c' | 'd', value: string): string {
    return kind + hmac(this.key, value);
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

  /**
   * May this client try to sign in to this account now? Call before checking the password. `device` is the
   * nonce of a device cookie that vouches for this very account (device-cookie.ts), if the client sent one.
   */
  check(email: string, client: string, device?: string): ThrottleVerdict {
    const now = this.options.now();
    if (device !== undefined) {
      const d = this.live(this.hash('d', device), now);
      if (d && d.lockedUntil > now) return this.refuse(d, 'device', now);
      return { ok: true, trusted: true };
    }
    const account = this.live(this.hash('a', normalise(email)), now);
    if (account && account.lockedUntil > now) return this.refuse(account, 'account', now);
    const byClient = this.live(this.hash('c', client), now);
    if (byClient && byClient.lockedUntil > now) return this.refuse(byClient, 'client', now);
    return { ok: true, trusted: false };
  }

  /** Records a failed attempt (from the trusted device `device`, or from an untrusted client). */
  fail(email: string, client: string, device?: string): void {
    const now = this.options.now();
    const address = normalise(email);
    if (device !== undefined) {
      const d = this.bump(this.hash('d', device), now);
      if (d.count >= this.options.deviceMax) this.pause(d, 'device', now, address);
      return;
    }
    const account = this.bump(this.hash('a', address), now);
    if (account.count >= this.options.accountMax) this.pause(account, 'account', now, address);
    const byClient = this.bump(this.hash('c', client), now);
    byClient.accounts ??= new Set();
    if (byClient.accounts.size < 100) byClient.accounts.add(hmac(this.key, address));
    if (byClient.count >= this.options.clientMax && byClient.lockedUntil <= now) this.pause(byClient, 'client', now, undefined, byClient.windowEnds);
    this.prune(now);
  }

  /**
   * A successful sign-in. From an untrusted client it clears the account's failures; from a trusted device it
   * clears only that device's: the right password from the admin's laptop must not lift the pause an attacker
   * caused for everyone else. A client's count is never cleared (one good password must not reset the count
   * of a client guessing at many accounts).
   */
  succeed(email: string, device?: string): void {
    if (device !== undefined) this.counters.delete(this.hash('d', device));
    else this.counters.delete(this.hash('a', normalise(email)));
  }

  /** How many keys are held (for tests of the memory bound). */
  get size(): number {
    return this.counters.size;
  }

  private refuse(c: Counter, reason: 'account' | 'client' | 'device', now: number): ThrottleVerdict {
    if (c.burst) {
      c.burst.refused += 1;
      c.burst.lastAt = now;
      this.options.onBurst?.({ ...c.burst });
    }
    return { ok: false, reason, retryAfterSeconds: Math.ceil((c.lockedUntil - now) / 1000) };
  }

  private pause(c: Counter, kind: Burst['kind'], now: number, email: string | undefined, until = now + this.options.lockMs): void {
    c.lockedUntil = until;
    c.burst = { id: `${now.toString(36)}-${(this.burstSeq++).toString(36)}`, kind, ...(email ? { email } : {}), startedAt: now, lastAt: now, failures: c.count, refused: 0, accounts: c.accounts?.size ?? (email ? 1 : 0), pausedUntil: until };
    // Accounts and devices start counting afresh after the pause; a client's window simply runs out.
    if (kind !== 'client') {
      c.count = 0;
      c.windowEnds = until;
    }
    this.options.onBurst?.({ ...c.burst });
  }

  private bump(key: string, now: number): Counter {
    let c = this.live(key, now);
    if (!c) {
      c = { count: 0, windowEnds: now + this.options.windowMs, lockedUntil: 0 };
      this.counters.set(key, c);
    } else if (c.windowEnds <= now) {
      c.count = 0;
      c.windowEnds = now + this.options.windowMs;
      c.accounts = undefined;
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

function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url').slice(0, 24);
}
