// The sending worker: a throttled loop (unref'd timer) that delivers queued invitations and reminders.
// Exactly-once-or-never per mail: before sending, a claim with _id = hash(contact, kind, sequence) is
// inserted; E11000 means the mail was claimed before (perhaps sent just before a crash), so it is skipped
// and never sent twice. A failed delivery gives its claim back and is retried with backoff.
// Logs never carry email addresses or anything that could join a contact to a response.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { CampaignDoc } from '../campaigns/model.js';
import { effectiveStatus } from '../campaigns/model.js';
import { findCampaign } from '../campaigns/service.js';
import { storeTokens } from '../campaigns/tokens.js';
import type { Config } from '../config.js';
import { claimIdOf, contactToken, unsubscribeIdOf } from './keys.js';
import { Contact, Mailing, SendClaim, type ContactDoc, type MailingDoc } from './model.js';
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

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000 || /E11000/.test(String((err as Error)?.message ?? ''));

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
      for await (const contact of contactsOf(mailing)) {
        if (!contact.pending) continue;
        if (!open) {
          await Contact.updateOne({ _id: contact._id }, { $set: { pending: null, nextAttemptAt: null } });
          continue;
        }
        waiting = true;
        if (contact.nextAttemptAt && new Date(contact.nextAttemptAt) > this.now()) continue;
        if (this.stopping || budget <= 0) {
          due = true;
          continue;
        }
        budget -= 1;
        if (await this.deliver(mailer, campaign, contact)) sent += 1;
        const after = (await Contact.findById(contact._id).lean()) as ContactDoc | null;
        if (after?.pending && (!after.nextAttemptAt || new Date(after.nextAttemptAt) <= this.now())) due = true;
      }
      if (!waiting) await Mailing.updateOne({ _id: mailing._id }, { $set: { active: false } });
    }
    return { sent, due };
  }

  private async deliver(mailer: Mailer, campaign: CampaignDoc, contact: ContactDoc): Promise<boolean> {
    const { config, logger } = this.options;
    const kind = contact.pending!;
    if (contact.status === 'unsubscribed') {
      await Contact.updateOne({ _id: contact._id }, { $set: { pending: null } });
      return false;
    }
    if (kind === 'reminder' && (await hasAnswered(config.jwtSecret, contact))) {
      await Contact.updateOne({ _id: contact._id }, { $set: { pending: null, answered: true } });
      return false;
    }
    const token = contactToken(config.jwtSecret, campaign._id, contact._id);
    if (!contact.tokenStored) {
      try {
        await storeTokens(campaign._id, [token], { faculty: contact.faculty, programme: contact.programme }, 'invitation');
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
      await Contact.updateOne({ _id: contact._id }, { $set: { tokenStored: true } });
    }
    const sequence = kind === 'invitation' ? 0 : contact.reminders + 1;
    const done = kind === 'invitation' ? { status: 'sent' as const } : { status: 'sent' as const, reminders: sequence };
    try {
      await SendClaim.create({ _id: claimIdOf(contact._id, kind, sequence), campaign: campaign._id, kind, claimedAt: this.now() });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      // Claimed before (sent, then stopped before this update): never send it again.
      await Contact.updateOne({ _id: contact._id }, { $set: { ...done, pending: null, attempts: 0, nextAttemptAt: null, lastSentAt: this.now() }, ...(contact.sends === 0 || kind === 'reminder' ? { $inc: { sends: 1 } } : {}) });
      logger?.info({ campaign: campaign._id, kind }, 'invitation already claimed; skipped');
      return false;
    }
    const unsubscribeLink = `${config.baseUrl}/unsubscribe/${unsubscribeIdOf(config.jwtSecret, contact._id)}`;
    const link = `${config.baseUrl}/t/${token}`;
    const template = effectiveTemplates((await Mailing.findById(campaign._id).lean())?.templates)[contact.lang];
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
      await SendClaim.deleteOne({ _id: claimIdOf(contact._id, kind, sequence) });
      const attempts = contact.attempts + 1;
      const reason = reasonOf(err);
      const giveUp = attempts >= MAX_ATTEMPTS;
      await Contact.updateOne(
        { _id: contact._id },
        {
          $set: {
            status: giveUp && reason.permanent ? 'bounced' : 'failed',
            attempts,
            lastError: reason.text,
            pending: giveUp ? null : kind,
            nextAttemptAt: giveUp ? null : new Date(this.now().getTime() + BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!),
          },
        },
      );
      logger?.warn({ campaign: campaign._id, kind, attempts, reason: reason.text }, giveUp ? 'invitation given up' : 'invitation failed; will retry');
      return false;
    }
    await Contact.updateOne(
      { _id: contact._id },
      { $set: { ...done, pending: null, attempts: 0, nextAttemptAt: null, lastSentAt: this.now(), lastError: '' }, $inc: { sends: 1 } },
    );
    return true;
  }
}

/** Started by bootstrap: returns the stop function. Without SMTP_URL it does nothing. */
export function startInvitationWorker(config: WorkerOptions['config'], logger: Logger): () => Promise<void> {
  if (!config.smtpUrl) return () => Promise.resolve();
  const worker = new InvitationWorker({ config, logger }).start();
  return () => worker.stop();
}
