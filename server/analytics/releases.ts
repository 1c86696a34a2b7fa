// Released figures of open campaigns. A unit's published counters move only in steps of at least k
// new responses, so the difference between two consecutive views (a reload, or two pushed updates)
// always covers k or more responses and never shows what one person answered. Closed campaigns show
// their final aggregates.
import mongoose, { Schema } from 'mongoose';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { aggregateId, LEVELS, type Level } from './aggregates/increments.js';
import { readAggregates, type CampaignAggregates, type UnitCounters } from './aggregates/store.js';

interface ReleaseDoc {
  _id: string;
  units: Record<string, UnitCounters>;
}
const Release = mongoose.model<ReleaseDoc>('Release', new Schema<ReleaseDoc>({ _id: String, units: { type: Schema.Types.Mixed, default: {} } }, { versionKey: false, minimize: false }), 'aggregate_releases');

async function readReleases(campaign: string): Promise<CampaignAggregates> {
  const docs = await Promise.all(LEVELS.map((level) => Release.findById(aggregateId(campaign, level)).lean()));
  return Object.fromEntries(LEVELS.map((level, i) => [level, (docs[i]?.units ?? {}) as Record<string, UnitCounters>])) as unknown as CampaignAggregates;
}

/** Advances the released figures of every unit that has gained at least k responses. Returns true if any moved. */
export async function advanceReleases(campaign: string, k: number): Promise<boolean> {
  const [current, released] = await Promise.all([readAggregates(campaign), readReleases(campaign)]);
  let moved = false;
  for (const level of LEVELS as readonly Level[]) {
    let changed = false;
    for (const [unit, counters] of Object.entries(current[level])) {
      const before = released[level][unit]?.n ?? 0;
      if (counters.n - before >= k) {
        released[level][unit] = counters;
        changed = true;
      }
    }
    if (changed) {
      moved = true;
      await Release.replaceOne({ _id: aggregateId(campaign, level) }, { units: released[level] }, { upsert: true });
    }
  }
  return moved;
}

const lastAdvance = new Map<string, number>();
const ADVANCE_EVERY_MS = 1_000;

/**
 * The figures a viewer may see now: released steps while open (advanced here at most once a second,
 * so opening a dashboard shows what has been released since), final aggregates once closed.
 */
export async function visibleAggregates(campaign: CampaignDoc, k: number): Promise<{ aggregates: CampaignAggregates; final: boolean }> {
  if (effectiveStatus(campaign) === 'closed') return { aggregates: await readAggregates(campaign._id), final: true };
  if (Date.now() - (lastAdvance.get(campaign._id) ?? 0) > ADVANCE_EVERY_MS) {
    lastAdvance.set(campaign._id, Date.now());
    await advanceReleases(campaign._id, k);
  }
  return { aggregates: await readReleases(campaign._id), final: false };
}
