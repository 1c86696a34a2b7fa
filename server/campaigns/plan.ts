// The survey plan: the campaigns of one academic year, grouped by faculty and by the month they open, as
// the plan a QA department has approved and keeps. University-wide campaigns form a row of their own.
import type { Actor } from '../accounts/actor.js';
import type { LocalizedText } from '../instruments/schema.js';
import { loadOrgSnapshot, type OrgSnapshot } from '../org/snapshot.js';
import { localDay, localMonth, monthsOf } from './dates.js';
import { effectiveStatus, type AudienceKind, type CampaignDoc, type CampaignStatus } from './model.js';
import { progressMany, type Progress, type ResponseCounts } from './progress.js';
import { listCampaigns } from './service.js';

export interface PlanCampaign {
  id: string;
  title: LocalizedText;
  instrument: { id: string; version: number };
  audienceKind: AudienceKind;
  status: CampaignStatus;
  state: ReturnType<typeof effectiveStatus>;
  opensAt: string;
  closesAt: string;
  /** Opening and closing days in university time ("2025-10-01"). */
  opensOn: string;
  closesOn: string;
  responses: Progress;
}

export interface PlanRow {
  /** null: university-wide campaigns. */
  faculty: { id: string; code: string; name: LocalizedText } | null;
  months: { month: string; campaigns: PlanCampaign[] }[];
  count: number;
}

export interface SurveyPlan {
  year: string;
  months: string[];
  rows: PlanRow[];
  /** Distinct campaigns (one that touches two faculties appears in both rows). */
  total: number;
}

export function isUniversityWide(c: Pick<CampaignDoc, 'audience'>): boolean {
  return c.audience.kind === 'university' || (c.audience.kind === 'contacts' && c.audience.ids.length === 0);
}

/** Faculties whose rows the actor sees: all for admins; else their faculties and those of their programmes. */
function visibleFaculties(actor: Actor, org: OrgSnapshot): Set<string> {
  if (actor.role === 'admin') return new Set(org.faculties.filter((f) => !f.archived).map((f) => f.id));
  const ids = new Set(actor.faculties);
  for (const p of actor.programmes) {
    const faculty = org.programme.get(p)?.faculty;
    if (faculty) ids.add(faculty);
  }
  return ids;
}

export function toPlanCampaign(c: CampaignDoc, responses: Progress, now = new Date()): PlanCampaign {
  return {
    id: c._id,
    title: c.title,
    instrument: c.instrument,
    audienceKind: c.audience.kind,
    status: c.status,
    state: effectiveStatus(c, now),
    opensAt: c.opensAt.toISOString(),
    closesAt: c.closesAt.toISOString(),
    opensOn: localDay(c.opensAt),
    closesOn: localDay(c.closesAt),
    responses,
  };
}

export async function surveyPlan(actor: Actor, year: string, counts: ResponseCounts): Promise<SurveyPlan> {
  const [campaigns, org] = await Promise.all([listCampaigns(actor, { academicYear: year }), loadOrgSnapshot()]);
  const progress = await progressMany(counts, campaigns);
  const now = new Date();
  const months = [...new Set([...monthsOf(year), ...campaigns.map((c) => localMonth(c.opensAt))])].sort();
  const visible = visibleFaculties(actor, org);

  const byRow = new Map<string, PlanCampaign[]>();
  const add = (key: string, item: PlanCampaign) => byRow.set(key, [...(byRow.get(key) ?? []), item]);
  for (const c of campaigns) {
    const item = toPlanCampaign(c, progress.get(c._id)!, now);
    if (isUniversityWide(c)) add('', item);
    else for (const f of c.faculties) if (visible.has(f)) add(f, item);
  }

  const row = (key: string): PlanRow => {
    const items = (byRow.get(key) ?? []).sort((a, b) => a.opensAt.localeCompare(b.opensAt));
    const unit = key ? org.faculty.get(key) : undefined;
    return {
      faculty: unit ? { id: unit.id, code: unit.code, name: unit.name } : key ? { id: key, code: key, name: { kk: key, ru: key, en: key } } : null,
      months: months.map((month) => ({ month, campaigns: items.filter((i) => i.opensOn.slice(0, 7) === month) })),
      count: items.length,
    };
  };
  const facultyKeys = [...new Set([...visible, ...[...byRow.keys()].filter(Boolean)])].sort((a, b) =>
    (org.faculty.get(a)?.code ?? a).localeCompare(org.faculty.get(b)?.code ?? b),
  );
  const rows = [...(byRow.has('') || actor.role === 'admin' ? [row('')] : []), ...facultyKeys.map(row)];
  return { year, months, rows, total: campaigns.length };
}
