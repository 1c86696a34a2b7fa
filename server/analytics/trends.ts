// Trends: each scale item's % agree by academic year, over the campaigns of the same instrument (joined
// on stable item ids and declared `replaces`). Every point is a gated figure of that campaign's results;
// each point after the first carries the test of its change from the point before (Mann–Whitney U on the
// two shown distributions, as a group is compared with the rest of its parent), so nothing is tested that
// the two points do not already show.
// Only like is compared with like: a group's point comes from campaigns that asked the whole group, so a
// programme-only survey is not a second "university" point beside the university-wide one (comparable()).
import type { OrgView } from '../campaigns/audience.js';
import type { AudienceKind } from '../campaigns/model.js';
import type { LocalizedText } from '../instruments/schema.js';
import type { Definition } from '../instruments/schema.js';
import { SIGNIFICANCE, type CampaignResults } from './results.js';
import { mannWhitneyFromCounts } from './stats/index.js';

/** The change from the previous point: Mann–Whitney U on the two years' answers (r = |z|/√N). */
export interface TrendChange {
  test: 'mann-whitney';
  /** The academic year compared with. */
  from: string;
  p: number | null;
  effect: number | null;
  effectName: 'r';
  significant: boolean;
}

export interface TrendPoint {
  campaign: string;
  academicYear: string;
  item: string;
  n: number;
  agree: { p: number; low: number; high: number } | null;
  change?: TrendChange;
}

export interface Trends {
  unit: string;
  k: number;
  items: { id: string; text: LocalizedText; points: TrendPoint[] }[];
  /**
   * Which campaigns were compared: "whole" = those whose audience was the whole group (this one's was);
   * "same-audience" = this campaign asked only part of the group, so only campaigns with exactly its audience.
   */
  basis: 'whole' | 'same-audience';
  /** Campaigns of the instrument left out because their audience was not comparable. */
  left: { campaign: string; title: LocalizedText; academicYear: string }[];
}

interface Audience {
  kind: AudienceKind;
  ids: readonly string[];
}

/** Whether a campaign with this audience asked every member of the group `unitKey` ("programme~prg_…"). */
export function coversUnit(audience: Audience, unitKey: string, org: Pick<OrgView, 'programmes' | 'cohorts'>): boolean {
  if (audience.kind === 'university') return true;
  const [level, id] = unitKey.split('~') as [string, string | undefined];
  const programme = (pid: string | undefined) => org.programmes.find((p) => p.id === pid);
  switch (level) {
    case 'faculty':
      return audience.kind === 'faculty' && audience.ids.includes(id!);
    case 'programme':
      return (audience.kind === 'faculty' && audience.ids.includes(programme(id)?.faculty ?? '')) || (audience.kind === 'programme' && audience.ids.includes(id!));
    case 'cohort': {
      if (audience.kind === 'cohort') return audience.ids.includes(id!);
      const of = programme(org.cohorts.find((c) => c.id === id)?.programme);
      return Boolean(of) && ((audience.kind === 'faculty' && audience.ids.includes(of!.faculty)) || (audience.kind === 'programme' && audience.ids.includes(of!.id)));
    }
    case 'discipline':
      return audience.kind === 'discipline' && audience.ids.includes(id!);
    default:
      return false;
  }
}

const sameAudience = (a: Audience, b: Audience) => a.kind === b.kind && [...a.ids].sort().join() === [...b.ids].sort().join();

/**
 * The campaigns whose figures for `unitKey` may stand beside this campaign's: if it asked the whole group,
 * those that did too; if it asked only part of it (a programme survey seen at faculty level), only those
 * with exactly its audience. The rest are named as left out, never mixed in.
 */
export function comparable<C extends { audience: Audience }>(campaign: C, siblings: readonly C[], unitKey: string, org: Pick<OrgView, 'programmes' | 'cohorts'>): { basis: Trends['basis']; kept: C[]; left: C[] } {
  const basis = coversUnit(campaign.audience, unitKey, org) ? 'whole' : 'same-audience';
  const fits = (c: C) => c === campaign || (basis === 'whole' ? coversUnit(c.audience, unitKey, org) : sameAudience(c.audience, campaign.audience));
  return { basis, kept: siblings.filter(fits), left: siblings.filter((c) => !fits(c)) };
}

/** The item id a trend joins on: the id it replaces in an earlier version, or its own. */
function replacements(def: Definition): Map<string, string> {
  const replaces = new Map<string, string>();
  for (const page of def.pages)
    for (const item of page.items) {
      if (item.replaces) replaces.set(item.id, item.replaces);
      if (item.type === 'matrix') for (const row of item.rows) if (row.replaces) replaces.set(row.id, row.replaces);
    }
  return replaces;
}

/** Joins the results of campaigns (oldest first) into per-item series for one group. */
export function joinTrends(waves: { academicYear: string; results: CampaignResults; definition: Definition }[], unitKey: string, k: number, comparison: Pick<Trends, 'basis' | 'left'> = { basis: 'whole', left: [] }): Trends {
  const points: (TrendPoint & { counts: number[] })[] = [];
  const itemTexts = new Map<string, LocalizedText>();
  for (const { academicYear, results, definition } of waves) {
    const replaces = replacements(definition);
    for (const item of results.items) {
      const f = item.figures[unitKey];
      if (!f || f.kind !== 'scale') continue;
      const id = replaces.get(item.id) ?? item.id;
      itemTexts.set(id, item.text);
      points.push({ campaign: results.campaign.id, academicYear, item: id, n: f.n, agree: f.agree, counts: [1, 2, 3, 4, 5].map((l) => f.counts[String(l)] ?? 0) });
    }
  }
  return {
    unit: unitKey,
    k,
    items: [...itemTexts.entries()].map(([id, text]) => {
      const series = points.filter((p) => p.item === id);
      return { id, text, points: series.map(({ counts, ...point }, i) => ({ ...point, ...changeFrom(series[i - 1], counts) })) };
    }),
    ...comparison,
  };
}

function changeFrom(previous: { academicYear: string; counts: number[] } | undefined, counts: number[]): { change?: TrendChange } {
  if (!previous) return {};
  const r = mannWhitneyFromCounts(counts, previous.counts);
  if (!r) return {};
  return { change: { test: 'mann-whitney', from: previous.academicYear, p: r.p, effect: r.r, effectName: 'r', significant: r.p !== null && r.p < SIGNIFICANCE } };
}
