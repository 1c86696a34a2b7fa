// Which generation of a campaign's response collection is current, and the coordination between the
// insert path, readers and a mix (mix.ts) that rewrites the campaign into the next generation in random
// order. Generation 0 is "responses_<campaign>", generation n "responses_<campaign>_<n>"; the pointer
// {_id: campaign, gen, unmixed} lives in `response_stores`, read once per campaign by a writer.
//
// This state is per database connection, not per app: every app of a process reaches the database through
// mongoose's one connection, and a per-app copy would let one app insert into a generation another has
// just dropped. It is keyed by the driver's Db object, so a reconnect to another database starts afresh.
import mongoose from 'mongoose';
import type { Collection, Db } from 'mongodb';
import { scanDatabase } from '../db/connection.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import type { ResponseDoc } from './store.js';

/** The pointer document: the current generation, and whether responses stored since the last mix wait for one. */
export interface StorePointer {
  _id: string;
  gen: number;
  unmixed: boolean;
}
export const POINTERS = 'response_stores';

/** A mix in progress: inserts go to both generations until the switch. */
export interface MixInProgress {
  to: number;
  /** Ids whose insert into the current generation ended in an unknown state: copied again at the switch. */
  uncertain: string[];
  /** A write to the next generation failed: the switch must not happen. */
  failed: boolean;
}

export interface CampaignState {
  gen: number;
  /** When the first response not yet rewritten in random order was stored (ms), or null. */
  unmixedSince: number | null;
  /** The durable "unmixed" mark is set in the pointer document (written once per mixing period). */
  marked: boolean;
  marking?: Promise<void>;
  /** Inserts under way (a switch waits for them), and those of them that began before the current mix. */
  inFlight: number;
  plainInFlight: number;
  /** Called after every insert ends (settled() waits with them). */
  waiters: Set<() => void>;
  /** A mix of this campaign is under way (from its first step to the drop of the old generation). */
  mixing: boolean;
  mix?: MixInProgress;
  /** Set while a mix switches generations: inserts wait for it. */
  hold?: Promise<void>;
}

interface DbState {
  campaigns: Map<string, CampaignState>;
  loading: Map<string, Promise<CampaignState>>;
  /** Scans and lookups in progress per collection name: a collection is dropped only when none is left. */
  readers: Map<string, number>;
  readersDone: Map<string, (() => void)[]>;
  /** A mixer runs against this database: writers keep the durable "unmixed" mark. */
  marksUnmixed: boolean;
}

const states = new WeakMap<Db, DbState>();

export function database(): Db {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db;
}

export function dbState(db = database()): DbState {
  let s = states.get(db);
  if (!s) states.set(db, (s = { campaigns: new Map(), loading: new Map(), readers: new Map(), readersDone: new Map(), marksUnmixed: false }));
  return s;
}

/**
 * Forgets what this process knows of the database's response stores (generations, unmixed marks, readers),
 * for a database emptied behind its back: the tests clear every collection between tests.
 */
export function forgetResponseStores(db = database()): void {
  states.delete(db);
}

export function generationName(campaign: string, gen: number): string {
  if (!CAMPAIGN_ID.test(campaign) || !Number.isInteger(gen) || gen < 0) throw new Error('bad campaign id or generation');
  return gen === 0 ? `responses_${campaign}` : `responses_${campaign}_${gen}`;
}

/** The campaign and generation a collection name stands for (undefined: not a response collection). */
export function parseGenerationName(name: string): { campaign: string; gen: number } | undefined {
  const m = /^responses_(c[0-9a-z]{14})(?:_([1-9][0-9]{0,8}))?$/.exec(name);
  return m ? { campaign: m[1]!, gen: m[2] ? Number(m[2]) : 0 } : undefined;
}

export const pointers = (db = database()) => db.collection<StorePointer>(POINTERS);
export const generation = (campaign: string, gen: number, db = database()): Collection<ResponseDoc> => db.collection<ResponseDoc>(generationName(campaign, gen));

