// View models for the campaign pages: dates as people write them, state badges, response rates.
// Everything a template shows is computed here, in the page's language, so the templates stay plain.
import { formatDay, formatDayRange } from '../lib/dates.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { pick } from './choices.js';
import type { PlanCampaign } from './plan.js';
import type { Progress, UnitProgress } from './progress.js';

/** "2025-10-01" → "01.10.2025" (kk, ru) or "1 Oct 2025" (en): lib/dates.ts writes every date. */
export function dayLabel(day: string, lang: Lang): string {
  return formatDay(day, lang);
}

/** The university's first and last day of a campaign's window, in the page's language. */
export function windowLabel(opensAt: Date | string, closesAt: Date | string, lang: Lang): string {
  return formatDayRange(new Date(opensAt), new Date(closesAt), lang);
}

export interface ProgressView {
  n: number;
  target: number;
  percent: string;
  /** 0…1 for <meter>. */
  meter: number;
  over: boolean;
  /** The target is the enrolment of the audience's cohorts (else the campaign states it). */
  fromEnrolment: boolean;
}

export function progressView(p: Progress): ProgressView {
  const rate = p.rate ?? 0;
  return { n: p.n, target: p.target, percent: p.rate === null ? '—' : `${Math.round(rate * 100)}%`, meter: Math.min(1, rate), over: rate > 1, fromEnrolment: p.targetFrom === 'enrolment' };
}

export interface CampaignCard {
  id: string;
  href: string;
  title: string;
  state: string;
  window: string;
  audienceKind: string;
  instrument: string;
  responses: ProgressView;
}

export function campaignCard(c: PlanCampaign, lang: Lang): CampaignCard {
  return {
    id: c.id,
    href: `/campaigns/${c.id}`,
    title: pick(c.title, lang),
    state: c.state,
    window: windowLabel(c.opensAt, c.closesAt, lang),
    audienceKind: c.audienceKind,
    instrument: `${c.instrument.id} v${c.instrument.version}`,
    responses: progressView(c.responses),
  };
}

export interface UnitRateRow {
  key: string;
  name: string;
  /** 0 for the university, 1 for faculties and disciplines, 2 programmes, 3 cohorts. */
  depth: number;
  n: string;
  target: string;
  percent: string;
  meter: number;
  lagging: boolean;
  suppressed: boolean;
}

const DEPTH: Record<UnitProgress['level'], number> = { university: 0, faculty: 1, discipline: 1, programme: 2, cohort: 3 };

/** The campaign page's table of rates by group, in tree order (each group under its parent). */
export function unitRateRows(units: readonly UnitProgress[], lang: Lang, k: number): UnitRateRow[] {
  const children = new Map<string | undefined, UnitProgress[]>();
  for (const u of units) children.set(u.parent, [...(children.get(u.parent) ?? []), u]);
  const keys = new Set(units.map((u) => u.key));
  const ordered: UnitProgress[] = [];
  const walk = (u: UnitProgress) => {
    ordered.push(u);
    for (const c of children.get(u.key) ?? []) walk(c);
  };
  // Roots: the university, and any group whose parent this viewer does not see.
  for (const u of units) if (u.parent === undefined || !keys.has(u.parent)) walk(u);
  return ordered.map((u) => ({
    key: u.key,
    name: pick(u.name, lang),
    depth: DEPTH[u.level],
    n: u.suppressed ? translate(lang, `results.reasonShort.${u.reason ?? 'small'}`, { k }) : String(u.n ?? 0),
    target: u.target ? String(u.target) : '—',
    percent: typeof u.rate === 'number' ? `${Math.round(u.rate * 100)}%` : '—',
    meter: typeof u.rate === 'number' ? Math.min(1, u.rate) : 0,
    lagging: Boolean(u.lagging),
    suppressed: u.suppressed,
  }));
}
