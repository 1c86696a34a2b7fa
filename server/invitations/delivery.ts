// Delivering a batch of queued mails: skip what is no longer due, claim the rest, render each (text + HTML),
// hand it to SMTP, record the outcome. A claim is a unique insert (the only atomic primitive on the embedded
// store), HMAC-keyed and inserted with the batch's others in one shuffled insertMany. While its worker lives
// nobody else sends that mail; a worker that died mid-delivery leaves a claim nobody completed, and the mail
// is sent once more under a second claim with the same Message-ID (whether the SMTP server had accepted it is
// unknowable; the only double is a crash in the instant between the server's "250 OK" and our record of it,
// and the shared Message-ID lets mailboxes fold it). For someone who answered, a reminder is claimed and
// recorded exactly as if it had gone, at its turn in the shuffled batch, without a mail: the claims and the
// order of the writes (which a copy of the write-ahead log keeps) read alike for those who answered.
// Logs never carry email addresses or anything that could join a contact to a response.
import type { Collection } from 'mongodb';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { CampaignDoc } from '../campaigns/model.js';
import { storeTokens, today } from '../campaigns/tokens.js';
import type { Config } from '../config.js';
import { shuffle } from '../lib/shuffle.js';
import { claimIdOf, contactToken, unsubscribeIdOf } from './keys.js';
import { Contact, Mailing, MailWorker, SendClaim, segmentOf, type ContactDoc, type SendClaimDoc, type SendKind, type Templates } from './model.js';
import { hasAnswered } from './service.js';
import { DEFAULT_TEMPLATES, effectiveTemplates, formatDate, renderMail, STUDENT_TEMPLATES } from './templates.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
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
      await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers });
    },
    close: () => transport.close(),
  };
}

/** Waits after the 1st, 2nd, … failed attempt; after MAX_ATTEMPTS the mail is given up. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
export const MAX_ATTEMPTS = 5;

export interface DeliveryContext {
  config: Pick<Config, 'jwtSecret' | 'baseUrl'>;
  mailer: Mailer;
  logger?: Logger;
  now: () => Date;
  /** This worker's instance id (its claims carry it). */
  worker: string;
  /** A worker whose heartbeat has not moved for this long is taken for dead. */
  staleMs: number;
  /** Heartbeats of other workers as last seen: worker id → its counter, and when (ms) it was seen to change. */
  seen: Map<string, { beats: number; at: number }>;
  /** Keeps a contact's mail waiting until then (the worker's memory: a contact keeps no time). */
  retryAt(contactId: string, at: number | undefined): void;
}

export type Outcome = 'sent' | 'skipped' | 'failed' | 'held';

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000 || /E11000/.test(String((err as Error)?.message ?? ''));

/** A short reason without addresses (SMTP replies often echo the recipient). */
function reasonOf(err: unknown): { text: string; permanent: boolean } {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const code = e.responseCode;
  const text = `${code ?? e.code ?? 'error'}: ${String(e.message ?? err)}`.replace(/[^\s<>@]+@[^\s<>@]+/g, '<address>').slice(0, 300);
  return { text, permanent: typeof code === 'number' && code >= 500 && code < 600 };
}

/** Alive until its heartbeat counter is seen standing still for staleMs (or is gone: a stopped worker removes it). */
async function workerAlive(ctx: DeliveryContext, worker: string): Promise<boolean> {
  if (!worker) return false;
  const beat = await MailWorker.findById(worker).lean();
  if (!beat) return false;
  const last = ctx.seen.get(worker);
  if (!last || last.beats !== beat.beats) {
    ctx.seen.set(worker, { beats: beat.beats, at: Date.now() });
    return true;
  }
  return Date.now() - last.at < ctx.staleMs;
}

interface Claimed {
  contact: ContactDoc;
  kind: SendKind;
  sequence: number;
  id: string;
}

