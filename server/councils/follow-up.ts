// Follow-up: does an action's target figure move between the wave it was decided on (the baseline) and the
// next campaign of the same instrument? Both read as the council's scope sees them, through the gate.
// Agreement items: % agree in each wave with 95 % Wilson intervals, the difference with Newcombe's
// interval, and the Mann–Whitney U test on the two distributions of answers (a rank test: it uses every
// level, not only agree/disagree). Scale indices: the two means with their intervals and a z test on the
// difference. Improved / worse at p < 0.05 in the direction the item is worded; otherwise no significant
// change. While the next wave is open the comparison is marked interim.
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import type { CampaignResults } from '../analytics/results.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { findCampaign, listCampaigns } from '../campaigns/service.js';
import { mannWhitneyFromCounts, normalTwoSidedP } from '../analytics/stats/index.js';
import { councilActor } from './access.js';
import type { ActionTarget } from './model.js';

export const SIGNIFICANCE = 0.05;
export type Verdict = 'improved' | 'no_significant_change' | 'worse';

interface Wave {
  campaign: string;
  academicYear: string;
  value: number;
  low: number;
  high: number;
  n: number;
}

export type FollowUp =
  | { target: ActionTarget; state: 'no_next_wave' }
  | { target: ActionTarget; state: 'not_comparable'; reason: string }
  | { target: ActionTarget; state: 'compared'; interim: boolean; measure: 'agree' | 'index'; test: 'mann-whitney' | 'z'; before: Wave; after: Wave; difference: { value: number; low: number; high: number }; p: number | null; verdict: Verdict };

/** The next campaign of the same instrument: the earliest one that opened once the baseline had closed. */
async function nextWave(scope: Actor, baseline: CampaignDoc): Promise<CampaignDoc | undefined> {
  const later = (await listCampaigns(scope)).filter((c) => c.instrument.id === baseline.instrument.id && c._id !== baseline._id && c.opensAt >= baseline.closesAt && c.status !== 'draft');
  return later.sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime())[0];
}

const verdictOf = (p: number | null, change: number, reverse: boolean): Verdict => (p === null || p >= SIGNIFICANCE ? 'no_significant_change' : (change > 0) !== reverse ? 'improved' : 'worse');

function itemWave(results: CampaignResults, target: ActionTarget): { wave: Wave; counts: number[]; reverse: boolean } | string {
  const item = results.items.find((i) => i.id === target.item);
  if (!item) return 'the question is not in this campaign';
  const f = item.figures[results.selected];
  if (!f || f.kind === 'suppressed') return `hidden (${f?.kind === 'suppressed' ? f.reason : 'no figures'})`;
  if (f.kind !== 'scale' || !f.agree) return 'only agreement questions and scales are compared';
  const counts = [1, 2, 3, 4, 5].map((l) => f.counts[String(l)] ?? 0);
  return { wave: { campaign: results.campaign.id, academicYear: results.campaign.academicYear, value: f.agree.p, low: f.agree.low, high: f.agree.high, n: f.n }, counts, reverse: Boolean(item.reverse) };
}

export async function followUp(analytics: Analytics, faculty: string, target: ActionTarget): Promise<FollowUp> {
  const scope = councilActor(faculty);
  const baseline = await findCampaign(target.campaign);
  if (!baseline) return { target, state: 'not_comparable', reason: 'the baseline campaign no longer exists' };
  const next = await nextWave(scope, baseline);
  if (!next) return { target, state: 'no_next_wave' };
  const [a, b] = await Promise.all([analytics.resultsFor(scope, baseline, { unit: target.unit }), analytics.resultsFor(scope, next, { unit: target.unit })]).catch(() => [null, null]);
  if (!a || !b) return { target, state: 'not_comparable', reason: 'the group is not in both campaigns' };
  const interim = effectiveStatus(next) !== 'closed';
  if (target.item) {
    const before = itemWave(a, target);
    const after = itemWave(b, target);
    if (typeof before === 'string') return { target, state: 'not_comparable', reason: before };
    if (typeof after === 'string') return { target, state: 'not_comparable', reason: after };
    const d = after.wave.value - before.wave.value;
    // Newcombe's hybrid score interval for a difference of two proportions, from the two Wilson intervals.
    const low = d - Math.sqrt((after.wave.value - after.wave.low) ** 2 + (before.wave.high - before.wave.value) ** 2);
    const high = d + Math.sqrt((after.wave.high - after.wave.value) ** 2 + (before.wave.value - before.wave.low) ** 2);
    const test = mannWhitneyFromCounts(after.counts, before.counts);
    const p = test?.p ?? null;
    const direction = test ? test.meanRank1 - test.meanRank2 : d;
    return { target, state: 'compared', interim, measure: 'agree', test: 'mann-whitney', before: before.wave, after: after.wave, difference: { value: d, low, high }, p, verdict: verdictOf(p, direction, before.reverse) };
  }
  if (target.scale) {
    const [sa, sb] = await Promise.all([analytics.scalesAndComments(scope, baseline._id, { unit: a.selected }, a), analytics.scalesAndComments(scope, next._id, { unit: b.selected }, b)]);
    const ia = sa.scales.find((s) => s.id === target.scale);
    const ib = sb.scales.find((s) => s.id === target.scale);
    if (!ia || !ib) return { target, state: 'not_comparable', reason: 'the scale is not in both campaigns' };
    if (!ia.index || ia.index.mean === null || ia.index.low === null || ia.index.high === null) return { target, state: 'not_comparable', reason: `hidden (${ia.reason ?? 'small'})` };
    if (!ib.index || ib.index.mean === null || ib.index.low === null || ib.index.high === null) return { target, state: 'not_comparable', reason: `hidden (${ib.reason ?? 'small'})` };
    const se = (x: { low: number | null; high: number | null }) => (x.high! - x.low!) / (2 * 1.96);
    const d = ib.index.mean - ia.index.mean;
    const sd = Math.sqrt(se(ia.index) ** 2 + se(ib.index) ** 2);
    const p = sd > 0 ? normalTwoSidedP(d / sd) : null;
    const wave = (r: CampaignResults, x: { mean: number | null; low: number | null; high: number | null; n: number }): Wave => ({ campaign: r.campaign.id, academicYear: r.campaign.academicYear, value: x.mean!, low: x.low!, high: x.high!, n: x.n });
    return { target, state: 'compared', interim, measure: 'index', test: 'z', before: wave(a, ia.index), after: wave(b, ib.index), difference: { value: d, low: d - 1.96 * sd, high: d + 1.96 * sd }, p, verdict: verdictOf(p, d, false) };
  }
  return { target, state: 'not_comparable', reason: 'the target names neither a question nor a scale' };
}
