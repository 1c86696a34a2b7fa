// The sending worker: a throttled loop (unref'd timer) that delivers queued invitations and reminders.
// Exactly-once-or-never per mail: before sending, a claim with _id = HMAC(secret; contact, kind,
// sequence) is inserted; E11000 means the mail was claimed before (perhaps sent just before a crash), so
// it is skipped and never sent twice. The claims of one pass go in as one batch in random order, and hold
// the day only. A failed delivery gives its claim back and is retried with backoff (kept in memory: a
// restart retries at once). Logs never carry email addresses or anything that could join a contact to a
// response.
import type { Collection } from 'mongodb';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { CampaignDoc } from '../campaigns/model.js';
import { effectiveStatus } from '../campaigns/model.js';
import { findCampaign } from '../campaigns/service.js';
import { storeTokens, today } from '../campaigns/tokens.js';
import type { Config } from '../config.js';
import { shuffle } from '../lib/shuffle.js';
import { claimIdOf, contactToken, unsubscribeIdOf } from './keys.js';
import { Contact, Mailing, SendClaim, type ContactDoc, type MailingDoc, type MailTemplate, type SendClaimDoc, type SendKind } from './model.js';
import { contactsOf, hasAnswered } from './service.js';
import { effectiveTemplates, formatDate, renderMail } from './templates.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export class SmtpNotConfiguredError extends Error {}

export function smtpMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer {
  if (!config.smtpUrl) throw new SmtpNotConfiguredError('SMTP_URL is not configured');
  const transport = nodemailer.createTransport(config.smtpUrl, { from: config.mailFrom });
  // Timeouts short enough that one dead server does not stall the loop for minutes.
  Object.assign(transport.options, { connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send(m) {
      await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, headers: m.headers });
    },
    close: () => transport.close(),
  };
}

/** Waits after the 1st, 2nd, … failed attempt; after MAX_ATTEMPTS the mail is given up. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
export const MAX_ATTEMPTS = 5;

export interface WorkerOptions {
  config: Pick<Config, 'jwtSecret' | 'baseUrl' | 'smtpUrl' | 'mailFrom'>;
  logger?: Logger;
  mailer?: Mailer;
  now?: () => Date;
  /** At most this many mails per second (default 5). */
  ratePerSecond?: number;
  intervalMs?: number;
}

/** A short reason without addresses (SMTP replies often echo the recipient). */
function reasonOf(err: unknown): { text: string; permanent: boolean } {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const code = e.responseCode;
  const text = `${code ?? e.code ?? 'error'}: ${String(e.message ?? err)}`.replace(/[^\s<>@]+@[^\s<>@]+/g, '<address>').slice(0, 300);
  return { text, permanent: typeof code === 'number' && code >= 500 && code < 600 };
}

