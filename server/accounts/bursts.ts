// Failed sign-in bursts: every pause the login throttle starts (an account's untrusted sign-ins, a client, a
// trusted device) is logged and kept for admins (the users page and GET /api/sign-in-bursts). A record names
// the account when the address belongs to one (by its id), never an address, a cookie or a typed e-mail.
// Updates while a pause lasts are coalesced to one write per burst every few seconds.
import mongoose, { Schema } from 'mongoose';
import type { Logger } from 'pino';
import type { Burst } from './login-throttle.js';
import { User } from './model.js';

export interface BurstDoc {
  _id: string;
  kind: Burst['kind'];
  /** The account's id; null when the address tried belongs to no account, or for a client. */
  account: string | null;
  startedAt: Date;
  lastAt: Date;
  failures: number;
  refused: number;
  accounts: number;
  pausedUntil: Date;
}

export const SignInBurst = mongoose.model<BurstDoc>(
  'SignInBurst',
  new Schema<BurstDoc>(
    {
      _id: String,
      kind: { type: String, enum: ['account', 'client', 'device'], required: true },
      account: { type: String, default: null },
      startedAt: { type: Date, required: true },
      lastAt: { type: Date, required: true },
      failures: { type: Number, required: true },
      refused: { type: Number, default: 0 },
      accounts: { type: Number, default: 0 },
      pausedUntil: { type: Date, required: true },
    },
    { versionKey: false },
  ),
  'sign_in_bursts',
);

/** How long admins see a burst. */
export const BURST_DAYS = 30;
const UPDATE_EVERY_MS = 5_000;

export class BurstLog {
  private readonly pending = new Map<string, Burst>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  /** The throttle's onBurst: the first report of a burst is written at once, later ones coalesced. */
  readonly report = (burst: Burst): void => {
    const first = burst.refused === 0 && burst.lastAt === burst.startedAt;
    if (first) {
      this.writing = this.writing.then(() => this.insert(burst)).catch((err: unknown) => this.logger.error({ err }, 'recording a sign-in burst failed'));
      return;
    }
    this.pending.set(burst.id, burst);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const batch = [...this.pending.values()];
      this.pending.clear();
      this.writing = this.writing.then(() => this.update(batch)).catch((err: unknown) => this.logger.error({ err }, 'updating a sign-in burst failed'));
    }, UPDATE_EVERY_MS);
    this.timer.unref();
  };

  /** Waits for the writes reported so far (tests, shutdown). */
  async settled(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      const batch = [...this.pending.values()];
      this.pending.clear();
      this.writing = this.writing.then(() => this.update(batch));
    }
    await this.writing;
  }

  private async insert(burst: Burst): Promise<void> {
    const user = burst.email ? await User.findOne({ email: burst.email }, { _id: 1 }).lean<{ _id: string }>() : null;
    const account = user?._id ?? null;
    await SignInBurst.create({ _id: burst.id, kind: burst.kind, account, startedAt: new Date(burst.startedAt), lastAt: new Date(burst.lastAt), failures: burst.failures, refused: burst.refused, accounts: burst.accounts, pausedUntil: new Date(burst.pausedUntil) });
    const minutes = Math.round((burst.pausedUntil - burst.startedAt) / 60_000);
    const what = burst.kind === 'account' ? 'sign-ins to the account from untrusted clients' : burst.kind === 'device' ? 'sign-ins to the account from one trusted device' : 'sign-ins from one client';
    this.logger.warn({ burst: burst.id, kind: burst.kind, account, failures: burst.failures, accounts: burst.accounts }, `failed sign-in burst: ${what} paused for ${minutes} min`);
  }

  private async update(batch: Burst[]): Promise<void> {
    for (const b of batch) await SignInBurst.updateOne({ _id: b.id }, { $set: { lastAt: new Date(b.lastAt), refused: b.refused } });
  }
}

export interface BurstView {
  id: string;
  kind: Burst['kind'];
  account: { id: string; email: string; name: string } | null;
  startedAt: string;
  lastAt: string;
  failures: number;
  refused: number;
  accounts: number;
  pausedUntil: string;
}

/** Bursts of the last BURST_DAYS days, newest first (older ones are deleted on the way). */
export async function recentBursts(now = Date.now()): Promise<BurstView[]> {
  const since = new Date(now - BURST_DAYS * 86_400_000);
  // A small collection read on an admin page only; never on a request path that anyone can reach.
  await SignInBurst.deleteMany({ startedAt: mongoose.trusted({ $lt: since }) });
  const docs = await SignInBurst.find({}).lean<BurstDoc[]>();
  const ids = [...new Set(docs.map((d) => d.account).filter((id): id is string => Boolean(id)))];
  const users = new Map((await Promise.all(ids.map((id) => User.findById(id, { email: 1, name: 1 }).lean<{ _id: string; email: string; name: string }>()))).filter((u) => u !== null).map((u) => [u._id, u]));
  return docs
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
    .map((d) => {
      const user = d.account ? users.get(d.account) : undefined;
      return {
        id: d._id,
        kind: d.kind,
        account: user ? { id: user._id, email: user.email, name: user.name } : null,
        startedAt: d.startedAt.toISOString(),
        lastAt: d.lastAt.toISOString(),
        failures: d.failures,
        refused: d.refused,
        accounts: d.accounts,
        pausedUntil: d.pausedUntil.toISOString(),
      };
    });
}
