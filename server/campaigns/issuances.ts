// A token of a campaign with blind credentials is used when its credential is issued, and the issuance record
// is what says so: one document per token in the campaign's own `credential_issues_<campaign>`, _id = a hash
// of the token, inserted once (server/credentials/issue.ts). Nothing else is written when a credential is
// issued — the token's unused record stays as the slips were printed — so issuing costs one database command,
// and "used" is read here: the unused record gone (the ordinary path) or an issuance record there (blind).
//
// Kept beside the tokens rather than in credentials/: invitations (reminders, "answered") and the token pages
// ask whether a token is used, and they know campaigns, not the credential protocol.
import mongoose from 'mongoose';
import type { Collection } from 'mongodb';
import { normaliseToken, sha256 } from '../lib/ids.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';

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

/** Has a credential been issued for this token? By _id. */
export async function credentialIssued(campaign: string, token: string): Promise<boolean> {
  return Boolean(await issuances(campaign).findOne({ _id: issuanceId(token) }, { projection: { _id: 1 } }));
}

/**
 * Which of these tokens of the campaign got a credential: one pass over the campaign's issuance records (as
 * many as credentials issued), whatever the number of tokens asked about.
 */
export async function credentialsIssuedAmong(campaign: string, tokens: string[]): Promise<Set<string>> {
  const byId = new Map(tokens.map((t) => [issuanceId(t), t]));
  const issued = new Set<string>();
  for await (const d of issuances(campaign).find({}, { projection: { _id: 1 } })) {
    const t = byId.get(d._id);
    if (t) issued.add(t);
  }
  return issued;
}

export async function countIssued(campaign: string): Promise<number> {
  return issuances(campaign).countDocuments({});
}