export class InvitationWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  private mailer: Mailer | undefined;
  private readonly now: () => Date;
  private readonly perTick: number;
  private readonly intervalMs: number;
  /** Contact id → when its failed mail may be tried again (ms). */
  private readonly retryAt = new Map<string, number>();

  constructor(private readonly options: WorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 1000;
    this.perTick = Math.max(1, Math.round(((options.ratePerSecond ?? 5) * this.intervalMs) / 1000));
    this.mailer = options.mailer;
  }

  start(): this {
    this.stopping = false;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().catch((err: unknown) => this.options.logger?.warn({ err }, 'invitation worker tick failed')).finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Stops after the mail in progress; resolves when the loop is idle. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
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
    const at = this.retryAt.get(contactId);
    return at === undefined ? undefined : new Date(at);
  }

  private getMailer(): Mailer | undefined {
    if (this.mailer) return this.mailer;
    if (!this.options.config.smtpUrl) return undefined;
    this.mailer = smtpMailer(this.options.config);
    return this.mailer;
  }

  /** One pass over the active mailings: at most `budget` delivery attempts. */
  async tick(budget = this.perTick): Promise<{ sent: number; due: boolean }> {
    const mailer = this.getMailer();
    if (!mailer) return { sent: 0, due: false };
    // A small collection (one document per campaign with invitations): a scan is cheap here.
    const mailings = (await Mailing.find({ active: true }).lean()) as MailingDoc[];
    let sent = 0;
    let due = false;
    for (const mailing of mailings) {
      const campaign = await findCampaign(mailing._id);
      const open = campaign !== null && effectiveStatus(campaign, this.now()) === 'open';
      let waiting = false;
      const batch: ContactDoc[] = [];
      for await (const contact of contactsOf(mailing)) {
        if (!contact.pending) continue;
        if (!open) {
          await Contact.updateOne({ _id: contact._id }, { $set: { pending: null } });
          this.retryAt.delete(contact._id);
          continue;
        }
        waiting = true;
        if ((this.retryAt.get(contact._id) ?? 0) > this.now().getTime()) continue;
        if (this.stopping || budget <= 0) {
          due = true;
          continue;
        }
        budget -= 1;
        batch.push(contact);
      }
      if (batch.length) sent += await this.deliver(mailer, campaign!, batch);
      if (!waiting) await Mailing.updateOne({ _id: mailing._id }, { $set: { active: false } });
    }
    return { sent, due };
  }

  /** Skips what is no longer due, claims the rest in one shuffled batch, then sends each claimed mail. */
  private async deliver(mailer: Mailer, campaign: CampaignDoc, contacts: ContactDoc[]): Promise<number> {
    const { config } = this.options;
    const ready: ContactDoc[] = [];
    for (const contact of contacts) {
      const answered = contact.pending === 'reminder' && (await hasAnswered(config.jwtSecret, contact));
      if (contact.status === 'unsubscribed' || answered) await Contact.updateOne({ _id: contact._id }, { $set: { pending: null } });
      else ready.push(contact);
    }
    // Contacts imported before tokens were stored with the list: their tokens, in one shuffled batch too.
    const legacy = ready.filter((c) => !c.tokenStored);
    await storeTokens(
      campaign._id,
      legacy.map((c) => ({ token: contactToken(config.jwtSecret, campaign._id, c._id), segment: { faculty: c.faculty, programme: c.programme } })),
      'invitation',
    );
    for (const c of legacy) await Contact.updateOne({ _id: c._id }, { $set: { tokenStored: true } });

    const claims = shuffle(ready.map((contact) => ({ contact, kind: contact.pending!, sequence: contact.pending === 'invitation' ? 0 : contact.reminders + 1 })));
    const docs: SendClaimDoc[] = claims.map((c) => ({ _id: claimIdOf(config.jwtSecret, campaign._id, c.contact._id, c.kind, c.sequence), campaign: campaign._id, kind: c.kind, claimedOn: today(this.now()) }));
    const taken = new Set<number>();
    if (docs.length) {
      try {
        // The driver's own insertMany: per-document E11000 by index, as one batch in the shuffled order.
        await (SendClaim.collection as unknown as Collection<SendClaimDoc>).insertMany(docs, { ordered: false });
      } catch (err) {
        const list = (err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
        const errors = Array.isArray(list) ? list : list ? [list] : [];
        if (!errors.length || !errors.every((e) => e.code === 11000)) throw err;
        for (const e of errors) taken.add(e.index);
      }
    }
    const templates = effectiveTemplates((await Mailing.findById(campaign._id).lean())?.templates);
    let sent = 0;
    for (const [i, claim] of claims.entries()) {
      if (taken.has(i)) await this.alreadyClaimed(campaign, claim.contact, claim.kind, claim.sequence);
      else if (await this.send(mailer, campaign, claim.contact, claim.kind, claim.sequence, docs[i]!._id, templates[claim.contact.lang])) sent += 1;
    }
    return sent;
  }

  /** Claimed before (sent, then stopped before the contact was updated): never send it again. */
  private async alreadyClaimed(campaign: CampaignDoc, contact: ContactDoc, kind: SendKind, sequence: number): Promise<void> {
    const done = kind === 'invitation' ? { status: 'sent' as const } : { status: 'sent' as const, reminders: sequence };
    await Contact.updateOne({ _id: contact._id }, { $set: { ...done, pending: null, attempts: 0, lastSentOn: today(this.now()) }, ...(contact.sends === 0 || kind === 'reminder' ? { $inc: { sends: 1 } } : {}) });
    this.retryAt.delete(contact._id);
    this.options.logger?.info({ campaign: campaign._id, kind }, 'invitation already claimed; skipped');
  }

  private async send(mailer: Mailer, campaign: CampaignDoc, contact: ContactDoc, kind: SendKind, sequence: number, claimId: string, template: MailTemplate): Promise<boolean> {
    const { config, logger } = this.options;
    const done = kind === 'invitation' ? { status: 'sent' as const } : { status: 'sent' as const, reminders: sequence };
    const token = contactToken(config.jwtSecret, campaign._id, contact._id);
    const unsubscribeLink = `${config.baseUrl}/unsubscribe/${unsubscribeIdOf(config.jwtSecret, contact._id)}`;
    const link = `${config.baseUrl}/t/${token}`;
    const mail = renderMail(template, kind, contact.lang, {
      name: contact.name,
      organisation: contact.organisation,
      link,
      unsubscribeLink,
      closesAt: formatDate(campaign.closesAt, contact.lang),
      campaignTitle: campaign.title[contact.lang],
    });
    try {
      await mailer.send({ to: contact.email, subject: mail.subject, text: mail.text, headers: { 'List-Unsubscribe': `<${unsubscribeLink}>`, 'Content-Language': contact.lang } });
    } catch (err) {
      await SendClaim.deleteOne({ _id: claimId });
      const attempts = contact.attempts + 1;
      const reason = reasonOf(err);
      const giveUp = attempts >= MAX_ATTEMPTS;
      await Contact.updateOne({ _id: contact._id }, { $set: { status: giveUp && reason.permanent ? 'bounced' : 'failed', attempts, lastError: reason.text, pending: giveUp ? null : kind } });
      if (giveUp) this.retryAt.delete(contact._id);
      else this.retryAt.set(contact._id, this.now().getTime() + BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!);
      logger?.warn({ campaign: campaign._id, kind, attempts, reason: reason.text }, giveUp ? 'invitation given up' : 'invitation failed; will retry');
      return false;
    }
    await Contact.updateOne({ _id: contact._id }, { $set: { ...done, pending: null, attempts: 0, lastSentOn: today(this.now()), lastError: '' }, $inc: { sends: 1 } });
    this.retryAt.delete(contact._id);
    return true;
  }
}

/** Started by bootstrap: returns the stop function. Without SMTP_URL it does nothing. */
export function startInvitationWorker(config: WorkerOptions['config'], logger: Logger): () => Promise<void> {
  if (!config.smtpUrl) return () => Promise.resolve();
  const worker = new InvitationWorker({ config, logger }).start();
  return () => worker.stop();
}
