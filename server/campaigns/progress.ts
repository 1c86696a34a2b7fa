// How far a campaign has come: responses stored so far against its target population (target.ts: the sum of
// its units' enrolment, or the stated target of an audience without enrolment). The counts come from
// analytics (through the function the app passes in: campaigns never reads analytics' documents).
import type { Actor } from '../accounts/actor.js';
import type { LocalizedText } from '../instruments/schema.js';
import type { Level } from '../responses/segment.js';
import type { CampaignDoc } from './model.js';
import { orgView } from './org-view.js';
import { targetsOf, type TargetFrom } from './target.js';

/** Responses stored so far per campaign id (analytics' responseCounts). */
export type ResponseCounts = (campaignIds: readonly string[]) => Promise<Map<string, number>>;

/** One group's responses against its enrolment, as analytics' gate lets this viewer see it. */
export interface UnitProgress {
  key: string;
  level: Level;
  name: LocalizedText;
  parent?: string;
  /** null when the gate hides it. */
  n: number | null;
  suppressed: boolean;
  /** Why it is hidden (results.reasonShort.*). */
  reason?: string;
  target?: number;
  rate?: number | null;
  /** Its rate lags behind its surroundings' (analytics/lagging.ts). */
  lagging?: boolean;
}

/** The campaign's groups with their rates for this viewer (analytics' results, through the gate). */
export type UnitRates = (actor: Actor, campaign: CampaignDoc) => Promise<UnitProgress[]>;

export interface Progress {
  /** Responses stored so far. */
  n: number;
  /** 0 = unknown (no enrolment recorded, no target stated). */
  target: number;
  /** Enrolment (the sum of the units'), or the target the campaign states. */
  targetFrom: TargetFrom;
  /** n / target (may pass 1 when more people answered than planned); null without a target. */
  rate: number | null;
}

export function progressOf(n: number, target: number, targetFrom: TargetFrom): Progress {
  return { n, target, targetFrom, rate: target > 0 ? n / target : null };
}

export async function progressMany(counts: ResponseCounts, campaigns: readonly CampaignDoc[]): Promise<Map<string, Progress>> {
  const org = await orgView();
  const [n, targets] = await Promise.all([counts(campaigns.map((c) => c._id)), Promise.all(campaigns.map((c) => targetsOf(c, org)))]);
  return new Map(campaigns.map((c, i) => [c._id, progressOf(n.get(c._id) ?? 0, targets[i]!.total, targets[i]!.from)]));
}

export async function campaignProgress(counts: ResponseCounts, c: CampaignDoc): Promise<Progress> {
  return (await progressMany(counts, [c])).get(c._id)!;
}
