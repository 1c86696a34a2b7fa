// Invitations: summary counts, templates and reminder settings, queueing invitations and reminders for
// the worker (sender.ts), deleting contacts after the close, and unsubscribing. Admin only; the actor is
// checked here. Counts only: nothing here tells which contact answered.
import mongoose from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { getCampaign } from '../campaigns/service.js';
import { isTokenUnused, isUnused, today, tokenHash, UnusedToken, unusedKey } from '../campaigns/tokens.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { credentialsIssuedAmong } from '../campaigns/issuances.js';
import type { Config } from '../config.js';
import { AppError, conflict, forbidden, notFound } from '../lib/errors.js';
import { LANGUAGES } from '../lib/i18n/index.js';
import { contactToken, UNSUBSCRIBE_ID, unsubscribeIdOf } from './keys.js';
import { Contact, Mailing, SendClaim, UnsubscribeKey, type ContactDoc, type MailingDoc, type SendKind, type SummaryCounts, type Templates } from './model.js';
import { MAX_STEPS, scheduleStep, type ScheduleStep } from './schedule.js';
import { defaultTemplatesFor, effectiveTemplates, unknownPlaceholders } from './templates.js';

export const DAY_MS = 86_400_000;

export async function campaignForAdmin(actor: Actor, campaignId: string): Promise<CampaignDoc> {
  const campaign = await getCampaign(actor, campaignId);
  if (actor.role !== 'admin') throw forbidden('Only the quality-assurance department (admins) manages invitations.');
  return campaign;
}

/**
 * The mailing of a campaign, every field filled: a document created by an upsert (saving templates before
 * any contact was imported) holds only the fields that upsert set, so the defaults fill the rest.
 */
export async function loadMailing(campaignId: string): Promise<MailingDoc> {
  const doc = (await Mailing.findById(campaignId).lean()) as Partial<MailingDoc> | null;
  return { _id: campaignId, templates: {}, maxReminders: 2, reminderDays: 3, schedule: [], contactIds: [], active: false, queueVersion: 0, archived: null, updatedAt: new Date(0), ...doc };
}

/** Contacts of a campaign, each read by _id (no scan of the contacts collection). */
export async function* contactsOf(mailing: Pick<MailingDoc, 'contactIds'>): AsyncGenerator<ContactDoc> {
  for (const id of mailing.contactIds ?? []) {
    const c = (await Contact.findById(id).lean()) as ContactDoc | null;
    if (c) yield c;
  }
}

/**
 * Has this contact's personal token been used? Read from the unused-token record (and, with blind
 * credentials, the issuance record: getting the credential is what uses it), by _id; never stored.
 */
export async function hasAnswered(secret: string, campaign: Pick<CampaignDoc, 'blindCredentials'>, contact: Pick<ContactDoc, '_id' | 'campaign' | 'tokenStored'>): Promise<boolean> {
  if (!contact.tokenStored) return false;
  return !(await isTokenUnused(contact.campaign, contactToken(secret, contact.campaign, contact._id), usesBlindCredentials(campaign)));
}

/** Whole days from one YYYY-MM-DD to another. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** The day of the last mail (contacts stored by older versions kept a full date). */
function lastSentDay(c: ContactDoc): string | null {
  const legacy = (c as { lastSentAt?: Date | null }).lastSentAt;
  return c.lastSentOn ?? (legacy ? new Date(legacy).toISOString().slice(0, 10) : null);
}

/**
 * Which of these tokens are still unused. A few: reads by _id. Many: one pass over the unused-token records
 * (an `$in` of thousands is matched value by value per record on the embedded store).
 */
