// Released figures of open campaigns. A unit's released counters move only in steps of at least k new
// responses, so the difference between two consecutive views (a reload, or two pushed updates) always
// covers k or more responses and never shows what one person answered. The release is advanced on the
// write path, after each aggregate flush; reading it never writes. It is one document per campaign, so a
// reader always gets one consistent cut, with a stamp that changes whenever it does (caches key on it).
import mongoose, { Schema } from 'mongoose';
import { randomBase32 } from '../lib/ids.js';
import { LEVELS, type Level } from '../responses/index.js';
import { readAggregates, type CampaignAggregates, type UnitCounters } from './aggregates/store.js';

interface ReleaseDoc {
  _id: string;
  stamp: string;
  levels: Record<Level, Record<string, UnitCounters>>;
}
const Release = mongoose.model<ReleaseDoc>(
  'Release',
  new Schema<ReleaseDoc>({ _id: String, stamp: String, levels: { type: Schema.Types.Mixed, default: {} } }, { versionKey: false, minimize: false }),
  'released_figures',
);

const emptyLevels = (): Record<Level, Record<string, UnitCounters>> => Object.fromEntries(LEVELS.map((l) => [l, {}])) as Record<Level, Record<string, UnitCounters>>;

export interface ReleasedCut {
  aggregates: CampaignAggregates;
  /** '' before anything was released. */
  stamp: string;
}

/** The released cut of a campaign (one read by _id). */
export async function readRelease(campaign: string): Promise<ReleasedCut> {
  const doc = await Release.findById(campaign).lean();
  const levels = { ...emptyLevels(), ...(doc?.levels ?? {}) };
  return { aggregates: levels as CampaignAggregates, stamp: doc?.stamp ?? '' };
}

/** Only the stamp of the released cut (a cache check that does not transfer the counters). */
export async function readReleaseStamp(campaign: string): Promise<string> {
  const doc = await Release.findById(campaign, { stamp: 1 }).lean();
  return doc?.stamp ?? '';
}

/** Advances every unit that has gained at least k responses since its last release. Returns true if any moved. */
export async function advanceRelease(campaign: string, k: number): Promise<boolean> {
  const [current, released] = await Promise.all([readAggregates(campaign), readRelease(campaign)]);
  let moved = false;
  const levels = released.aggregates as unknown as Record<Level, Record<string, UnitCounters>>;
  for (const level of LEVELS) {
    for (const [unit, counters] of Object.entries(current[level])) {
      const before = levels[level][unit]?.n ?? 0;
      if (counters.n - before >= k) {
        levels[level][unit] = counters;
        moved = true;
      }
    }
  }
  if (moved) await Release.replaceOne({ _id: campaign }, { stamp: randomBase32(12), levels }, { upsert: true });
  return moved;
}
