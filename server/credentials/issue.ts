// Issuance: a respondent who proves eligibility with a token (a slip, a personal invitation link) gets ONE
// blind signature on a message only their browser knows. Exactly once per token by a unique insert — the
// issuance record, _id = hash of the token, in the campaign's own collection — and the token's unused
// record is then deleted, so it reads as used everywhere (reminders stop, the ordinary path refuses it).
//
// What the issuance record holds: the token's hash and a hash of the blinded message, nothing else — no
// time, no address, no campaign field (the collection is the campaign's). The blinded message is a
// uniformly random number to anyone without the browser's blinding factor (RFC 9474 §7.2, blindness), so
// neither it nor the signature on it can be matched to the credential spent later. Its hash is kept so that
// a browser that lost the answer can ask again with the same blinded message and get the same signature;
// another blinded message for the same token is refused.
import mongoose from 'mongoose';
import type { Collection } from 'mongodb';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { unusedKeysOf, unusedTokens } from '../campaigns/tokens.js';
import { AppError, unavailable } from '../lib/errors.js';
import { normaliseToken, sha256 } from '../lib/ids.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import type { GroupedDeletes, UniqueInserts } from '../lib/group-commit.js';
import { ensureKey, signingKey } from './keys.js';
import { blindSign, fromBase64url, KEY_BYTES } from './rsa.js';

export interface IssuanceDoc {
  /** sha256("issued:" + token). */
  _id: string;
  /** sha256 of the blinded message, for an idempotent retry. */
  blinded: string;
}

/** The campaign's issuance records: one collection per campaign, so the verification page counts only its own. */
export function issuances(campaign: string): Collection<IssuanceDoc> {
  if (!CAMPAIGN_ID.test(campaign)) throw new Error('bad campaign id');
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<IssuanceDoc>(`credential_issues_${campaign}`);
}

export const issuanceId = (token: string) => sha256('issued:' + normaliseToken(token));

export const credentialsOff = () => new AppError(409, 'credentials_off', 'This survey does not use blind credentials: answer it with your personal link or slip code.');

export function notOpen(campaign: CampaignDoc): AppError | undefined {
  const state = effectiveStatus(campaign);
  if (state === 'open') return undefined;
  return new AppError(409, state === 'closed' ? 'campaign_closed' : 'campaign_not_open', state === 'closed' ? 'This survey has closed.' : 'This survey is not open yet.');
}

export interface Issued {
  /** The blind signature, base64url (RFC 9474 blind_sig, as many bytes as the modulus). */
  blindSignature: string;
  /** "issued" the first time; "again" when the same blinded message was signed before (a retry). */
  status: 'issued' | 'again';
}

/**
 * Signs `blindedMessage` (base64url) for the holder of `token`, once per token. The campaign and token
 * were found by the caller (under the guessing limits).
 */
export async function issueCredential(deps: { secret: string; inserts: UniqueInserts; deletes: GroupedDeletes }, campaign: CampaignDoc, token: string, blindedMessage: string): Promise<Issued> {
  if (!usesBlindCredentials(campaign)) throw credentialsOff();
  const closed = notOpen(campaign);
  if (closed) throw closed;
  const blinded = fromBase64url(blindedMessage);
  if (!blinded || blinded.length !== KEY_BYTES) throw new AppError(400, 'invalid_blinded_message', `The blinded message must be ${KEY_BYTES} bytes in base64url (RSABSSA-SHA384-PSS-Randomized with this survey\u2019s ${KEY_BYTES * 8}-bit key).`);
  const key = await ensureKey(deps.secret, campaign);
  const privateKey = key && (await signingKey(deps.secret, campaign._id));
  if (!key || !privateKey) throw unavailable('The survey\u2019s signing key is not available just now. Please try again in a few seconds.');
  // Sign first: a message the key cannot sign (not below the modulus) uses up nothing.
  let signature: Buffer;
  try {
    signature = blindSign(privateKey, key.publicKey, blinded);
  } catch (err) {
    if (err instanceof RangeError) throw new AppError(400, 'invalid_blinded_message', `The blinded message is not valid for this survey\u2019s key: ${err.message}.`);
    throw err;
  }
  const record: IssuanceDoc = { _id: issuanceId(token), blinded: sha256(blindedMessage) };
  const collection = issuances(campaign._id);
  // The claim (exactly once: the unique insert) and, alongside it, the token's unused record deleted unread,
  // so the token reads as used and reminders stop. Both join the other issuances of the moment in one command
  // each. Whether the unused record was still there does not matter: no token of a campaign with blind
  // credentials can have been used another way (the option is fixed once the campaign opens, tokens are used
  // only while it is open, and the ordinary path refuses tokens for such campaigns: credential_required). If
  // the claim fails (the database went away), the token reads as used without a credential until the
  // browser asks again, which the claim then admits.
  const [claimed] = await Promise.all([deps.inserts.insert(collection, record), deps.deletes.delete(unusedTokens(), unusedKeysOf(token))]);
  if (claimed) return { blindSignature: signature.toString('base64url'), status: 'issued' };
  const earlier = await collection.findOne({ _id: record._id });
  if (earlier?.blinded !== record.blinded) {
    throw new AppError(409, 'credential_issued', 'A credential has already been issued for this personal link or slip — to the browser that opened it first. Continue in that browser; if that is not possible, ask the organisers for a new slip.');
  }
  // The same blinded message again: the browser did not receive the first answer.
  return { blindSignature: signature.toString('base64url'), status: 'again' };
}

export async function countIssued(campaign: string): Promise<number> {
  return issuances(campaign).countDocuments({});
}
