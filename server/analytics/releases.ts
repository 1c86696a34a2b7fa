// The released cut of a campaign with live figures (cuts.ts says what a cut is and why it is safe): per
// region, the counters of each figure as they were when it last moved. Advanced on the write path, after
// each aggregate flush, only while the campaign is open with live figures; reading it never writes. One
// document per campaign, replaced whole, so a reader always gets one consistent cut, with a stamp that
// changes whenever it does (caches key on it). It stays after closing: the final view is gated against it.
import mongoose, { Schema } from 'mongoose';
import type { CampaignDoc } from '../campaigns/model.js';
import { effectiveStatus } from '../campaigns/model.js';
import { liveResultsOf } from '../campaigns/live-results.js';
import { orgView } from '../campaigns/org-view.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { randomBase32 } from '../lib/ids.js';
import { readAggregates, type UnitCounters } from './aggregates/store.js';
import { advanceCut, ownCounters } from './cuts.js';
import { campaignUnits, countersByKey } from './units.js';

interface ReleaseDoc {
  _id: string;
  stamp: string;
  /** Region (unit key) → its counters in the cut. */
  regions: Record<string, UnitCounters>;
  /** How many cuts were released (shown as "figures updated N times"). */
  cuts: number;
}
const Release = mongoose.model<ReleaseDoc>(
  'Release',
  new Schema<ReleaseDoc>({ _id: String, stamp: String, regions: { type: Schema.Types.Mixed, default: {} }, cuts: Number }, { versionKey: false, minimize: false }),
  'released_figures',
);

export interface ReleasedCut {
  regions: Record<string, UnitCounters>;
  cuts: number;
  /** '' before anything was released. */
  stamp: string;
}

/** The released cut of a campaign (one read by _id). */
export async function readRelease(campaign: string): Promise<ReleasedCut> {
  const doc = await Release.findById(campaign).lean();
  return { regions: (doc?.regions ?? {}) as Record<string, UnitCounters>, cuts: doc?.cuts ?? 0, stamp: doc?.stamp ?? '' };
}

/** Only the stamp of the released cut (a cache check that does not transfer the counters). */
export async function readReleaseStamp(campaign: string): Promise<string> {
  const doc = await Release.findById(campaign, { stamp: 1 }).lean();
  return doc?.stamp ?? '';
}

/**
 * After new counters were written: releases the next cut of an open campaign with live figures when at
 * least one region's figure has k new responses (cuts.ts advanceCut). Says what dashboards should update:
 * 'cut' (a new cut), 'counts' (an open campaign showing counts only: its group counts moved) or 'none'.
 */
export async function advanceRelease(campaign: CampaignDoc, k: number): Promise<'cut' | 'counts' | 'none'> {
  if (effectiveStatus(campaign) !== 'open') return 'none';
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  if (liveResultsOf(campaign, definition) !== 'figures') return 'counts';
  const units = campaignUnits(campaign, await orgView());
  const [aggregates, released] = await Promise.all([readAggregates(campaign._id), readRelease(campaign._id)]);
  const own = ownCounters(units, countersByKey(aggregates, units));
  const included = new Map(units.map((u) => [u.key, released.regions[u.key] ?? { n: 0, items: {} }]));
  const { cut, moved } = advanceCut(units, own, included, k);
  if (!moved) return 'none';
  await Release.replaceOne({ _id: campaign._id }, { stamp: randomBase32(12), regions: Object.fromEntries(cut), cuts: released.cuts + 1 }, { upsert: true });
  return 'cut';
}
