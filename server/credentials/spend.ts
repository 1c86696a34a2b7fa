// Spending a credential: the response is stored under the hash of the credential's message, so its _id IS
// the spent mark — a unique insert in the campaign's response collection, where a second response with the
// same credential meets E11000 and is refused. Nothing is written apart from the response itself: no
// separate "spent" list whose storage order would follow the order of submissions (and so, for people
// who answer soon after getting their credential, the order of issuance). The response collection is
// rewritten in random order by the mix (responses/mix.ts) like every other.
import { createHash } from 'node:crypto';
import type { CampaignDoc } from '../campaigns/model.js';
import { AppError } from '../lib/errors.js';
import { findKey } from './keys.js';
import { fromBase64url, KEY_BYTES, PREPARED_BYTES, verifyCredential } from './rsa.js';

export interface Credential {
  /** The prepared message (32 random bytes of prefix, 32 of message), base64url. */
  message: string;
  /** The unblinded RSASSA-PSS signature, base64url. */
  signature: string;
}

const invalid = (message: string) => new AppError(400, 'invalid_credential', message);

/**
 * Checks a credential against the campaign's published key and returns the submission id its response is
 * stored under (one per credential). Throws a 400 that says what is wrong.
 */
export async function credentialSubmissionId(campaign: Pick<CampaignDoc, '_id'>, credential: Credential): Promise<string> {
  const prepared = fromBase64url(credential.message);
  if (!prepared || prepared.length !== PREPARED_BYTES) throw invalid(`The credential's message must be ${PREPARED_BYTES} bytes in base64url (a 32-byte random prefix and a 32-byte random message).`);
  const signature = fromBase64url(credential.signature);
  if (!signature || signature.length !== KEY_BYTES) throw invalid(`The credential's signature must be ${KEY_BYTES} bytes in base64url.`);
  const key = await findKey(campaign._id);
  if (!key || !verifyCredential(key.publicKey, prepared, signature)) {
    throw invalid('The credential is not signed with this survey\u2019s key: it was not issued for this survey, or it was changed. Open the survey again from your personal link or slip.');
  }
  return submissionIdOf(prepared);
}

/** The submission id of a credential's response: its response _id is responseIdFor() of this. */
export const submissionIdOf = (prepared: Buffer): string => `credential:${createHash('sha256').update(prepared).digest('base64url')}`;

export const credentialSpent = () =>
  new AppError(409, 'credential_spent', 'This credential has already been used: a response given with it is stored, and a credential counts once.');
