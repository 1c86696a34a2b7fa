// Invitations by email: contacts of a campaign (employers, alumni), the campaign's mailing settings and
// templates, the send claims that make every mail go out at most once, and unsubscribe keys.
// A contact NEVER refers to a response: whether it answered is read from the unused-token record of its
// derived token (tokens.ts), by _id, when needed — nothing is written at submission time, nothing about
// answering is kept, and no time finer than the day (retry times live in the worker's memory).
import mongoose, { Schema } from 'mongoose';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';

export const CONTACT_STATUSES = ['pending', 'sent', 'failed', 'bounced', 'unsubscribed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const SEND_KINDS = ['invitation', 'reminder'] as const;
export type SendKind = (typeof SEND_KINDS)[number];

export interface ContactDoc {
  /** sha256 of campaign + lower-cased email (ids.ts contactIdOf). */
  _id: string;
  campaign: string;
  name: string;
  organisation: string;
  email: string;
  lang: Lang;
  /** Programme id (the graduates this person supervises). */
  programme: string;
  faculty: string;
  status: ContactStatus;
  /** Mails delivered (invitation + reminders). */
  sends: number;
  reminders: number;
  /** The invitation token's records are in `tokens`/`unused_tokens` (stored with the whole list at import). */
  tokenStored: boolean;
  /** A mail waiting to go out (null = nothing queued). */
  pending: SendKind | null;
  /** Failed attempts at the pending mail. */
  attempts: number;
  /** YYYY-MM-DD (UTC) of the last mail delivered; the day is all reminders need. */
  lastSentOn: string | null;
  lastError: string;
  /** YYYY-MM-DD (UTC) of the import. */
  createdOn: string;
}

const contactSchema = new Schema<ContactDoc>(
  {
    _id: String,
    campaign: { type: String, required: true },
    name: { type: String, required: true },
    organisation: { type: String, default: '' },
    email: { type: String, required: true },
    lang: { type: String, enum: LANGUAGES, required: true },
    programme: { type: String, required: true },
    faculty: { type: String, default: '' },
    status: { type: String, enum: CONTACT_STATUSES, default: 'pending' },
    sends: { type: Number, default: 0 },
    reminders: { type: Number, default: 0 },
    tokenStored: { type: Boolean, default: false },
    pending: { type: String, enum: [...SEND_KINDS, null], default: null },
    attempts: { type: Number, default: 0 },
    lastSentOn: { type: String, default: null },
    lastError: { type: String, default: '' },
    createdOn: { type: String, required: true },
  },
  { versionKey: false },
);
export const Contact = mongoose.model<ContactDoc>('Contact', contactSchema, 'contacts');

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
  /** Contact ids, so the worker and the page read contacts by _id instead of scanning. */
  contactIds: string[];
  /** The worker has queued mails to look at. */
  active: boolean;
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
    contactIds: { type: [String], default: [] },
    active: { type: Boolean, default: false },
    archived: { type: Schema.Types.Mixed, default: null },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, minimize: false },
);
export const Mailing = mongoose.model<MailingDoc>('Mailing', mailingSchema, 'invitation_mailings');

/**
 * A claim inserted BEFORE a mail is sent: _id = HMAC(secret; campaign, contact, kind, sequence), so only
 * the server can tell whose it is. E11000 = already claimed. Claims of one pass go in as one shuffled batch.
 */
export interface SendClaimDoc {
  _id: string;
  campaign: string;
  kind: SendKind;
  /** YYYY-MM-DD (UTC). */
  claimedOn: string;
}
const claimSchema = new Schema<SendClaimDoc>(
  { _id: String, campaign: { type: String, required: true }, kind: { type: String, required: true }, claimedOn: { type: String, required: true } },
  { versionKey: false },
);
export const SendClaim = mongoose.model<SendClaimDoc>('SendClaim', claimSchema, 'invitation_sends');

/** Unsubscribe link id (HMAC of the contact id) → contact id, read by _id. */
const unsubscribeSchema = new Schema<{ _id: string; contact: string }>({ _id: String, contact: { type: String, required: true } }, { versionKey: false });
export const UnsubscribeKey = mongoose.model('UnsubscribeKey', unsubscribeSchema, 'invitation_unsubscribe_keys');
