// Single-use tokens. Only hashes are stored: `tokens` (issued; what a token is for) and `unused_tokens`
// (one document per token not yet used). Redeeming DELETES the unused document: the delete is exact
// under concurrency (one connection on the embedded store; atomic on MongoDB) and, unlike inserting a
// "used" record, leaves no trace of when or in which order tokens were used, so nothing can be paired
// with the storage order of responses (on the embedded store secure_delete zeroes the record's bytes).
// The two records of a token have unrelated _ids (hashes of the token with different prefixes) and are
// inserted in two independent random orders, so a copy of the files cannot tell which issued token a
// missing unused record belonged to. A token of a campaign with blind credentials is used differently: by
// the issuance of its credential, which writes an issuance record and leaves the unused one (issuances.ts).
import mongoose, { Schema } from 'mongoose';
import type { Collection } from 'mongodb';
import { createHmac } from 'node:crypto';
import type { Actor } from '../accounts/actor.js';
import { localDay } from '../lib/dates.js';
import { badRequest } from '../lib/errors.js';
import { normaliseToken, randomBase32, sha256, TOKEN_PATTERN } from '../lib/ids.js';
import { shuffle } from '../lib/shuffle.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import type { Segment } from '../responses/segment.js';
import { getCampaign } from './service.js';
import { credentialIssued } from './issuances.js';

export interface TokenDoc {
  _id: string;
  campaign: string;
  /** Where a response given with this token counts (a cohort's slips), if fixed. */
  segment: Segment;
  kind: 'slip' | 'invitation';
  /** The day the token was issued (no time of day). */
  issuedOn: string;
}

const tokenSchema = new Schema<TokenDoc>(
  {
    _id: String,
    campaign: { type: String, required: true },
    segment: { type: Schema.Types.Mixed, default: {} },
    kind: { type: String, enum: ['slip', 'invitation'], required: true },
    issuedOn: { type: String, required: true },
  },
  { versionKey: false, minimize: false },
);
export const Token = mongoose.model<TokenDoc>('Token', tokenSchema, 'tokens');
export const UnusedToken = mongoose.model('UnusedToken', new Schema<{ _id: string }>({ _id: String }, { versionKey: false }), 'unused_tokens');

export const SLIP_TOKEN_LENGTH = 12;
/** YYYY-MM-DD in the university's time zone: the finest time stored near a token or a contact. */
export const today = (now = new Date()) => localDay(now);

export function tokenHash(token: string): string {
  return sha256('token:' + normaliseToken(token));
}

/** The _id of a token's unused record: not derivable from its `tokens` record. */
export function unusedKey(token: string): string {
  return sha256('unused:' + normaliseToken(token));
}

/** Issues `count` slip tokens; returns them in plain text ONCE (for printing); only hashes are kept. */
export async function issueSlipTokens(actor: Actor, campaignId: string, count: number, segment: Segment): Promise<string[]> {
  await getCampaign(actor, campaignId);
  if (actor.role !== 'admin') throw badRequest('Only admins can issue tokens.');
  if (!Number.isInteger(count) || count < 1 || count > 5000) throw badRequest('Issue between 1 and 5,000 tokens at a time.');
  const tokens = Array.from({ length: count }, () => randomBase32(SLIP_TOKEN_LENGTH));
  await storeTokens(
    campaignId,
    tokens.map((token) => ({ token, segment })),
    'slip',
  );
  return tokens;
}

/**
 * A campaign's tokens by hash alone (the `tokens` _ids), one collection per campaign, so the number of
 * eligible credentials of a campaign is counted without reading every campaign's tokens (the public
 * verification page of blind credentials, server/credentials/). Written with the tokens, never at use.
 */
export function campaignTokens(campaignId: string): Collection<{ _id: string }> {
  if (!CAMPAIGN_ID.test(campaignId)) throw new Error('bad campaign id');
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<{ _id: string }>(`tokens_${campaignId}`);
}

/** How many tokens (slips and invitation links) the campaign has: a scan of its own token list only. */
export async function countEligible(campaignId: string): Promise<number> {
  return campaignTokens(campaignId).countDocuments({});
}

