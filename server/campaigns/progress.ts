// How far a campaign has come: responses stored so far against its target population. Reads the
// university-level aggregate (one document by _id per campaign), never the responses themselves.
import { aggregateId, UNIVERSITY_UNIT } from '../analytics/aggregates/increments.js';
import { Aggregate, readAggregates } from '../analytics/aggregates/store.js';
import type { CampaignDoc } from './model.js';

export interface Progress {
  /** Responses stored so far. */
  n: number;
  target: number;
  /** n / target (may pass 1 when more people answered than planned); null without a target. */
  rate: number | null;
}

export function progressOf(n: number, target: number): Progress {
  return { n, target, rate: target > 0 ? n / target : null };
}

/** One campaign, through readAggregates (the analytics read path). */
export async function campaignProgress(c: Pick<CampaignDoc, '_id' | 'targetSize'>): Promise<Progress> {
  const aggregates = await readAggregates(c._id);
  return progressOf(aggregates.university[UNIVERSITY_UNIT]?.n ?? 0, c.targetSize);
}

/** Many campaigns (a plan, a list): only the university document of each, by _id. */
export async function progressMany(campaigns: readonly Pick<CampaignDoc, '_id' | 'targetSize'>[]): Promise<Map<string, Progress>> {
  const docs = await Promise.all(campaigns.map((c) => Aggregate.findById(aggregateId(c._id, 'university'), { units: 1 }).lean()));
  return new Map(campaigns.map((c, i) => [c._id, progressOf((docs[i]?.units?.[UNIVERSITY_UNIT]?.n as number | undefined) ?? 0, c.targetSize)]));
}
