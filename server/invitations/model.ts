// Invitations by email: contacts of a campaign (employers and alumni from a contact list, students from a
// cohort roster), the campaign's mailing settings, templates and reminder schedule, the send claims that
// make every mail go out once, the sending workers' heartbeats, and unsubscribe keys.
// A contact NEVER refers to a response: whether it answered is read from the unused-token record of its
// derived token (tokens.ts), by _id, when needed — nothing is written at submission time, nothing about
// answering is kept (a reminder step passes alike for those who answered, without a mail: delivery.ts),
// and no time finer than the day (retry times live in the worker's memory).
import mongoose, { Schema } from 'mongoose';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import type { ScheduleStep } from './schedule.js';

export const CONTACT_STATUSES = ['pending', 'sent', 'failed', 'bounced', 'unsubscribed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const SEND_KINDS = ['invitation', 'reminder'] as const;
export type SendKind = (typeof SEND_KINDS)[number];
/** Where a contact came from: a contact list (employers, alumni) or a cohort roster (students). */
export const CONTACT_SOURCES = ['contacts', 'roster'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

export interface ContactDoc {
  /** sha256 of campaign + lower-cased email (ids.ts contactIdOf). */
  _id: string;
  campaign: string;
  source: ContactSource;
  /** Empty for a roster row without a name (the mail then greets "student"). */
  name: string;
  organisation: string;
  email: string;
  lang: Lang;
  /** Programme id (the graduates this person supervises). */
  programme: string;
  faculty: string;
  /** Roster contacts: the cohort id (their link counts there, as a cohort's slips do); '' otherwise. */
  cohort: string;
  status: ContactStatus;
  /** Invitation and reminder steps passed (a mail, or — for someone who answered — none, recorded alike). */
  sends: number;
  reminders: number;
  /** The invitation token's records are in `tokens`/`unused_tokens` (stored with the whole list at import). */
  tokenStored: boolean;
  /** A mail waiting to go out (null = nothing queued). */
  pending: SendKind | null;
  /** Failed attempts at the pending mail. */
  attempts: number;
  /** YYYY-MM-DD (the university's day, TIME_ZONE) of the last mail delivered; the day is all reminders need. */
  lastSentOn: string | null;
  /** YYYY-MM-DD of the invitation: the schedule's "days after the invitation" count from here. */
  invitedOn: string | null;
  /** YYYY-MM-DD of the last schedule step served (schedule.ts): steps up to it are done. */
  lastStepOn: string | null;
  /** The queued reminder serves the schedule step of this day (null: a reminder sent by hand). */
  pendingStep: string | null;
  lastError: string;
  /** YYYY-MM-DD (TIME_ZONE) of the import. */
  createdOn: string;
}

const contactSchema = new Schema<ContactDoc>(
  {
    _id: String,
    campaign: { type: String, required: true },
    source: { type: String, enum: CONTACT_SOURCES, default: 'contacts' },
    name: { type: String, default: '' },
    organisation: { type: String, default: '' },
    email: { type: String, required: true },
    lang: { type: String, enum: LANGUAGES, required: true },
    programme: { type: String, required: true },
    faculty: { type: String, default: '' },
    cohort: { type: String, default: '' },
    status: { type: String, enum: CONTACT_STATUSES, default: 'pending' },
    sends: { type: Number, default: 0 },
    reminders: { type: Number, default: 0 },
    tokenStored: { type: Boolean, default: false },
    pending: { type: String, enum: [...SEND_KINDS, null], default: null },
    attempts: { type: Number, default: 0 },
    lastSentOn: { type: String, default: null },
    invitedOn: { type: String, default: null },
    lastStepOn: { type: String, default: null },
    pendingStep: { type: String, default: null },
    lastError: { type: String, default: '' },
    createdOn: { type: String, required: true },
  },
  { versionKey: false },
);
// For MongoDB (the embedded store scans regardless): the send log reads a campaign's contacts at once.
contactSchema.index({ campaign: 1 });
export const Contact = mongoose.model<ContactDoc>('Contact', contactSchema, 'contacts');

/** The segment a contact's personal link counts in: their programme, and a roster student's cohort. */
export const segmentOf = (c: Pick<ContactDoc, 'faculty' | 'programme' | 'cohort'>) => ({ faculty: c.faculty, programme: c.programme, ...(c.cohort ? { cohort: c.cohort } : {}) });

export interface MailTemplate {
  subject: string;
  body: string;
}
export type Templates = Record<Lang, MailTemplate>;

export interface SummaryCounts {
  contacts: number;
  sent: number;
  failed: number;
  bounced: number;
  unsubscribed: number;
  answered: number;
  queued: number;
}

/** One per campaign that has invitations (_id = campaign id): settings, templates, its contacts' ids. */
export interface MailingDoc {
  _id: string;
  /** Empty = the defaults (templates.ts). */
  templates: Partial<Templates>;
  maxReminders: number;
  reminderDays: number;
  /** Scheduled reminders (empty: reminders only by hand). When to look for due steps is the worker's memory. */
  schedule: ScheduleStep[];
  /** Contact ids, so the worker and the page read contacts by _id instead of scanning. */
  contactIds: string[];
  /** The worker has queued mails to look at. */
  active: boolean;
  /** Counts each time mail is queued (wakes a worker that sleeps over this mailing's waiting mail; no time). */
  queueVersion: number;
  /** Counts kept when the contacts were deleted after the campaign closed. */
  archived: SummaryCounts | null;
  updatedAt: Date;
}

const mailingSchema = new Schema<MailingDoc>(
  {
    _id: String,
    templates: { type: Schema.Types.Mixed, default: {} },
    maxReminders: { type: Number, default: 2 },
    reminderDays: { type: Number, default: 3 },
    schedule: { type: Schema.Types.Mixed, default: () => [] },
    contactIds: { type: [String], default: [] },
    active: { type: Boolean, default: false },
    queueVersion: { type: Number, default: 0 },
    archived: { type: Schema.Types.Mixed, default: null },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, minimize: false },
);
export const Mailing = mongoose.model<MailingDoc>('Mailing', mailingSchema, 'invitation_mailings');

/**
 * A claim inserted BEFORE a mail is sent: _id = HMAC(secret; campaign, contact, kind, sequence), so only
 * the server can tell whose it is, or that + ':again' for the one resend of a mail whose sender died
 * mid-delivery. E11000 = already claimed. Claims of one pass go in as one shuffled batch. `worker` names
 * the process that holds it (its heartbeat says whether it still lives).
 */
export interface SendClaimDoc {
  _id: string;
  campaign: string;
  kind: SendKind;
  /** The claiming worker's instance id (random; no time). */
  worker: string;
  /** YYYY-MM-DD (TIME_ZONE). */
  claimedOn: string;
}
const claimSchema = new Schema<SendClaimDoc>(
  { _id: String, campaign: { type: String, required: true }, kind: { type: String, required: true }, worker: { type: String, default: '' }, claimedOn: { type: String, required: true } },
  { versionKey: false },
);
export const SendClaim = mongoose.model<SendClaimDoc>('SendClaim', claimSchema, 'invitation_sends');

/**
 * A sending worker's heartbeat (_id = its instance id): a counter it increments every few seconds while it
 * runs — a count, not a time, so the files keep no time of day. A counter that has not moved for a while
 * (seen twice by another worker) belongs to a dead process.
 */
const workerSchema = new Schema<{ _id: string; beats: number }>({ _id: String, beats: { type: Number, default: 0 } }, { versionKey: false });
export const MailWorker = mongoose.model('MailWorker', workerSchema, 'invitation_workers');

/** Unsubscribe link id (HMAC of the contact id) → contact id, read by _id. */
const unsubscribeSchema = new Schema<{ _id: string; contact: string }>({ _id: String, contact: { type: String, required: true } }, { versionKey: false });
export const UnsubscribeKey = mongoose.model('UnsubscribeKey', unsubscribeSchema, 'invitation_unsubscribe_keys');
