// One mix: rewrites a campaign's responses into its next generation in a uniformly random order, then
// switches the pointer and drops the old generation (with SQLite's secure_delete its pages are zeroed, and
// the embedded server's WAL checkpoint removes the old page images). Safe against kill -9 at any step:
// - until the pointer names the next generation, the current one holds every acknowledged response
//   (inserts go there first, and to the next generation too while a copy runs: store.ts);
// - the pointer is written only once the copy, those inserts and any insert of unknown outcome are in
//   the next generation, with the campaign's inserts held;
// - at start-up, whichever generation the pointer does not name is dropped (mixer.ts).
import type { Collection, Db } from 'mongodb';
import { randomInt } from 'node:crypto';
import { shuffle } from '../lib/shuffle.js';
import { database, generation, generationName, pointers, settled, unread, writerState, type CampaignState } from './generations.js';
import { LEGACY_FIELDS, type ResponseDoc } from './store.js';

/** Up to this many responses are shuffled in memory; a larger set is first spread over random buckets. */
export const IN_MEMORY_DOCS = 4000;
/** Buckets per split: a campaign of up to 16 × IN_MEMORY_DOCS is split once. */
const FAN_OUT = 16;
/** Documents per read or write of the mix: each holds the one connection for only ~15 ms (the hot path waits behind it). */
const BATCH = 100;

export class MixStopped extends Error {}

export interface MixReport {
  campaign: string;
  responses: number;
  buckets: number;
  /** From start to the old generation's drop. */
  ms: number;
  /** Of which working (the rest of the time the copy rested, leaving the connection to the request path). */
  busyMs: number;
}

/** A temporary bucket of the mix into generation `gen`; `path` tells nested splits apart ("3", "3-7"). */
export const bucketName = (campaign: string, gen: number, path: string) => `${generationName(campaign, gen)}_b${path}`;
export const BUCKET_NAME = /^responses_(c[0-9a-z]{14})(?:_[0-9]+)?_b[0-9-]+$/;

const isCode = (err: unknown, ...codes: number[]) => codes.includes((err as { code?: number }).code ?? -1);
const ignoreDuplicates = (err: unknown) => {
  const list = (err as { writeErrors?: { code: number }[] | { code: number } }).writeErrors;
  const errors = Array.isArray(list) ? list : list ? [list] : [];
  if (!(errors.length && errors.every((e) => e.code === 11000)) && !isCode(err, 11000)) throw err;
};

export async function dropCollection(db: Db, name: string): Promise<void> {
  try {
    await db.dropCollection(name);
  } catch (err) {
    if (!isCode(err, 26) && !/ns not found|does not exist/i.test(String((err as Error).message))) throw err;
  }
}

/** Between two batches of the copy: calls the mix off when stopping, and rests to keep to its share of the time. */
interface Step {
  stopping: () => boolean;
  pace: () => Promise<void>;
  /** Time spent working so far (ms), rests excluded. */
  busyMs: () => number;
}

/**
 * The copy shares the one database connection with the request path: after each batch it rests so that
 * it takes about `share` of the time while it runs (a submission waits behind at most one batch).
 */
function pacer(share: number, stopping: () => boolean): Step {
  let busySince = Date.now();
  let rested = 0;
  const started = busySince;
  return {
    stopping,
    async pace() {
      if (stopping()) throw new MixStopped('stopping');
      const now = Date.now();
      await new Promise((resolve) => setTimeout(resolve, ((now - busySince) * (1 - share)) / share));
      busySince = Date.now();
      rested += busySince - now;
    },
    busyMs: () => Date.now() - started - rested,
  };
}

/** A response as the next generation keeps it: without what earlier versions stored and nothing reads (its language). */
function withoutLegacy(doc: ResponseDoc): ResponseDoc {
  if (!LEGACY_FIELDS.some((f) => f in doc)) return doc;
  const copy = { ...doc } as ResponseDoc & Partial<Record<(typeof LEGACY_FIELDS)[number], unknown>>;
  for (const f of LEGACY_FIELDS) delete copy[f];
  return copy;
}

