// Indicators per programme and academic year, the figures the monitoring procedure names (seeds/002):
// positive employer reviews, employed graduates, student satisfaction, response rates — each with its
// formula, n, 95 % interval, an optional target, and the gate applied: every survey figure is read from the
// viewer's gated results (a hidden figure gives a hidden indicator, with the reason), and an imported
// employment figure below k graduates is hidden too.
import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import type { Analytics } from '../analytics/service.js';
import type { CampaignResults } from '../analytics/results.js';
import { wilsonInterval } from '../analytics/stats/index.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { listCampaigns } from '../campaigns/service.js';
import { notFound } from '../lib/errors.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { canSeeUnit } from '../org/scope.js';
import { assertEditFaculty } from './access.js';
import { employmentFor } from './employment.js';

export const INDICATORS = ['employer_positive', 'employed_graduates', 'employed_official', 'student_satisfaction', 'response_rate'] as const;
export type IndicatorKey = (typeof INDICATORS)[number];

/** Which library instrument and item each survey indicator reads. */
const SOURCES = {
  employer_positive: { instrument: 'employer-satisfaction', item: 'overall_sat' },
  student_satisfaction: { instrument: 'student-satisfaction', item: 'overall_sat' },
  employed_graduates: { instrument: 'alumni', item: 'status' },
  response_rate: { instrument: 'student-satisfaction' },
} as const;
/** The alumni answers that count as employed. */
export const EMPLOYED = ['employed_field', 'employed_part', 'employed_outside', 'self_employed'] as const;

export interface Indicator {
  key: IndicatorKey;
  value: number | null;
  low: number | null;
  high: number | null;
  n: number | null;
  /** Why there is no value: no campaign that year, hidden by the gate (and why), or no imported figure. */
  missing?: 'no_data' | 'hidden';
  reason?: string;
  campaign?: string;
  target?: number;
  belowTarget: boolean;
}

export interface ProgrammeIndicators {
  programme: string;
  academicYear: string;
  indicators: Indicator[];
}

interface TargetDoc {
  _id: string;
  programme: string;
  indicator: IndicatorKey;
  target: number;
}
const Target = mongoose.model<TargetDoc>('IndicatorTarget', new Schema<TargetDoc>({ _id: String, programme: String, indicator: String, target: Number }, { versionKey: false }), 'indicator_targets');

export const targetInput = z.strictObject({ programme: z.string().min(1).max(40), indicator: z.enum(INDICATORS), target: z.number().min(0).max(1).nullable() });

export async function setTarget(actor: Actor, input: z.input<typeof targetInput>): Promise<void> {
  const parsed = targetInput.parse(input);
  const programme = (await loadOrgSnapshot()).programme.get(parsed.programme);
  if (!programme) throw notFound('There is no such programme.');
  assertEditFaculty(actor, programme.faculty);
  const _id = `${parsed.programme}|${parsed.indicator}`;
  if (parsed.target === null) await Target.deleteOne({ _id });
  else await Target.replaceOne({ _id }, { programme: parsed.programme, indicator: parsed.indicator, target: parsed.target }, { upsert: true });
  await recordAudit(actor, { action: 'update', entity: 'indicator_targets', entityId: _id, after: { target: parsed.target } });
}

const latest = (campaigns: CampaignDoc[], instrument: string, year: string) =>
  campaigns.filter((c) => c.instrument.id === instrument && c.academicYear === year && c.status !== 'draft').sort((a, b) => Number(effectiveStatus(b) === 'closed') - Number(effectiveStatus(a) === 'closed') || b.opensAt.getTime() - a.opensAt.getTime())[0];

function fromItem(results: CampaignResults, itemId: string, measure: (f: Exclude<CampaignResults['items'][number]['figures'][string], { kind: 'suppressed' }>) => { value: number; low: number; high: number; n: number } | null): Pick<Indicator, 'value' | 'low' | 'high' | 'n' | 'missing' | 'reason' | 'campaign'> {
  const f = results.items.find((i) => i.id === itemId)?.figures[results.selected];
  const campaign = results.campaign.id;
  if (!f) return { value: null, low: null, high: null, n: null, missing: 'no_data', campaign };
  if (f.kind === 'suppressed') return { value: null, low: null, high: null, n: null, missing: 'hidden', reason: f.reason, campaign };
  const m = measure(f);
  return m ? { ...m, campaign } : { value: null, low: null, high: null, n: null, missing: 'no_data', campaign };
}

