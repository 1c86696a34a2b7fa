// Stored responses: one collection per campaign, so a recompute or an export scans only that campaign.
// A document holds the campaign, its segment, the day and the answers — no token, account, address, user
// agent, time of day, sequence number, nor the language it was answered in (an invitation records its
// contact's language: the two together would name whoever answered alone in their language). Its _id is a hash of a random submission id that
// only the respondent's browser knew, so a retry is recognised (E11000) without anything that could point
// back to the person. Only the submission service (respond/) writes here; analytics reads through
// eachResponse.
//
// On the embedded store the collection is rewritten in random order after each mixing period (mix.ts),
// into the campaign's next generation (generations.ts): storage order must not be submission order.
// Everything here resolves the current generation; inserts coordinate with a mix in progress.
import type { Collection } from 'mongodb';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sha256 } from '../lib/ids.js';
import type { StoredAnswers } from './answers.js';
import { currentGeneration, ensureMarked, finishInsert, generation, lookupGeneration, needsMark, readGeneration, startInsert, writerState } from './generations.js';
import type { Segment } from './segment.js';

export interface ResponseDoc {
  _id: string;
  campaign: string;
  segment: Segment;
  /** YYYY-MM-DD, the day it was stored (UTC); never the time. */
  day: string;
  answers: StoredAnswers;
}

/** What responses stored by earlier versions also hold (`lang`, the language answered in): nothing reads it, a mix drops it. */
export const LEGACY_FIELDS = ['lang'] as const;

/** The campaign's current response collection (tests, benchmarks and scripts; the app uses the functions below). */
export async function responsesCollection(campaign: string): Promise<Collection<ResponseDoc>> {
  return generation(campaign, await currentGeneration(campaign));
}

/** The stored _id of a response: a hash of the random submission id only the respondent's browser knew. */
export const responseIdFor = (submissionId: string): string => sha256('response:' + submissionId);

/** Has the response with this submission id been stored (a retry, or a second click on "Submit")? By _id. */
export async function responseExists(campaign: string, submissionId: string): Promise<boolean> {
  return (await lookupGeneration(campaign, (c) => c.countDocuments({ _id: responseIdFor(submissionId) }, { limit: 1 }))) > 0;
}

/** How many responses the campaign has stored (a count over its own collection: not for a request's hot path). */
export async function countStoredResponses(campaign: string): Promise<number> {
  return lookupGeneration(campaign, (c) => c.countDocuments({}));
}

/** The fields a scan reads: `segment`, then `answers` or answers by dotted path ("answers.change"). */
export type ResponseFields = readonly ['segment', ...('answers' | `answers.${string}`)[]];

/**
 * Every stored response of a campaign, streamed (a scan of that campaign's collection only: never on a
 * request path). With `fields`, only those come back (and no _id): the store still reads every document,
 * but the client decodes less, and an export never even holds the id or the day.
 */
export function eachResponse(campaign: string): AsyncIterable<ResponseDoc>;
export function eachResponse(campaign: string, fields: ResponseFields): AsyncIterable<Pick<ResponseDoc, 'segment' | 'answers'>>;
export function eachResponse(campaign: string, fields?: ResponseFields): AsyncIterable<Partial<ResponseDoc>> {
  const projection = fields ? Object.fromEntries([['_id', 0], ...fields.map((f) => [f, 1])]) : undefined;
  return breathing(readGeneration(campaign, (c) => c.find({}, { batchSize: 2000, ...(projection ? { projection } : {}) }) as AsyncIterable<ResponseDoc>));
}

/** Documents a scan hands over between two turns of the event loop. */
const YIELD_EVERY = 250;

/**
 * Lets the event loop run every YIELD_EVERY documents: the driver hands a batch of 2,000 over in
 * microtasks, and a scan's own work on them would otherwise keep submissions and pages waiting.
 */
async function* breathing<T>(docs: AsyncIterable<T>): AsyncGenerator<T> {
  let n = 0;
  for await (const doc of docs) {
    yield doc;
    if (++n % YIELD_EVERY === 0) await nextTurn();
  }
}

/** The per-document outcome of an insertMany: E11000 (already stored) by index; anything else thrown. */
function duplicatesOf(err: unknown): Set<number> | undefined {
  const writeErrors = (err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length && list.every((e) => e.code === 11000) ? new Set(list.map((e) => e.index)) : undefined;
}

/**
 * THE insert of responses (the submission service's group commit). Rejects exactly as insertMany with
 * ordered: false does, so E11000 per document still tells a retry from a new response. While a mix
 * copies the campaign, the batch also goes to the next generation before it is acknowledged: the switch
 * then finds every acknowledged response there, whatever the copy's cursor saw.
 */
export async function insertResponses(campaign: string, docs: ResponseDoc[]): Promise<void> {
  const state = await writerState(campaign);
  for (;;) {
    if (state.hold) await state.hold;
    else if (needsMark(state)) await ensureMarked(campaign, state);
    else break;
  }
  // No await between the checks above and this: a switch that sets `hold` from now on waits for this insert.
  const started = startInsert(state);
  const mix = started.mix;
  const current = generation(campaign, state.gen);
  state.unmixedSince ??= Date.now();
  try {
    let duplicates: Set<number> | undefined;
    try {
      await current.insertMany(docs, { ordered: false });
    } catch (err) {
      duplicates = duplicatesOf(err);
      if (!duplicates) {
        // Some may be stored, unacknowledged: if a retry later finds them (E11000), the switch must have them.
        mix?.uncertain.push(...docs.map((d) => d._id));
        throw err;
      }
      if (mix) await copyToNext(campaign, mix, docs.filter((_, i) => !duplicates!.has(i)));
      throw err;
    }
    if (mix) await copyToNext(campaign, mix, docs);
  } finally {
    finishInsert(state, started);
  }
}

async function copyToNext(campaign: string, mix: { to: number; failed: boolean }, docs: ResponseDoc[]): Promise<void> {
  if (!docs.length || mix.failed) return;
  try {
    await generation(campaign, mix.to).insertMany(docs, { ordered: false });
  } catch (err) {
    // The copy may have been first (E11000: the same document); anything else calls the mix off.
    if (!duplicatesOf(err)) mix.failed = true;
  }
}
