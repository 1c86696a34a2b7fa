// Rebuilds every aggregate of a campaign from its raw responses and reports whether the stored
// aggregates matched. Runs on demand and at start-up for campaigns left dirty by a crash.
import type { Logger } from 'pino';
import { getPublishedDefinition } from '../../instruments/service.js';
import { randomBase32 } from '../../lib/ids.js';
import { LEVELS, segmentUnits, type Level } from '../../responses/segment.js';
import { eachResponse } from '../../responses/store.js';
import { Campaign } from '../../campaigns/model.js';
import { addToSegment, aggregateId, unitIncrements, type SegmentTotals } from './increments.js';
import { Aggregate, AGGREGATE_FORMAT, AggregateState, readAggregates, type CampaignAggregates, type UnitCounters } from './store.js';
import type { AggregateWriter } from './writer.js';

export interface RecomputeReport {
  campaign: string;
  responses: number;
  matched: boolean;
  ms: number;
}

function setPath(unit: UnitCounters, path: string, by: number): void {
  if (path === 'n') {
    unit.n += by;
    return;
  }
  const [, item, value] = path.split('.') as [string, string, string];
  const counters = (unit.items[item] ??= {});
  counters[value] = (counters[value] ?? 0) + by;
}

/**
 * Builds the aggregates of a campaign in memory from its responses (one pass over a cursor). Increments are
 * summed per segment first and spread over the segment's units once at the end, as the writer does per
 * flush: per response that is one map update per path instead of one per path and level.
 */
export async function buildAggregates(campaign: string, instrument: { id: string; version: number }): Promise<{ aggregates: CampaignAggregates; responses: number }> {
  const def = await getPublishedDefinition(instrument.id, instrument.version);
  const aggregates = Object.fromEntries(LEVELS.map((l) => [l, {}])) as CampaignAggregates;
  const segments = new Map<string, SegmentTotals>();
  let responses = 0;
  for await (const doc of eachResponse(campaign)) {
    responses++;
    addToSegment(segments, doc.segment, unitIncrements(def, doc.answers), doc.day);
  }
  const days: Record<string, number> = {};
  aggregates.days = days;
  for (const { segment, paths, days: perDay } of segments.values()) {
    for (const [day, n] of perDay) days[day] = (days[day] ?? 0) + n;
    for (const { level, id } of segmentUnits(segment)) {
      const unit = (aggregates[level][id] ??= { n: 0, items: {} });
      for (const [path, by] of paths) setPath(unit, path, by);
    }
  }
  return { aggregates, responses };
}

/** Order-insensitive comparison of two aggregate sets (numbers compared with a float tolerance). */
export function sameAggregates(a: CampaignAggregates, b: CampaignAggregates): boolean {
  const norm = (x: CampaignAggregates) => {
    const flat: Record<string, number> = {};
    for (const level of LEVELS)
      for (const [unit, c] of Object.entries(x[level] ?? {})) {
        if (c.n) flat[`${level}/${unit}/n`] = c.n;
        for (const [item, values] of Object.entries(c.items ?? {})) for (const [v, count] of Object.entries(values)) if (count) flat[`${level}/${unit}/${item}/${v}`] = count;
      }
    for (const [day, count] of Object.entries(x.days ?? {})) if (count) flat[`days/${day}`] = count;
    return flat;
  };
  const fa = norm(a);
  const fb = norm(b);
  const keys = new Set([...Object.keys(fa), ...Object.keys(fb)]);
  for (const k of keys) if (Math.abs((fa[k] ?? 0) - (fb[k] ?? 0)) > 1e-6 * Math.max(1, Math.abs(fa[k] ?? 0))) return false;
  return true;
}

export async function recomputeCampaign(writer: AggregateWriter, campaign: string): Promise<RecomputeReport> {
  const started = Date.now();
  const doc = await Campaign.findById(campaign).lean();
  if (!doc) throw new Error(`no campaign ${campaign}`);
  return writer.exclusively(campaign, async () => {
    const stored = await readAggregates(campaign);
    const { aggregates, responses } = await buildAggregates(campaign, doc.instrument);
    const matched = sameAggregates(stored, aggregates);
    if (!matched) {
      await Aggregate.bulkWrite(
        LEVELS.map((level: Level) => ({
          replaceOne: { filter: { _id: aggregateId(campaign, level) }, replacement: { campaign, level, units: aggregates[level], ...(level === 'university' ? { days: aggregates.days ?? {}, stamp: randomBase32(12) } : {}) }, upsert: true },
        })),
      );
      // Last, so a reader that sees the new stamp sees every rebuilt counter (caches key on it).
      await Aggregate.updateOne({ _id: aggregateId(campaign, 'university') }, { $set: { stamp: randomBase32(12) } });
    }
    await AggregateState.updateOne({ _id: campaign }, { $set: { dirty: false, format: AGGREGATE_FORMAT, recomputedAt: new Date(), lastRecomputeMatched: matched } }, { upsert: true });
    return { campaign, responses, matched, ms: Date.now() - started };
  });
}

/** At start-up: rebuild the campaigns whose last increments may not have been flushed, or whose counters are of an older format. */
export async function recomputeDirtyCampaigns(writer: AggregateWriter, logger: Logger): Promise<RecomputeReport[]> {
  const dirty = (await AggregateState.find({}).lean()).filter((s) => s.dirty || (s.format ?? 1) < AGGREGATE_FORMAT);
  const reports: RecomputeReport[] = [];
  for (const state of dirty) {
    // A campaign deleted since (only tests delete campaigns) leaves its state record: nothing to rebuild.
    if (!(await Campaign.exists({ _id: state._id }))) {
      await AggregateState.deleteOne({ _id: state._id });
      continue;
    }
    const report = await recomputeCampaign(writer, state._id);
    logger.info(report, (state.format ?? 1) < AGGREGATE_FORMAT ? 'rebuilt aggregates in the current format' : 'recomputed aggregates after an unclean stop');
    reports.push(report);
  }
  return reports;
}