/** Indicators of every programme the actor may see in a faculty, for one academic year. */
export async function facultyIndicators(actor: Actor, analytics: Analytics, faculty: string, academicYear: string, k: number): Promise<ProgrammeIndicators[]> {
  const org = await loadOrgSnapshot();
  const programmes = org.programmes.filter((p) => p.faculty === faculty && !p.archived && canSeeUnit(actor, { faculty: p.faculty, programme: p.id }));
  const [campaigns, employment, targets] = await Promise.all([listCampaigns(actor, { academicYear }), employmentFor(programmes.map((p) => p.id)), Target.find({}).lean() as Promise<TargetDoc[]>]);
  const resultsCache = new Map<string, Promise<CampaignResults | null>>();
  const resultsAt = (campaign: CampaignDoc | undefined, unit: string) => {
    if (!campaign) return Promise.resolve(null);
    const key = `${campaign._id}|${unit}`;
    if (!resultsCache.has(key)) resultsCache.set(key, analytics.resultsFor(actor, campaign, { unit }).catch(() => null));
    return resultsCache.get(key)!;
  };
  const out: ProgrammeIndicators[] = [];
  for (const p of programmes) {
    const unit = `programme~${p.id}`;
    const target = (key: IndicatorKey) => targets.find((t) => t.programme === p.id && t.indicator === key)?.target;
    const indicators: Indicator[] = [];
    const add = (key: IndicatorKey, fig: Pick<Indicator, 'value' | 'low' | 'high' | 'n' | 'missing' | 'reason' | 'campaign'>) => {
      const t = target(key);
      indicators.push({ key, ...fig, ...(t !== undefined ? { target: t } : {}), belowTarget: t !== undefined && fig.value !== null && fig.value < t });
    };
    const agreeOf = async (key: 'employer_positive' | 'student_satisfaction') => {
      const r = await resultsAt(latest(campaigns, SOURCES[key].instrument, academicYear), unit);
      add(key, r ? fromItem(r, SOURCES[key].item, (f) => (f.kind === 'scale' && f.agree ? { value: f.agree.p, low: f.agree.low, high: f.agree.high, n: f.n } : null)) : { value: null, low: null, high: null, n: null, missing: 'no_data' });
    };
    await agreeOf('employer_positive');
    const alumni = await resultsAt(latest(campaigns, SOURCES.employed_graduates.instrument, academicYear), unit);
    add(
      'employed_graduates',
      alumni
        ? fromItem(alumni, SOURCES.employed_graduates.item, (f) => {
            if (f.kind !== 'choice' || !f.n) return null;
            const employed = f.options.filter((o) => (EMPLOYED as readonly string[]).includes(o.value)).reduce((s, o) => s + o.count, 0);
            const w = wilsonInterval(employed, f.n)!;
            return { value: w.p, low: w.low, high: w.high, n: f.n };
          })
        : { value: null, low: null, high: null, n: null, missing: 'no_data' },
    );
    const official = employment.find((e) => e.programme === p.id && e.academicYear === academicYear);
    if (!official) add('employed_official', { value: null, low: null, high: null, n: null, missing: 'no_data' });
    else if (official.graduates < k) add('employed_official', { value: null, low: null, high: null, n: null, missing: 'hidden', reason: 'small' });
    else {
      const w = wilsonInterval(official.employed, official.graduates)!;
      add('employed_official', { value: w.p, low: w.low, high: w.high, n: official.graduates });
    }
    await agreeOf('student_satisfaction');
    const satisfaction = await resultsAt(latest(campaigns, SOURCES.response_rate.instrument, academicYear), unit);
    const u = satisfaction?.units.find((x) => x.key === unit);
    if (!satisfaction || !u) add('response_rate', { value: null, low: null, high: null, n: null, missing: 'no_data' });
    else if (u.suppressed || u.rate == null) add('response_rate', { value: null, low: null, high: null, n: null, missing: u.suppressed ? 'hidden' : 'no_data', reason: u.reason, campaign: satisfaction.campaign.id });
    // A response rate counts a census, not a sample: no interval.
    else add('response_rate', { value: u.rate, low: null, high: null, n: u.n, campaign: satisfaction.campaign.id });
    out.push({ programme: p.id, academicYear, indicators });
  }
  return out;
}

/**
 * Academic-integrity reports at faculty level (sensitive questions are never shown per programme): the share
 * who saw or experienced bribery or pressure, from the latest integrity campaign of the year, gated.
 */
export async function integritySignal(actor: Actor, analytics: Analytics, faculty: string, academicYear: string): Promise<{ campaign: string; bribery: number | null; pressure: number | null; n: number | null; reason?: string } | null> {
  const campaigns = await listCampaigns(actor, { academicYear });
  const c = latest(campaigns, 'integrity', academicYear);
  if (!c) return null;
  const r = await analytics.resultsFor(actor, c, { unit: `faculty~${faculty}` }).catch(() => null);
  if (!r) return null;
  const share = (item: string) => {
    const f = r.items.find((i) => i.id === item)?.figures[r.selected];
    return f && f.kind === 'choice' ? { p: f.options.find((o) => o.value === 'yes')?.share ?? 0, n: f.n } : { p: null, n: null, reason: f?.kind === 'suppressed' ? f.reason : undefined };
  };
  const bribery = share('wit_bribe');
  const pressure = share('wit_pressure');
  return { campaign: c._id, bribery: bribery.p, pressure: pressure.p, n: bribery.n, ...(bribery.p === null ? { reason: bribery.reason ?? 'small' } : {}) };
}
