// The sending worker: a loop on an unref'd timer that (1) queues the reminders a campaign's schedule makes
// due (scheduler.ts) and (2) delivers queued mail in batches (delivery.ts) at MAIL_RATE_PER_MINUTE, holding
// scheduled reminders through the night in the university's time zone. What must survive a restart is in
// the database (contacts keep days only); times — when to look at a schedule again, when to retry a failed
// mail — live in memory, so a restarted worker looks and retries at once, and the files keep no time of day.
// It counts a heartbeat, by which other workers tell a claim of a live worker from one left by a dead
// process. Contacts are read by _id from a cursor kept per mailing, a few per tick: a roster of thousands
// costs one read per contact per sweep, not per tick.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { findCampaign } from '../campaigns/service.js';
import type { Config } from '../config.js';
import { deliverBatch, smtpMailer, type DeliveryContext, type Mailer } from './delivery.js';
import { Contact, Mailing, MailWorker, type ContactDoc, type MailingDoc } from './model.js';
import { afterQuiet, isQuiet } from './schedule.js';
import { queueDueReminders, RECHECK_MS } from './scheduler.js';
import { loadMailing } from './service.js';

export { BACKOFF_MS, MAX_ATTEMPTS, SmtpNotConfiguredError, smtpMailer, type Mailer, type MailMessage } from './delivery.js';

export type WorkerConfig = Pick<Config, 'jwtSecret' | 'baseUrl' | 'smtpUrl' | 'mailFrom' | 'mailRatePerMinute' | 'quietHours'>;

export interface WorkerOptions {
  config: WorkerConfig;
  logger?: Logger;
  mailer?: Mailer;
  now?: () => Date;
  /** Overrides config.mailRatePerMinute. */
  ratePerMinute?: number;
  intervalMs?: number;
  heartbeatMs?: number;
  /** A worker silent for this long is taken for dead (its claims may be sent again). */
  staleMs?: number;
}

/**
 * Heartbeats left by workers that died without stopping (killed, or their machine went away) are deleted
 * once they have stood still for this many times staleMs, looked at every FORGET_EVERY_BEATS beats: a dead
 * worker's record would otherwise stay for good, one per crash.
 */
const FORGET_AFTER_STALE = 10;
const FORGET_EVERY_BEATS = 15;

/** Contacts read per mailing per tick at most while looking for due mail. */
const READS_PER_TICK = 200;

/** Where a worker is in a mailing's contacts: one sweep reads each contact once. */
interface Sweep {
  at: number;
  reads: number;
  /** Something pending was seen in this sweep; `wake`: the first moment a waiting mail becomes due. */
  pending: boolean;
  wake: number;
  /** Only waiting mail: nothing to do before this. */
  sleepUntil: number;
  /** The mailing's queueVersion when this state was made: new mail queued since wakes the mailing. */
  queueVersion: number;
}

export class InvitationWorker {
  readonly id = `w${randomBytes(9).toString('base64url')}`;
  private timer: NodeJS.Timeout | undefined;
  private beat: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  private mailer: Mailer | undefined;
  private readonly now: () => Date;
  private readonly intervalMs: number;
  private readonly perMs: number;
  private allowance = 0;
  private lastRefill = Date.now();
  private readonly sweeps = new Map<string, Sweep>();
  /** Contact id → when its failed (or held) mail may be tried again (ms). */
  private readonly retries = new Map<string, number>();
  /** Mailing id → when to look for due schedule steps again (ms), and the schedule that was looked at. */
  private readonly passes = new Map<string, { at: number; rules: string }>();
  /** Other workers' heartbeats as last seen (delivery.ts). */
  private readonly seen = new Map<string, { beats: number; at: number }>();

  constructor(private readonly options: WorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 1000;
    this.perMs = (options.ratePerMinute ?? options.config.mailRatePerMinute) / 60_000;
    this.mailer = options.mailer;
  }

  private get staleMs(): number {
    return this.options.staleMs ?? 20_000;
  }

