// THE write path for answers. Everything that stores a response, redeems a token or counts an answer
// passes here: anonymity (what a response may hold) and idempotency (unique _ids, a deleted unused-token
// record) are enforced in this one place.
//
// Concurrent submissions to one campaign are gathered into one insertMany (group commit: while one
// batch is being written the next one fills), shuffled so storage order within a batch says nothing.
// A respondent sees "thank you" only after their batch is acknowledged by the database.
import { shuffle } from '../lib/shuffle.js';
import { randomBase32, sha256 } from '../lib/ids.js';
import { AppError, unavailable } from '../lib/errors.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { redeemToken, releaseToken } from '../campaigns/tokens.js';
import type { Definition } from '../instruments/schema.js';
import { unitIncrements } from '../analytics/aggregates/increments.js';
import { aggregateWriter } from '../analytics/aggregates/writer.js';
import { pruneHidden, type StoredAnswers } from './answers.js';
import { responsesCollection, type ResponseDoc } from './responses.js';
import type { Segment } from './segment.js';

export type SubmitOutcome = 'stored' | 'duplicate' | 'already_answered';

export interface Submission {
  campaign: CampaignDoc;
  definition: Definition;
  answers: StoredAnswers;
  segment: Segment;
  lang: ResponseDoc['lang'];
  /** Random id chosen when the form was first shown (or by an API client); makes retries idempotent. */
  submissionId: string;
  token?: string;
}

export const responseIdFor = (submissionId: string) => sha256('response:' + submissionId);
const MAX_BATCH = 500;

interface Pending {
  doc: ResponseDoc;
  increments: ReturnType<typeof unitIncrements>;
  resolve: (outcome: 'stored' | 'duplicate') => void;
  reject: (err: unknown) => void;
}

const queues = new Map<string, Pending[]>();
const writing = new Set<string>();

function enqueue(doc: ResponseDoc, increments: Pending['increments']): Promise<'stored' | 'duplicate'> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(doc.campaign) ?? [];
    queue.push({ doc, increments, resolve, reject });
    queues.set(doc.campaign, queue);
    if (!writing.has(doc.campaign)) void drain(doc.campaign);
  });
}

async function drain(campaign: string): Promise<void> {
  writing.add(campaign);
  try {
    for (let queue = queues.get(campaign); queue && queue.length; queue = queues.get(campaign)) {
      const batch = shuffle(queue.splice(0, MAX_BATCH));
      await writeBatch(campaign, batch);
    }
  } finally {
    writing.delete(campaign);
    queues.delete(campaign);
  }
}

async function writeBatch(campaign: string, batch: Pending[]): Promise<void> {
  await aggregateWriter.beginWrite(campaign, batch.length).catch((err: unknown) => {
    for (const p of batch) p.reject(err);
    throw err;
  });
  const duplicates = new Set<number>();
  let failure: unknown;
  try {
    await responsesCollection(campaign).insertMany(
      batch.map((p) => p.doc),
      { ordered: false },
    );
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length && list.every((e) => e.code === 11000)) for (const e of list) duplicates.add(e.index);
    else failure = err;
  }
  if (failure) {
    // The batch may have been stored before the connection broke (the answer was lost): recount.
    aggregateWriter.needsRebuild(campaign);
    aggregateWriter.endWrite(campaign, batch.length, []);
    for (const p of batch) p.reject(failure);
    return;
  }
  const stored = batch.filter((_, i) => !duplicates.has(i));
  aggregateWriter.endWrite(
    campaign,
    batch.length,
    stored.map((p) => ({ segment: p.doc.segment, day: p.doc.day, increments: p.increments })),
  );
  batch.forEach((p, i) => p.resolve(duplicates.has(i) ? 'duplicate' : 'stored'));
}

/**
 * Stores responses that were accepted outside the respondent pages (demo data, imports of paper
 * forms) through the same batched insert and aggregate path. No token, no window check.
 */
export async function storeAcceptedResponses(campaign: CampaignDoc, definition: Definition, responses: { answers: StoredAnswers; segment: Segment; lang: ResponseDoc['lang']; day: string }[]): Promise<number> {
  const outcomes = await Promise.all(
    responses.map((r) => {
      const answers = pruneHidden(definition, r.answers);
      const doc: ResponseDoc = { _id: responseIdFor(randomBase32(26)), campaign: campaign._id, segment: r.segment, day: r.day, lang: r.lang, answers };
      return enqueue(doc, unitIncrements(definition, answers));
    }),
  );
  return outcomes.filter((o) => o === 'stored').length;
}

async function responseExists(campaign: string, submissionId: string): Promise<boolean> {
  return (await responsesCollection(campaign).countDocuments({ _id: responseIdFor(submissionId) }, { limit: 1 })) > 0;
}

export async function submitResponse(s: Submission): Promise<SubmitOutcome> {
  const state = effectiveStatus(s.campaign);
  if (state !== 'open') throw new AppError(409, state === 'closed' ? 'campaign_closed' : 'campaign_not_open', state === 'closed' ? 'This survey has closed.' : 'This survey is not open yet.');
  const answers = pruneHidden(s.definition, s.answers);
  const doc: ResponseDoc = {
    _id: responseIdFor(s.submissionId),
    campaign: s.campaign._id,
    segment: s.segment,
    day: new Date().toISOString().slice(0, 10),
    lang: s.lang,
    answers,
  };

  if (s.token && !(await redeemToken(s.token))) {
    // Used already: by this very submission (a double click or a retry) or by someone else.
    for (let i = 0; i < 10; i++) {
      if (await responseExists(s.campaign._id, s.submissionId)) return 'duplicate';
      await new Promise((r) => setTimeout(r, 30));
    }
    return 'already_answered';
  }

  try {
    return await enqueue(doc, unitIncrements(s.definition, answers));
  } catch (err) {
    if (s.token) await releaseToken(s.token).catch(() => undefined);
    throw unavailableFrom(err);
  }
}

function unavailableFrom(err: unknown): unknown {
  if (err instanceof AppError) return err;
  return unavailable('Your answers could not be saved just now. Please press "Submit" again in a few seconds — nothing was lost.');
}