/** The state of a campaign this process writes: the pointer is read once, then kept here. */
export function writerState(campaign: string): Promise<CampaignState> {
  const s = dbState();
  const known = s.campaigns.get(campaign);
  if (known) return Promise.resolve(known);
  let loading = s.loading.get(campaign);
  if (!loading) {
    loading = pointers()
      .findOne({ _id: campaign })
      .then((p) => {
        const state: CampaignState = { gen: p?.gen ?? 0, unmixedSince: null, marked: p?.unmixed ?? false, inFlight: 0, plainInFlight: 0, waiters: new Set(), mixing: false };
        s.campaigns.set(campaign, state);
        return state;
      })
      .finally(() => s.loading.delete(campaign));
    s.loading.set(campaign, loading);
  }
  return loading;
}

/** The current generation for a reader: this process's own state when it writes the campaign, else the pointer. */
export async function currentGeneration(campaign: string): Promise<number> {
  const known = dbState().campaigns.get(campaign);
  if (known) return known.gen;
  return (await pointers().findOne({ _id: campaign }))?.gen ?? 0;
}

type Reader = { s: DbState; name: string };

function release({ s, name }: Reader): void {
  const left = (s.readers.get(name) ?? 1) - 1;
  if (left > 0) return void s.readers.set(name, left);
  s.readers.delete(name);
  for (const done of s.readersDone.get(name) ?? []) done();
  s.readersDone.delete(name);
}

/**
 * Registers a reader of the current generation. Checked again once registered: a switch between the two
 * would otherwise drop the collection under a reader it never saw.
 */
async function acquireCurrent(campaign: string): Promise<Reader> {
  const s = dbState();
  for (;;) {
    const gen = await currentGeneration(campaign);
    const reader = { s, name: generationName(campaign, gen) };
    s.readers.set(reader.name, (s.readers.get(reader.name) ?? 0) + 1);
    let still: boolean;
    try {
      still = (await currentGeneration(campaign)) === gen;
    } catch (err) {
      release(reader);
      throw err;
    }
    if (still) return reader;
    release(reader);
  }
}

/**
 * Streams `read` from the current generation, keeping that collection from being dropped meanwhile. It reads
 * on the scans' connection (db/connection.ts): a long scan does not hold up the inserts of submissions.
 */
export async function* readGeneration<T>(campaign: string, read: (c: Collection<ResponseDoc>) => AsyncIterable<T>): AsyncGenerator<T> {
  const reader = await acquireCurrent(campaign);
  try {
    yield* read(scanDatabase().collection<ResponseDoc>(reader.name));
  } finally {
    release(reader);
  }
}

/** One lookup in the current generation, kept from being dropped meanwhile. */
export async function lookupGeneration<T>(campaign: string, read: (c: Collection<ResponseDoc>) => Promise<T>): Promise<T> {
  const reader = await acquireCurrent(campaign);
  try {
    return await read(database().collection<ResponseDoc>(reader.name));
  } finally {
    release(reader);
  }
}

/** Resolves when no scan or lookup reads the collection `name`. */
export function unread(name: string): Promise<void> {
  const s = dbState();
  if (!s.readers.get(name)) return Promise.resolve();
  return new Promise((resolve) => s.readersDone.set(name, [...(s.readersDone.get(name) ?? []), resolve]));
}

/** Resolves once `done(state)` holds, checked now and after every insert that ends. */
export function settled(state: CampaignState, done: (s: CampaignState) => boolean = (s) => s.inFlight === 0): Promise<void> {
  if (done(state)) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!done(state)) return;
      state.waiters.delete(check);
      resolve();
    };
    state.waiters.add(check);
  });
}

export function startInsert(state: CampaignState): { mix: MixInProgress | undefined } {
  state.inFlight += 1;
  if (!state.mix) state.plainInFlight += 1;
  return { mix: state.mix };
}

export function finishInsert(state: CampaignState, started: { mix: MixInProgress | undefined }): void {
  state.inFlight -= 1;
  if (!started.mix) state.plainInFlight -= 1;
  for (const check of [...state.waiters]) check();
}

/**
 * Before the first response after a mix is stored: the durable mark that this campaign has responses in
 * submission order, so a restart after a crash still mixes them. One write per mixing period.
 */
export const needsMark = (state: CampaignState): boolean => !state.marked && dbState().marksUnmixed;

export async function ensureMarked(campaign: string, state: CampaignState): Promise<void> {
  state.marking ??= pointers()
    .updateOne({ _id: campaign }, { $set: { unmixed: true } }, { upsert: true })
    .then(() => {
      state.marked = true;
    })
    .finally(() => (state.marking = undefined));
  await state.marking;
}