  start(): this {
    this.stopping = false;
    let beats = 0;
    const heartbeat = () => {
      const forget = ++beats % FORGET_EVERY_BEATS === 0;
      void MailWorker.updateOne({ _id: this.id }, { $inc: { beats: 1 } }, { upsert: true })
        .then(() => (forget ? this.forgetDeadWorkers() : undefined))
        .catch((err: unknown) => this.options.logger?.warn({ err }, 'invitation worker heartbeat failed'));
    };
    heartbeat();
    this.beat = setInterval(heartbeat, this.options.heartbeatMs ?? 2000);
    this.beat.unref();
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().catch((err: unknown) => this.options.logger?.warn({ err }, 'invitation worker tick failed')).finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Deletes the heartbeats that have stood still for FORGET_AFTER_STALE × staleMs (a small collection: one per worker). */
  async forgetDeadWorkers(): Promise<number> {
    const now = Date.now();
    let forgotten = 0;
    for (const w of await MailWorker.find({}).lean()) {
      if (w._id === this.id) continue;
      const last = this.seen.get(w._id);
      if (!last || last.beats !== w.beats) {
        this.seen.set(w._id, { beats: w.beats, at: now });
        continue;
      }
      if (now - last.at < FORGET_AFTER_STALE * this.staleMs) continue;
      // Only if it still stands still: a worker that was merely slow has beaten since and keeps its record.
      forgotten += (await MailWorker.deleteOne({ _id: w._id, beats: w.beats })).deletedCount;
      this.seen.delete(w._id);
    }
    return forgotten;
  }

  /** Stops after the mail in progress; resolves when the loop is idle and the heartbeat is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    clearInterval(this.beat);
    await this.running;
    await MailWorker.deleteOne({ _id: this.id }).catch(() => undefined);
    this.mailer?.close();
    this.mailer = undefined;
  }

  /** For tests and "send now": ticks until nothing is due (ignores the rate). */
  async drain(maxTicks = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxTicks; i++) {
      const { sent, due } = await this.tick(Number.POSITIVE_INFINITY);
      total += sent;
      if (!due) break;
    }
    return total;
  }

  /** When a failed mail to this contact will be tried again (undefined: not waiting). */
  nextAttemptAt(contactId: string): Date | undefined {
    const at = this.retries.get(contactId);
    return at === undefined ? undefined : new Date(at);
  }

  private getMailer(): Mailer | undefined {
    if (this.mailer) return this.mailer;
    if (!this.options.config.smtpUrl) return undefined;
    this.mailer = smtpMailer(this.options.config);
    return this.mailer;
  }

  /** The send budget now: MAIL_RATE_PER_MINUTE accrued since the last tick, at most one second's worth. */
  private budget(): number {
    const t = Date.now();
    this.allowance = Math.min(Math.max(1, this.perMs * 1000), this.allowance + (t - this.lastRefill) * this.perMs);
    this.lastRefill = t;
    return Math.floor(this.allowance);
  }

  /** One pass: due schedule steps are queued, then at most `budget` delivery attempts. */
  async tick(budget?: number): Promise<{ sent: number; due: boolean }> {
    const mailer = this.getMailer();
    if (!mailer) return { sent: 0, due: false };
    const metered = budget === undefined;
    let left = budget ?? this.budget();
    let attempted = 0;
    // A small collection (one document per campaign with invitations), read without the contact lists.
    const mailings = (await Mailing.find({}, { contactIds: 0, templates: 0, archived: 0 }).lean()) as Omit<MailingDoc, 'contactIds'>[];
    const now = this.now();
    let sent = 0;
    let due = false;
    for (const summary of mailings) {
      // Saving the schedule (or anything of the mailing) makes the worker look again at once.
      const rules = JSON.stringify([summary.schedule ?? [], summary.maxReminders, summary.updatedAt]);
      const pass = this.passes.get(summary._id);
      const scheduleDue = Boolean(summary.schedule?.length) && (!pass || pass.rules !== rules || pass.at <= now.getTime());
      if (!summary.active && !scheduleDue) continue;
      const campaign = await findCampaign(summary._id);
      const open = campaign !== null && effectiveStatus(campaign, now) === 'open';
      const mailing = await loadMailing(summary._id);
      if (!open) {
        await this.closeMailing(mailing);
        continue;
      }
      let active = mailing.active;
      if (scheduleDue && !this.stopping) {
        const { queued, nextAt } = await queueDueReminders(this.options.config, mailing, campaign, now);
        this.passes.set(mailing._id, { at: nextAt.getTime(), rules });
        if (queued) {
          await Mailing.updateOne({ _id: mailing._id }, { $set: { active: true }, $inc: { queueVersion: 1 } });
          active = true;
          due = true;
          mailing.queueVersion = (mailing.queueVersion ?? 0) + 1;
        }
      }
      if (!active) continue;
      if (left <= 0) {
        due = true;
        continue;
      }
      const result = await this.sendFrom(mailer, mailing, campaign, left, now);
      left -= result.attempts;
      attempted += result.attempts;
      sent += result.sent;
      if (result.due) due = true;
    }
    if (metered) this.allowance -= attempted;
    return { sent, due };
  }