/**
 * Stores a batch of tokens (a sheet of slips, a contact list's invitations). Each collection gets the
 * batch in its own random order: neither follows the order of the slips or contacts, nor the other.
 */
export async function storeTokens(campaignId: string, batch: { token: string; segment: Segment }[], kind: TokenDoc['kind']): Promise<void> {
  if (!batch.length) return;
  const issuedOn = today();
  // The unused record goes first: a crash between the two inserts leaves a token that is unknown (and is
  // stored again on the next attempt), never one that looks used. Every insert is idempotent; the
  // campaign's count comes before the token record, so a token that can be used is always counted.
  await ignoreDuplicates(UnusedToken.insertMany(shuffle(batch.map((t) => ({ _id: unusedKey(t.token) }))), { ordered: false }));
  await ignoreDuplicates(campaignTokens(campaignId).insertMany(shuffle(batch.map((t) => ({ _id: tokenHash(t.token) }))), { ordered: false }));
  await ignoreDuplicates(Token.insertMany(shuffle(batch.map((t) => ({ _id: tokenHash(t.token), campaign: campaignId, segment: t.segment, kind, issuedOn }))), { ordered: false }));
}

async function ignoreDuplicates(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    type WriteError = { code?: number; err?: { code?: number } };
    const errors = (err as { writeErrors?: WriteError[] | WriteError }).writeErrors;
    // The driver's own insertMany names one failed document as an object, several as a list.
    const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
    if (!list.length || !list.every((e) => (e.code ?? e.err?.code) === 11000)) throw err;
  }
}

/** A personal invitation token derived from a secret, so reminders can rebuild the link without storing it. */
export function invitationToken(secret: string, campaignId: string, contactId: string): string {
  const digest = createHmac('sha256', secret).update(`invite:${campaignId}:${contactId}`).digest();
  let out = '';
  for (let i = 0; i < 20; i++) out += '0123456789abcdefghjkmnpqrstvwxyz'[digest[i]! & 31];
  return out;
}

export type TokenState = { state: 'unknown' } | { state: 'used'; token: TokenDoc } | { state: 'unused'; token: TokenDoc };

/** A token's state. `blind`: the campaign uses blind credentials, where issuing the credential uses the token. */
export async function lookupToken(campaignId: string, token: string, blind = false): Promise<TokenState> {
  const normal = normaliseToken(token);
  if (!TOKEN_PATTERN.test(normal)) return { state: 'unknown' };
  const hash = tokenHash(normal);
  const doc = (await Token.findById(hash).lean()) as TokenDoc | null;
  if (!doc || doc.campaign !== campaignId) return { state: 'unknown' };
  return (await isTokenUnused(campaignId, normal, blind)) ? { state: 'unused', token: doc } : { state: 'used', token: doc };
}

/** Unused: its unused record is there and, with blind credentials, no credential was issued for it. By _id. */
export async function isTokenUnused(campaignId: string, token: string, blind: boolean): Promise<boolean> {
  return (await isUnused(token)) && !(blind && (await credentialIssued(campaignId, token)));
}

/**
 * Tokens issued before the unused record had a key of its own kept their unused record under the token
 * hash; they are still honoured (a second read only for those and for used tokens).
 */
const legacyUnusedKey = tokenHash;

/** Is the token's unused record still there? By _id. */
export async function isUnused(token: string): Promise<boolean> {
  return Boolean((await UnusedToken.exists({ _id: unusedKey(token) })) ?? (await UnusedToken.exists({ _id: legacyUnusedKey(token) })));
}

/** Claims a token: true exactly once per token, however many requests race for it. */
export async function redeemToken(token: string): Promise<boolean> {
  if ((await UnusedToken.deleteOne({ _id: unusedKey(token) })).deletedCount === 1) return true;
  return (await UnusedToken.deleteOne({ _id: legacyUnusedKey(token) })).deletedCount === 1;
}

/** Gives a claimed token back when its response could not be stored, so the respondent can retry. */
export async function releaseToken(token: string): Promise<void> {
  await UnusedToken.create({ _id: unusedKey(token) }).catch(() => undefined);
}