/** What the contact records once its mail is out (or, for someone who answered, its turn has passed). */
function doneUpdate(contact: ContactDoc, kind: SendKind, sequence: number, day: string) {
  return {
    $set: {
      status: 'sent' as const,
      pending: null,
      pendingStep: null,
      attempts: 0,
      lastSentOn: day,
      lastError: '',
      ...(kind === 'invitation' ? { invitedOn: contact.invitedOn ?? day } : { reminders: sequence }),
      ...(kind === 'reminder' && contact.pendingStep ? { lastStepOn: contact.pendingStep } : {}),
    },
    ...(kind === 'reminder' || contact.sends === 0 ? { $inc: { sends: 1 } } : {}),
  };
}

/** Delivers a batch of one campaign's due mails; returns each contact's outcome. */
export async function deliverBatch(ctx: DeliveryContext, campaign: CampaignDoc, contacts: ContactDoc[]): Promise<Map<string, Outcome>> {
  const { config } = ctx;
  const outcomes = new Map<string, Outcome>();
  const day = today(ctx.now());
  const ready: ContactDoc[] = [];
  for (const contact of contacts) {
    // A step already served, queued again by a pass that read the contact before it was recorded (another
    // worker's, on MongoDB with several processes): no second mail.
    const served = contact.pending === 'reminder' && contact.pendingStep !== null && contact.lastStepOn !== null && contact.pendingStep <= contact.lastStepOn;
    if (contact.status === 'unsubscribed' || served) {
      await Contact.updateOne({ _id: contact._id }, { $set: { pending: null, pendingStep: null } });
      outcomes.set(contact._id, 'skipped');
    } else ready.push(contact);
  }
  // Contacts imported before tokens were stored with the list: their tokens, in one shuffled batch too.
  const legacy = ready.filter((c) => !c.tokenStored);
  await storeTokens(
    campaign._id,
    legacy.map((c) => ({ token: contactToken(config.jwtSecret, campaign._id, c._id), segment: segmentOf(c) })),
    'invitation',
  );
  for (const c of legacy) await Contact.updateOne({ _id: c._id }, { $set: { tokenStored: true } });

  const claims: Claimed[] = shuffle(
    ready.map((contact) => {
      const kind = contact.pending!;
      const sequence = kind === 'invitation' ? 0 : contact.reminders + 1;
      return { contact, kind, sequence, id: claimIdOf(config.jwtSecret, campaign._id, contact._id, kind, sequence) };
    }),
  );
  const taken = new Set<number>();
  if (claims.length) {
    const docs: SendClaimDoc[] = claims.map((c) => ({ _id: c.id, campaign: campaign._id, kind: c.kind, worker: ctx.worker, claimedOn: day }));
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
  const mailing = await Mailing.findById(campaign._id).lean();
  for (const [i, claim] of claims.entries()) {
    let id: string | undefined = claim.id;
    if (taken.has(i)) {
      const held = await claimHeld(ctx, campaign._id, claim);
      if (held === 'held') {
        // Another live worker is on it; look again when it would be taken for dead.
        ctx.retryAt(claim.contact._id, ctx.now().getTime() + ctx.staleMs);
        outcomes.set(claim.contact._id, 'held');
        continue;
      }
      id = held === 'again' ? `${claim.id}:again` : undefined;
    }
    if (!id) {
      // Claimed by this worker before (the record failed after the mail went), or sent twice in doubt already.
      await record(claim, day);
      ctx.logger?.info({ campaign: campaign._id, kind: claim.kind }, 'invitation claimed before; recorded as sent');
      outcomes.set(claim.contact._id, 'skipped');
      continue;
    }
    // Read here, at its turn (a read leaves nothing in the files): no mail, and the same claim and record.
    if (claim.kind === 'reminder' && (await hasAnswered(config.jwtSecret, campaign, claim.contact))) {
      await record(claim, day);
      ctx.retryAt(claim.contact._id, undefined);
      outcomes.set(claim.contact._id, 'skipped');
      continue;
    }
    outcomes.set(claim.contact._id, await send(ctx, campaign, mailing?.templates, claim, id, day));
  }
  return outcomes;
}

/** A claim that exists already: 'held' (a live worker has it), 'again' (its worker died: resend once), or 'done'. */
async function claimHeld(ctx: DeliveryContext, campaign: string, claim: Claimed): Promise<'held' | 'again' | 'done'> {
  const first = await SendClaim.findById(claim.id).lean();
  // Gone since the insert failed: another worker just recorded it — look again, it will not be pending.
  if (!first) return 'held';
  if (first.worker === ctx.worker) return 'done';
  if (await workerAlive(ctx, first.worker)) return 'held';
  try {
    await SendClaim.create({ _id: `${claim.id}:again`, campaign, kind: claim.kind, worker: ctx.worker, claimedOn: today(ctx.now()) });
    return 'again';
  } catch (err) {
    if (!isDuplicate(err)) throw err;
  }
  const second = await SendClaim.findById(`${claim.id}:again`).lean();
  if (!second) return 'held';
  if (second.worker !== ctx.worker && (await workerAlive(ctx, second.worker))) return 'held';
  return 'done';
}

/** The contact records its mail or its passed turn (the claims stay: keyed by the secret, they name nobody without it). */
async function record(claim: Claimed, day: string): Promise<void> {
  await Contact.updateOne({ _id: claim.contact._id }, doneUpdate(claim.contact, claim.kind, claim.sequence, day));
}

async function send(ctx: DeliveryContext, campaign: CampaignDoc, stored: Partial<Templates> | undefined, claim: Claimed, claimId: string, day: string): Promise<Outcome> {
  const { config, logger } = ctx;
  const { contact, kind } = claim;
  // Without stored templates: the students' texts for a roster, the employers' and alumni's for a contact list.
  const template = effectiveTemplates(stored, contact.source === 'roster' ? STUDENT_TEMPLATES : DEFAULT_TEMPLATES)[contact.lang];
  const unsubscribeLink = `${config.baseUrl}/unsubscribe/${unsubscribeIdOf(config.jwtSecret, contact._id)}`;
  const mail = renderMail(template, kind, contact.lang, {
    name: contact.name,
    organisation: contact.organisation,
    // The survey opens in the language of the mail (the respondent may switch it there).
    link: `${config.baseUrl}/t/${contactToken(config.jwtSecret, campaign._id, contact._id)}?lang=${contact.lang}`,
    unsubscribeLink,
    closesAt: formatDate(campaign.closesAt, contact.lang),
    campaignTitle: campaign.title[contact.lang],
  });
  try {
    await ctx.mailer.send({
      to: contact.email,
      ...mail,
      messageId: `<${claim.id.slice(0, 40)}@${new URL(config.baseUrl).hostname}>`,
      headers: { 'List-Unsubscribe': `<${unsubscribeLink}>`, 'Content-Language': contact.lang },
    });
  } catch (err) {
    // Give our claim back (a dead worker's first claim stays, so the retry is still its one resend).
    await SendClaim.deleteOne({ _id: claimId });
    const attempts = contact.attempts + 1;
    const reason = reasonOf(err);
    const giveUp = attempts >= MAX_ATTEMPTS;
    await Contact.updateOne({ _id: contact._id }, { $set: { status: giveUp && reason.permanent ? 'bounced' : 'failed', attempts, lastError: reason.text, pending: giveUp ? null : kind, ...(giveUp ? { pendingStep: null } : {}) } });
    ctx.retryAt(contact._id, giveUp ? undefined : ctx.now().getTime() + BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!);
    logger?.warn({ campaign: campaign._id, kind, attempts, reason: reason.text }, giveUp ? 'invitation given up' : 'invitation failed; will retry');
    return 'failed';
  }
  await record(claim, day);
  ctx.retryAt(contact._id, undefined);
  return 'sent';
}