  /** A closed campaign: nothing queued is sent any more. */
  private async closeMailing(mailing: MailingDoc): Promise<void> {
    for (const id of mailing.contactIds) {
      const c = (await Contact.findById(id).lean()) as ContactDoc | null;
      if (c?.pending) await Contact.updateOne({ _id: c._id }, { $set: { pending: null, pendingStep: null } });
      this.retries.delete(id);
    }
    await Mailing.updateOne({ _id: mailing._id }, { $set: { active: false } });
    this.passes.delete(mailing._id);
  }

  /** Delivers due mail of one mailing from its cursor on, in one batch; marks the mailing idle when nothing is queued. */
  private async sendFrom(mailer: Mailer, mailing: MailingDoc, campaign: CampaignDoc, budget: number, now: Date): Promise<{ sent: number; attempts: number; due: boolean }> {
    const ids = mailing.contactIds;
    const queueVersion = mailing.queueVersion ?? 0;
    let sweep = this.sweeps.get(mailing._id);
    if (!sweep || sweep.queueVersion !== queueVersion) sweep = { at: sweep?.at ?? 0, reads: 0, pending: false, wake: Number.POSITIVE_INFINITY, sleepUntil: 0, queueVersion };
    this.sweeps.set(mailing._id, sweep);
    if (sweep.sleepUntil > now.getTime() || !ids.length) return { sent: 0, attempts: 0, due: false };
    const quiet = this.options.config.quietHours;
    const nightEnds = isQuiet(now, quiet) ? afterQuiet(now, quiet).getTime() : 0;
    const batch: ContactDoc[] = [];
    let sweepEnded = false;
    const reads = Number.isFinite(budget) ? READS_PER_TICK : ids.length;
    for (let read = 0; read < reads && batch.length < budget && !this.stopping; read++) {
      sweep.at %= ids.length;
      const c = (await Contact.findById(ids[sweep.at]).lean()) as ContactDoc | null;
      if (c?.pending) {
        sweep.pending = true;
        const retry = this.retries.get(c._id) ?? 0;
        const waitUntil = retry > now.getTime() ? retry : c.pendingStep ? nightEnds : 0;
        if (waitUntil) sweep.wake = Math.min(sweep.wake, waitUntil);
        else batch.push(c);
      }
      sweep.at += 1;
      sweep.reads += 1;
      if (sweep.reads >= ids.length) {
        sweepEnded = true;
        break;
      }
    }
    let sent = 0;
    if (batch.length) {
      const ctx: DeliveryContext = {
        config: this.options.config,
        mailer,
        logger: this.options.logger,
        now: this.now,
        worker: this.id,
        staleMs: this.staleMs,
        seen: this.seen,
        retryAt: (id, at) => (at === undefined ? this.retries.delete(id) : this.retries.set(id, at)),
      };
      for (const [id, outcome] of await deliverBatch(ctx, campaign, batch)) {
        if (outcome === 'sent') sent += 1;
        const retry = this.retries.get(id);
        if (retry !== undefined) sweep.wake = Math.min(sweep.wake, retry);
      }
    }
    const more = batch.length >= budget || this.stopping;
    if (sweepEnded) return { sent, attempts: batch.length, due: (await this.endSweep(mailing, sweep, now)) || more || sent > 0 };
    return { sent, attempts: batch.length, due: more || sent > 0 };
  }

  /**
   * A whole sweep over the contacts is done: with nothing pending the mailing goes idle (and the schedule
   * looks again, for the steps of those just invited); with only waiting mail (a retry, the night) the
   * mailing sleeps until the first of it. Returns whether another sweep is due at once.
   */
  private async endSweep(mailing: MailingDoc, sweep: Sweep, now: Date): Promise<boolean> {
    const { pending, wake } = sweep;
    Object.assign(sweep, { reads: 0, pending: false, wake: Number.POSITIVE_INFINITY });
    if (!pending) {
      await Mailing.updateOne({ _id: mailing._id }, { $set: { active: false } });
      // Those just invited have steps to wait for now: the schedule is looked at again at once.
      const pass = this.passes.get(mailing._id);
      if (pass && mailing.schedule.length) pass.at = now.getTime();
      return mailing.schedule.length > 0;
    }
    if (Number.isFinite(wake)) sweep.sleepUntil = Math.min(wake, now.getTime() + RECHECK_MS);
    return false;
  }
}

/** Started by bootstrap: returns the stop function. Without SMTP_URL it does nothing. */
export function startInvitationWorker(config: WorkerConfig, logger: Logger): () => Promise<void> {
  if (!config.smtpUrl) return () => Promise.resolve();
  const worker = new InvitationWorker({ config, logger }).start();
  return () => worker.stop();
}
