// How far a campaign has come: responses stored so far against its target population. The counts come
// from analytics (through the function the app passes in: campaigns never reads analytics' documents).
import type { CampaignDoc } from './model.js';

/** Responses stored so far per campaign id (analytics' responseCounts). */
export type ResponseCounts = (campaignIds: readonly string[]) => Promise<Map<string, number>>;

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

export async function progressMany(counts: ResponseCounts, campaigns: readonly Pick<CampaignDoc, '_id' | 'targetSize'>[]): Promise<Map<string, Progress>> {
  const n = await counts(campaigns.map((c) => c._id));
  return new Map(campaigns.map((c) => [c._id, progressOf(n.get(c._id) ?? 0, c.targetSize)]));
}

export async function campaignProgress(counts: ResponseCounts, c: Pick<CampaignDoc, '_id' | 'targetSize'>): Promise<Progress> {
  return (await progressMany(counts, [c])).get(c._id)!;
}
