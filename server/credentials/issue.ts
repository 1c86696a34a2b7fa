// Issuance: a respondent who proves eligibility with a token (a slip, a personal invitation link) gets ONE
// blind signature on a message only their browser knows. Exactly once per token by a unique insert — the
// issuance record, _id = hash of the token, in the campaign's own collection (campaigns/issuances.ts) — which
// is also what makes the token read as used everywhere (reminders stop, the ordinary path refuses it). It is
// the only write: the token's unused record is left as it was (deleting it cost a second command, and a
// transaction per _id on the embedded store, for every issuance).
//
// What the issuance record holds: the token's hash and a hash of the blinded message, nothing else — no
// time, no address, no campaign field (the collection is the campaign's). The blinded message is a
// uniformly random number to anyone without the browser's blinding factor (RFC 9474 §7.2, blindness), so
// neither it nor the signature on it can be matched to the credential spent later. Its hash is kept so that
// a browser that lost the answer can ask again with the same blinded message and get the same signature;
// another blinded message for the same token is refused.
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { issuanceId, issuances, type IssuanceDoc } from '../campaigns/issuances.js';
import { AppError, unavailable } from '../lib/errors.js';
import { sha256 } from '../lib/ids.js';
import type { UniqueInserts } from '../lib/group-commit.js';
import { ensureKey, signingKey } from './keys.js';
import { fromBase64url, KEY_BYTES, SigningFailure } from './rsa.js';
import type { BlindSigner } from './signer.js';

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
export async function issueCredential(deps: { secret: string; inserts: UniqueInserts; signer: BlindSigner }, campaign: CampaignDoc, token: string, blindedMessage: string): Promise<Issued> {
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
    signature = await deps.signer.sign(privateKey, key.publicKey, blinded);
  } catch (err) {
    if (err instanceof RangeError) throw new AppError(400, 'invalid_blinded_message', `The blinded message is not valid for this survey\u2019s key: ${err.message}.`);
    if (err instanceof SigningFailure) throw err;
    throw unavailable('The survey\u2019s signing is not available just now. Please try again in a few seconds.');
  }
  const record: IssuanceDoc = { _id: issuanceId(token), blinded: sha256(blindedMessage) };
  const collection = issuances(campaign._id);
  // The claim, exactly once: the unique insert, joined with the other issuances of the moment in one command.
  // If it fails (the database went away) nothing is used up, and the browser asks again.
  const claimed = await deps.inserts.insert(collection, record);
  if (claimed) return { blindSignature: signature.toString('base64url'), status: 'issued' };
  const earlier = await collection.findOne({ _id: record._id });
  if (earlier?.blinded !== record.blinded) {
    throw new AppError(409, 'credential_issued', 'A credential has already been issued for this personal link or slip — to the browser that opened it first. Continue in that browser; if that is not possible, ask the organisers for a new slip.');
  }
  // The same blinded message again: the browser did not receive the first answer.
  return { blindSignature: signature.toString('base64url'), status: 'again' };
}
