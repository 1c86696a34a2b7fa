// Stored responses: one collection per campaign ("responses_<campaign>"), so a recompute or an export
// scans only that campaign. A document holds the campaign, its segment, the day, the language and the
// answers — no token, account, address, user agent, time of day or sequence number. Its _id is a hash of
// a random submission id that only the respondent's browser knew, so a retry is recognised (E11000)
// without anything that could point back to the person. Only the submission service (respond/) writes
// here; analytics reads through eachResponse.
import mongoose from 'mongoose';
import type { Collection } from 'mongodb';
import { sha256 } from '../lib/ids.js';
import type { Lang } from '../lib/i18n/index.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import type { StoredAnswers } from './answers.js';
import type { Segment } from './segment.js';

export interface ResponseDoc {
  _id: string;
  campaign: string;
  segment: Segment;
  /** YYYY-MM-DD, the day it was stored (UTC); never the time. */
  day: string;
  lang: Lang;
  answers: StoredAnswers;
}

export function responsesCollectionName(campaign: string): string {
  if (!CAMPAIGN_ID.test(campaign)) throw new Error('bad campaign id');
  return `responses_${campaign}`;
}

export function responsesCollection(campaign: string): Collection<ResponseDoc> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<ResponseDoc>(responsesCollectionName(campaign));
}

/** The stored _id of a response: a hash of the random submission id only the respondent's browser knew. */
export const responseIdFor = (submissionId: string): string => sha256('response:' + submissionId);

/** Has the response with this submission id been stored (a retry, or a second click on "Submit")? By _id. */
export async function responseExists(campaign: string, submissionId: string): Promise<boolean> {
  return (await responsesCollection(campaign).countDocuments({ _id: responseIdFor(submissionId) }, { limit: 1 })) > 0;
}

/** Every stored response of a campaign, streamed (a scan of that campaign's collection only: never on a request path). */
export function eachResponse(campaign: string): AsyncIterable<ResponseDoc> {
  return responsesCollection(campaign).find({}, { batchSize: 2000 }) as AsyncIterable<ResponseDoc>;
}