async function insertInBatches(target: Collection<ResponseDoc>, docs: ResponseDoc[], step: Step): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    await step.pace();
    // E11000: an insert during the mix put this very document there first.
    await target.insertMany(docs.slice(i, i + BATCH).map(withoutLegacy), { ordered: false }).catch(ignoreDuplicates);
  }
}

/**
 * Copies `source` into `target` in a uniformly random order. Small: all in memory, one shuffle. Large:
 * each document to one of FAN_OUT buckets (temporary collections) chosen independently and uniformly, then
 * each bucket copied the same way, one after the other. Independent uniform buckets and a uniform order
 * inside each give a uniform order of the whole, with about IN_MEMORY_DOCS documents in memory, in one
 * pass over the source (no count first: the documents read before the source proved large go to buckets too).
 */
async function copyShuffled(mix: Step & { db: Db; campaign: string; to: number }, source: Collection<ResponseDoc>, target: Collection<ResponseDoc>, path = ''): Promise<{ responses: number; buckets: number }> {
  const cursor = source.find({}, { batchSize: BATCH });
  const head: ResponseDoc[] = [];
  try {
    for (let doc = await cursor.next(); doc; doc = head.length > IN_MEMORY_DOCS ? null : await cursor.next()) {
      head.push(doc);
      if (head.length % BATCH === 0) await mix.pace();
    }
    if (head.length <= IN_MEMORY_DOCS) {
      await insertInBatches(target, shuffle(head), mix);
      return { responses: head.length, buckets: 0 };
    }
    const buckets = Array.from({ length: FAN_OUT }, (_, b) => mix.db.collection<ResponseDoc>(bucketName(mix.campaign, mix.to, path ? `${path}-${b}` : String(b))));
    const pending: ResponseDoc[][] = buckets.map(() => []);
    const flush = async (b: number) => {
      const docs = pending[b]!.splice(0);
      if (docs.length) await buckets[b]!.insertMany(docs, { ordered: false }).catch(ignoreDuplicates);
    };
    let read = 0;
    const spread = async (doc: ResponseDoc) => {
      const b = randomInt(FAN_OUT);
      pending[b]!.push(doc);
      if (++read % BATCH === 0) await mix.pace();
      if (pending[b]!.length >= BATCH) await flush(b);
    };
    let responses = 0;
    let count = FAN_OUT;
    try {
      for (const doc of head.splice(0)) await spread(doc);
      for await (const doc of cursor) await spread(doc);
      for (let b = 0; b < FAN_OUT; b++) await flush(b);
      for (const bucket of buckets) {
        const copied = await copyShuffled(mix, bucket, target, bucket.collectionName.slice(bucket.collectionName.lastIndexOf('_b') + 2));
        responses += copied.responses;
        count += copied.buckets;
        await dropCollection(mix.db, bucket.collectionName);
      }
    } finally {
      // Buckets hold responses in submission order: none may outlive the mix (a crash leaves them to start-up).
      for (const bucket of buckets) await dropCollection(mix.db, bucket.collectionName).catch(() => undefined);
    }
    return { responses, buckets: count };
  } finally {
    await cursor.close();
  }
}

/** Runs `fn` with the campaign's inserts held and none in flight. */
async function withInsertsHeld<T>(state: CampaignState, fn: () => Promise<T>): Promise<T> {
  let release!: () => void;
  state.hold = new Promise((resolve) => (release = resolve));
  try {
    await settled(state);
    return await fn();
  } finally {
    state.hold = undefined;
    release();
  }
}

