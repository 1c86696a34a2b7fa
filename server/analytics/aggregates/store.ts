// Aggregate documents: one per campaign × level, _id "<campaign>|<level>", holding every unit of that
// level: { units: { <unit>: { n, items: { <answerId>: { <value>: count } } } } }. A dashboard reads at
// most five documents by _id, whatever the number of responses.
import mongoose, { Schema } from 'mongoose';
import { LEVELS, UNIVERSITY_UNIT, type Level } from '../../responses/segment.js';
import { aggregateId } from './increments.js';

export interface UnitCounters {
  n: number;
  items: Record<string, Record<string, number>>;
}

export interface AggregateDoc {
  _id: string;
  campaign: string;
  level: Level;
  units: Record<string, UnitCounters>;
  /** Only on the university document: responses stored per day (YYYY-MM-DD). */
  days?: Record<string, number>;
  /** Only on the university document: changes with every write of the campaign's counters (written last). */
  stamp?: string;
}

export const Aggregate = mongoose.model<AggregateDoc>(
  'Aggregate',
  new Schema<AggregateDoc>({ _id: String, campaign: String, level: String, units: { type: Schema.Types.Mixed, default: {} }, days: { type: Schema.Types.Mixed }, stamp: String }, { versionKey: false, minimize: false }),
  'aggregates',
);

/** What the counters hold: 2 added each scale's sufficient statistics, 3 keeps their squares as one sum. Older aggregates are rebuilt at start-up. */
export const AGGREGATE_FORMAT = 3;

/** Per campaign: whether increments may be missing (set before a response is stored, cleared after flush). */
export interface AggregateStateDoc {
  _id: string;
  dirty: boolean;
  /** AGGREGATE_FORMAT of the counters (absent: 1). */
  format?: number;
  recomputedAt?: Date;
  lastRecomputeMatched?: boolean;
}
export const AggregateState = mongoose.model<AggregateStateDoc>(
  'AggregateState',
  new Schema<AggregateStateDoc>({ _id: String, dirty: Boolean, format: Number, recomputedAt: Date, lastRecomputeMatched: Boolean }, { versionKey: false }),
  'aggregate_state',
);

export type CampaignAggregates = Record<Level, Record<string, UnitCounters>> & { days?: Record<string, number> };

/** Reads the aggregates of a campaign: five lookups by _id. */
export async function readAggregates(campaign: string): Promise<CampaignAggregates> {
  const docs = await Promise.all(LEVELS.map((level) => Aggregate.findById(aggregateId(campaign, level)).lean()));
  const aggregates = Object.fromEntries(LEVELS.map((level, i) => [level, (docs[i]?.units ?? {}) as Record<string, UnitCounters>])) as unknown as CampaignAggregates;
  aggregates.days = (docs[0]?.days ?? {}) as Record<string, number>;
  return aggregates;
}

export interface LiveTotals {
  n: number;
  days: Record<string, number>;
  /** Changes whenever the campaign's counters do ('' before the first write). */
  stamp: string;
}

/** The campaign's total, responses per day and stamp: one lookup by _id (the rest of the counters stay unread). */
export async function readLiveTotals(campaign: string): Promise<LiveTotals> {
  const doc = await Aggregate.findById(aggregateId(campaign, 'university'), { [`units.${UNIVERSITY_UNIT}.n`]: 1, days: 1, stamp: 1 }).lean();
  return { n: (doc?.units as Record<string, { n?: number }> | undefined)?.[UNIVERSITY_UNIT]?.n ?? 0, days: (doc?.days ?? {}) as Record<string, number>, stamp: doc?.stamp ?? '' };
}

/** Stored responses of many campaigns (lists, the survey plan): the university document of each, by _id. */
export async function readTotals(campaigns: readonly string[]): Promise<Map<string, number>> {
  const docs = await Promise.all(campaigns.map((c) => Aggregate.findById(aggregateId(c, 'university'), { [`units.${UNIVERSITY_UNIT}.n`]: 1 }).lean()));
  return new Map(campaigns.map((c, i) => [c, ((docs[i]?.units as Record<string, { n?: number }> | undefined)?.[UNIVERSITY_UNIT]?.n as number | undefined) ?? 0]));
}