async function unusedAmong(tokens: string[]): Promise<Set<string>> {
  const unused = new Set<string>();
  if (tokens.length <= 50) {
    for (const t of tokens) if (await isUnused(t)) unused.add(t);
    return unused;
  }
  // The unused record's key, and the token hash under which lists stored by older versions kept it.
  const byKey = new Map<string, string>();
  for (const t of tokens) {
    byKey.set(unusedKey(t), t);
    byKey.set(tokenHash(t), t);
  }
  for await (const d of UnusedToken.find({}, { _id: 1 }).lean().cursor()) {
    const t = byKey.get(String(d._id));
    if (t) unused.add(t);
  }
  return unused;
}

/**
 * The send log's counts. Two reads, whatever the number of contacts: the campaign's contacts, and the
 * unused-token records (reading thousands one by one takes seconds; each is a scan on the embedded store,
 * indexed on MongoDB). Who answered is counted, never written down.
 */
export async function countsOf(config: Pick<Config, 'jwtSecret'>, campaign: Pick<CampaignDoc, 'blindCredentials'>, mailing: MailingDoc): Promise<SummaryCounts> {
  if (mailing.archived && !mailing.contactIds.length) return mailing.archived;
  const n: SummaryCounts = { contacts: 0, sent: 0, failed: 0, bounced: 0, unsubscribed: 0, answered: 0, queued: 0 };
  const listed = new Set(mailing.contactIds);
  const contacts = ((await Contact.find({ campaign: mailing._id }).lean()) as ContactDoc[]).filter((c) => listed.has(c._id));
  const tokens: string[] = [];
  for (const c of contacts) {
    n.contacts += 1;
    if (c.sends > 0) n.sent += 1;
    if (c.status === 'failed') n.failed += 1;
    if (c.status === 'bounced') n.bounced += 1;
    if (c.status === 'unsubscribed') n.unsubscribed += 1;
    if (c.pending) n.queued += 1;
    if (c.tokenStored) tokens.push(contactToken(config.jwtSecret, c.campaign, c._id));
  }
  if (tokens.length) {
    const unused = await unusedAmong(tokens);
    // With blind credentials a token is used when its credential is issued; its unused record stays.
    const issued = usesBlindCredentials(campaign) && unused.size ? await credentialsIssuedAmong(mailing._id, [...unused]) : new Set<string>();
    n.answered = tokens.length - unused.size + issued.size;
  }
  return n;
}

export interface InvitationsSummary {
  campaignId: string;
  state: ReturnType<typeof effectiveStatus>;
  counts: SummaryCounts;
  contactsDeleted: boolean;
  templates: Templates;
  maxReminders: number;
  reminderDays: number;
  schedule: ScheduleStep[];
  smtpConfigured: boolean;
  /** The university's time zone and night (no scheduled reminders), and the send rate: server settings. */
  timeZone: string;
  quietHours: string;
  mailRatePerMinute: number;
}

type SummaryConfig = Pick<Config, 'jwtSecret' | 'smtpUrl' | 'timeZone' | 'quietHours' | 'mailRatePerMinute'>;
const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

export async function invitationsSummary(actor: Actor, config: SummaryConfig, campaignId: string): Promise<InvitationsSummary> {
  const campaign = await campaignForAdmin(actor, campaignId);
  const mailing = await loadMailing(campaignId);
  return {
    campaignId,
    state: effectiveStatus(campaign),
    counts: await countsOf(config, campaign, mailing),
    contactsDeleted: Boolean(mailing.archived) && !mailing.contactIds.length,
    templates: effectiveTemplates(mailing.templates, defaultTemplatesFor(campaign.audience.kind)),
    maxReminders: mailing.maxReminders,
    reminderDays: mailing.reminderDays,
    schedule: mailing.schedule,
    smtpConfigured: Boolean(config.smtpUrl),
    timeZone: config.timeZone,
    quietHours: config.quietHours ? `${hour(config.quietHours.from)}–${hour(config.quietHours.to)}` : '',
    mailRatePerMinute: config.mailRatePerMinute,
  };
}