/** With the campaign's inserts held: the last stragglers into the next generation, then the pointer. */
async function switchTo(campaign: string, state: CampaignState, to: number): Promise<void> {
  await withInsertsHeld(state, async () => {
    try {
      const mix = state.mix!;
      if (mix.failed) throw new Error('an insert into the next generation failed; the mix is called off');
      for (const id of new Set(mix.uncertain)) {
        const doc = await generation(campaign, state.gen).findOne({ _id: id });
        if (doc) await generation(campaign, to).insertOne(doc).catch(ignoreDuplicates);
      }
      const unmixed = state.unmixedSince !== null;
      try {
        await pointers().replaceOne({ _id: campaign }, { gen: to, unmixed }, { upsert: true });
      } catch (err) {
        // The write may have reached the database before the connection broke: only the database can say
        // which generation is current, and no insert may go anywhere until it has.
        if ((await readPointerUntilKnown(campaign)) !== to) throw err;
      }
      state.gen = to;
      state.marked = unmixed;
    } finally {
      state.mix = undefined;
    }
  });
}

/** Nothing stored yet: no order to hide, only the mark to clear. */
async function clearIfEmpty(campaign: string, state: CampaignState): Promise<boolean> {
  return withInsertsHeld(state, async () => {
    if (await generation(campaign, state.gen).findOne({})) return false;
    await pointers().replaceOne({ _id: campaign }, { gen: state.gen, unmixed: false }, { upsert: true });
    state.unmixedSince = null;
    state.marked = false;
    return true;
  });
}

async function readPointerUntilKnown(campaign: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await pointers().findOne({ _id: campaign }))?.gen ?? 0;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * attempt)));
    }
  }
}

export interface MixOptions {
  /** Called between batches: true calls the mix off. */
  stopping?: () => boolean;
  /** The share of the time the copy may use while it runs (the rest is left to the request path). */
  share?: number;
}

/** Rewrites one campaign's responses in random order (see the top of this file). */
export async function mixCampaign(campaign: string, options: MixOptions = {}): Promise<MixReport> {
  const started = Date.now();
  const db = database();
  const stopping = options.stopping ?? (() => false);
  const state = await writerState(campaign);
  if (state.mixing) throw new Error(`campaign ${campaign} is being mixed already`);
  state.mixing = true;
  try {
    return await mixOnce(db, campaign, state, pacer(options.share ?? 0.5, stopping), started);
  } finally {
    state.mixing = false;
  }
}

async function mixOnce(db: Db, campaign: string, state: CampaignState, step: Step, started: number): Promise<MixReport> {
  const from = state.gen;
  const to = from + 1;
  const source = generation(campaign, from, db);
  const target = generation(campaign, to, db);
  const unmixedSince = state.unmixedSince;
  if (await clearIfEmpty(campaign, state)) return { campaign, responses: 0, buckets: 0, ms: Date.now() - started, busyMs: Date.now() - started };
  await dropCollection(db, target.collectionName); // what an earlier, interrupted mix left
  await db.createCollection(target.collectionName).catch((err: unknown) => {
    if (!isCode(err, 48)) throw err;
  });
  // From here on every insert goes to both generations; what arrives now is not yet mixed.
  state.mix = { to, uncertain: [], failed: false };
  state.unmixedSince = null;
  let copied: { responses: number; buckets: number };
  try {
    // An insert that began before the mix goes to the current generation only: the copy must see it.
    await settled(state, (s) => s.plainInFlight === 0);
    copied = await copyShuffled({ db, campaign, to, ...step }, source, target);
    await switchTo(campaign, state, to);
  } catch (err) {
    state.mix = undefined;
    state.unmixedSince = unmixedSince ?? state.unmixedSince ?? started;
    await dropCollection(db, target.collectionName).catch(() => undefined);
    throw err;
  }
  // Scans that began before the switch finish on the old generation; then it goes (it holds the old order).
  await unread(source.collectionName);
  for (let attempt = 1; ; attempt++) {
    try {
      await dropCollection(db, source.collectionName);
      break;
    } catch (err) {
      if (step.stopping()) throw err; // start-up drops it: the pointer names the next generation
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * attempt)));
    }
  }
  return { campaign, ...copied, ms: Date.now() - started, busyMs: step.busyMs() };
}