const template = z.strictObject({ subject: z.string().max(200).trim().min(1), body: z.string().max(10_000).trim().min(1).regex(/\{\{link\}\}/, 'must contain {{link}} (the personal survey link)') });
export const settingsInput = z.strictObject({
  templates: z.strictObject({ kk: template, ru: template, en: template }),
  maxReminders: z.number().int().min(0).max(10).optional().describe('unchanged when absent'),
  reminderDays: z.number().int().min(1).max(60).optional().describe('unchanged when absent'),
});
export type SettingsInput = z.infer<typeof settingsInput>;

export async function saveSettings(actor: Actor, campaignId: string, input: SettingsInput): Promise<void> {
  await campaignForAdmin(actor, campaignId);
  for (const lang of LANGUAGES) {
    const t = input.templates[lang];
    const unknown = unknownPlaceholders(`${t.subject} ${t.body}`);
    if (unknown.length) throw new AppError(400, 'validation_failed', `${lang}: unknown placeholder${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `{{${u}}}`).join(', ')}`, [{ path: `templates.${lang}`, message: 'unknown placeholder' }]);
    if (!t.body.includes('{{link}}')) throw new AppError(400, 'validation_failed', `${lang}: the body must contain {{link}} (the personal survey link).`, [{ path: `templates.${lang}.body`, message: 'missing {{link}}' }]);
  }
  const limits = { ...(input.maxReminders !== undefined ? { maxReminders: input.maxReminders } : {}), ...(input.reminderDays !== undefined ? { reminderDays: input.reminderDays } : {}) };
  await Mailing.updateOne({ _id: campaignId }, { $set: { templates: input.templates, ...limits, updatedAt: new Date() } }, { upsert: true });
  await recordAudit(actor, { action: 'update', entity: 'invitation_templates', entityId: campaignId, after: limits });
}

export const scheduleInput = z.strictObject({
  steps: z.array(scheduleStep).max(MAX_STEPS).describe('empty: reminders only by hand'),
  maxReminders: z.number().int().min(0).max(10).describe('reminders per person at most, scheduled and by hand together'),
  reminderDays: z.number().int().min(1).max(60).optional().describe('reminders by hand: days since the last mail at least (unchanged when absent)'),
});
export type ScheduleInput = z.infer<typeof scheduleInput>;

/** Saves the reminder schedule; the worker notices the change and looks for due steps at once. */
export async function saveSchedule(actor: Actor, campaignId: string, input: ScheduleInput, now = new Date()): Promise<void> {
  await campaignForAdmin(actor, campaignId);
  const keys = input.steps.map((s) => `${s.from}:${s.days}`);
  const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (twice >= 0) throw new AppError(400, 'validation_failed', `Step ${twice + 1} repeats an earlier step.`, [{ path: `steps.${twice}`, message: 'repeats an earlier step' }]);
  const steps = [...input.steps].sort((a, b) => (a.from === b.from ? (a.from === 'invitation' ? a.days - b.days : b.days - a.days) : a.from === 'invitation' ? -1 : 1));
  const limits = { maxReminders: input.maxReminders, ...(input.reminderDays !== undefined ? { reminderDays: input.reminderDays } : {}) };
  await Mailing.updateOne({ _id: campaignId }, { $set: { schedule: steps, ...limits, updatedAt: now } }, { upsert: true });
  await recordAudit(actor, { action: 'update', entity: 'reminder_schedule', entityId: campaignId, after: { steps, ...limits } });
}

export function smtpNotConfigured(): AppError {
  return new AppError(503, 'smtp_not_configured', 'Email cannot be sent: SMTP_URL is not configured on the server (for example smtp://user:password@mail.university.kz:587). Ask the administrator to set it and restart.');
}

/**
 * Queues mail for the worker. Invitations: contacts never invited. Reminders: invited contacts who did not
 * unsubscribe, have had fewer than maxReminders reminders and none in reminderDays — those who answered
 * too, so the queue does not tell who answered; they get no mail (delivery.ts) and are not in the count.
 */
export async function requestSend(actor: Actor, config: Pick<Config, 'jwtSecret' | 'smtpUrl'>, campaignId: string, kind: SendKind, now = new Date()): Promise<{ queued: number }> {
  const campaign = await campaignForAdmin(actor, campaignId);
  if (!config.smtpUrl) throw smtpNotConfigured();
  if (effectiveStatus(campaign, now) !== 'open') throw conflict('Invitations are sent only while the campaign is open.', 'campaign_not_open');
  const mailing = await loadMailing(campaignId);
  let queued = 0;
  for await (const c of contactsOf(mailing)) {
    if (c.pending || c.status === 'unsubscribed' || c.status === 'bounced') continue;
    if (kind === 'invitation' && c.sends > 0) continue;
    if (kind === 'reminder') {
      if (c.sends === 0 || c.reminders >= mailing.maxReminders) continue;
      const last = lastSentDay(c);
      if (last && daysBetween(last, today(now)) < mailing.reminderDays) continue;
    }
    await Contact.updateOne({ _id: c._id }, { $set: { pending: kind, pendingStep: null, attempts: 0, lastError: '' } });
    if (kind === 'invitation' || !(await hasAnswered(config.jwtSecret, campaign, c))) queued += 1;
  }
  await Mailing.updateOne({ _id: campaignId }, { $set: { active: true }, $inc: { queueVersion: 1 } }, { upsert: true });
  await recordAudit(actor, { action: kind === 'invitation' ? 'send_invitations' : 'send_reminders', entity: 'contacts', entityId: campaignId, after: { queued } });
  return { queued };
}

/** After the close: keeps the counts in the mailing document, then deletes every contact of the campaign. */
export async function deleteContacts(actor: Actor, config: Pick<Config, 'jwtSecret'>, campaignId: string, now = new Date()): Promise<SummaryCounts> {
  const campaign = await campaignForAdmin(actor, campaignId);
  if (effectiveStatus(campaign, now) !== 'closed') throw conflict('Contacts can be deleted only after the campaign has closed.', 'campaign_not_closed');
  const mailing = await loadMailing(campaignId);
  if (!mailing.contactIds.length) return mailing.archived ?? (await countsOf(config, campaign, mailing));
  const counts = await countsOf(config, campaign, mailing);
  await Mailing.updateOne({ _id: campaignId }, { $set: { archived: counts, active: false, updatedAt: now } }, { upsert: true });
  const ids = mailing.contactIds;
  await UnsubscribeKey.deleteMany({ _id: mongoose.trusted({ $in: ids.map((id) => unsubscribeIdOf(config.jwtSecret, id)) }) });
  await Contact.deleteMany({ _id: mongoose.trusted({ $in: ids }) });
  await SendClaim.deleteMany({ campaign: campaignId });
  await Mailing.updateOne({ _id: campaignId }, { $set: { contactIds: [] } });
  await recordAudit(actor, { action: 'delete_contacts', entity: 'contacts', entityId: campaignId, after: counts });
  return counts;
}

// ---- unsubscribing (anonymous: the link in the mail is the credential) ----

export async function contactByUnsubscribeId(id: string): Promise<ContactDoc> {
  if (!UNSUBSCRIBE_ID.test(id)) throw notFound('This unsubscribe link is not valid.');
  const key = await UnsubscribeKey.findById(id).lean();
  const contact = key ? ((await Contact.findById(key.contact).lean()) as ContactDoc | null) : null;
  if (!contact) throw notFound('This unsubscribe link is not valid, or the contact list has been deleted.');
  return contact;
}

export async function unsubscribe(id: string): Promise<ContactDoc> {
  const contact = await contactByUnsubscribeId(id);
  await Contact.updateOne({ _id: contact._id }, { $set: { status: 'unsubscribed', pending: null } });
  return { ...contact, status: 'unsubscribed' };
}
