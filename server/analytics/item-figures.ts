// Figures for each item of one unit, from its counters (no raw responses needed): distributions,
// % agree with Wilson intervals, means with intervals, NPS, option shares, number summaries.
import { scoreRange, type Definition, type Item, type LocalizedText } from '../instruments/schema.js';
import { likertSummary, meanIntervalFromSums, multipleChoiceShares, netPromoterScore, singleChoiceShares, type LikertCounts } from './stats/index.js';
import type { UnitCounters } from './aggregates/store.js';

export interface ItemMeta {
  id: string;
  type: Item['type'] | 'matrix-row';
  text: LocalizedText;
  page: number;
  scale?: string;
  reverse?: boolean;
  sensitive?: boolean;
  esg?: string[];
  options?: { value: string; label: LocalizedText }[];
  labels?: LocalizedText[];
  allowNA?: boolean;
  /** Points scored on (Likert 1–5, a matrix's 1–N columns, a rating's min–max): reverse scoring is (min + max) − x. */
  range?: { min: number; max: number };
  /** Rating items and matrix rows with other than five columns are analysed as ratings (distribution and mean). */
  rating?: boolean;
  /** Rating: its end labels. */
  lowLabel?: LocalizedText;
  highLabel?: LocalizedText;
  /** For matrix rows: the matrix they belong to. */
  group?: { id: string; text: LocalizedText };
}

/** Items as analytics sees them: matrix rows become items of their own (they are answered separately). */
export function analysableItems(def: Definition): ItemMeta[] {
  return def.pages.flatMap((page, p) =>
    page.items.flatMap((item): ItemMeta[] => {
      const base = { page: p, esg: item.esg, sensitive: item.sensitive };
      const range = scoreRange(item);
      if (item.type === 'matrix')
        return item.rows.map((row) => ({
          range,
          ...(range!.max !== 5 ? { rating: true } : {}),
          ...base,
          id: row.id,
          type: 'matrix-row',
          text: row.text,
          scale: row.scale ?? item.scale,
          reverse: row.reverse ?? item.reverse,
          sensitive: row.sensitive ?? item.sensitive,
          esg: row.esg ?? item.esg,
          labels: item.labels,
          allowNA: item.allowNA,
          group: { id: item.id, text: item.text },
        }));
      return [
        {
          ...base,
          id: item.id,
          type: item.type,
          text: item.text,
          scale: item.scale,
          reverse: item.reverse,
          options: item.type === 'single' || item.type === 'multiple' ? item.options : undefined,
          labels: item.type === 'likert' || item.type === 'rating' ? item.labels : undefined,
          allowNA: item.type === 'likert' || item.type === 'rating' ? item.allowNA : undefined,
          ...(range ? { range } : {}),
          ...(item.type === 'rating' ? { rating: true, lowLabel: item.lowLabel, highLabel: item.highLabel } : {}),
        },
      ];
    }),
  );
}

/** A scale's counters live beside the items' under this key (item ids cannot contain "~"). */
export const scaleKey = (scaleId: string): string => `scale~${scaleId}`;

export interface ScaleMembers {
  id: string;
  members: ItemMeta[];
  reversed: boolean[];
  /** Per member, min + max of its range: a reverse-scored answer x counts as reflect − x. */
  reflect: number[];
}

const scalesCache = new WeakMap<Definition, ScaleMembers[]>();

/** The scales of a definition with their scored items (at least two: Likert, matrix rows, ratings), in order, reverse-scored ones marked. */
export function scaleMembers(def: Definition): ScaleMembers[] {
  let scales = scalesCache.get(def);
  if (!scales) {
    const items = analysableItems(def);
    scales = def.scales
      .map((s) => {
        const members = items.filter((i) => i.scale === s.id && i.range !== undefined);
        // The schema keeps one range per scale; (min + max) − x reverses any of them.
        return { id: s.id, members, reversed: members.map((m) => Boolean(m.reverse)), reflect: members.map((m) => m.range!.min + m.range!.max) };
      })
      .filter((s) => s.members.length >= 2);
    scalesCache.set(def, scales);
  }
  return scales;
}

export type ItemFigures =
  | { kind: 'scale'; n: number; na: number; counts: Record<string, number>; distribution: Record<string, number>; agree: Interval | null; disagree: Interval | null; mean: MeanFigure | null }
  | { kind: 'rating'; n: number; na: number; min: number; max: number; counts: Record<string, number>; distribution: Record<string, number>; mean: MeanFigure | null }
  | { kind: 'nps'; n: number; counts: Record<string, number>; nps: number | null; low: number | null; high: number | null; promoters: number; detractors: number }
  | { kind: 'choice'; n: number; options: { value: string; count: number; share: number; low: number; high: number }[]; otherTexts?: number }
  | { kind: 'number'; n: number; mean: MeanFigure | null }
  | { kind: 'text'; n: number };

export interface Interval {
  p: number;
  low: number;
  high: number;
}
export interface MeanFigure {
  mean: number | null;
  sd: number | null;
  low: number | null;
  high: number | null;
}

export function itemFigures(meta: ItemMeta, unit: UnitCounters | undefined): ItemFigures {
  const c = unit?.items[meta.id] ?? {};
  if (meta.rating && meta.range) return ratingFigures(meta.range, c);
  switch (meta.type) {
    case 'likert':
    case 'matrix-row': {
      const counts: LikertCounts = { 1: c['1'] ?? 0, 2: c['2'] ?? 0, 3: c['3'] ?? 0, 4: c['4'] ?? 0, 5: c['5'] ?? 0, na: c.na ?? 0 };
      const s = likertSummary(counts);
      return {
        kind: 'scale',
        n: s.n,
        na: s.na,
        counts: { '1': counts[1]!, '2': counts[2]!, '3': counts[3]!, '4': counts[4]!, '5': counts[5]! },
        distribution: Object.fromEntries(Object.entries(s.distribution ?? {}).map(([k, v]) => [k, v as number])),
        agree: s.agree ? { p: s.agree.p, low: s.agree.low, high: s.agree.high } : null,
        disagree: s.disagree ? { p: s.disagree.p, low: s.disagree.low, high: s.disagree.high } : null,
        mean: s.mean ? { mean: s.mean.mean, sd: s.mean.sd, low: s.mean.low, high: s.mean.high } : null,
      };
    }
    case 'nps': {
      const counts = Array.from({ length: 11 }, (_, i) => c[String(i)] ?? 0);
      const r = netPromoterScore(counts);
      return { kind: 'nps', n: r?.n ?? 0, counts: Object.fromEntries(counts.map((v, i) => [String(i), v])), nps: r?.nps ?? null, low: r?.low ?? null, high: r?.high ?? null, promoters: r?.promoters ?? 0, detractors: r?.detractors ?? 0 };
    }
    case 'single':
    case 'multiple': {
      const values = [...(meta.options ?? []).map((o) => o.value), ...(c.other !== undefined ? ['other'] : [])];
      const counts = Object.fromEntries(values.map((v) => [v, c[v] ?? 0]));
      const shares = meta.type === 'single' ? singleChoiceShares(counts) : multipleChoiceShares(counts, c._answered ?? 0);
      return {
        kind: 'choice',
        n: shares.n,
        options: shares.options.map((o) => ({ value: o.option, count: o.count, share: o.share?.p ?? 0, low: o.share?.low ?? 0, high: o.share?.high ?? 0 })),
      };
    }
    case 'number': {
      const m = meanIntervalFromSums(c._n ?? 0, c._sum ?? 0, c._sumsq ?? 0);
      return { kind: 'number', n: m.n, mean: m.n ? { mean: m.mean, sd: m.sd, low: m.low, high: m.high } : null };
    }
    default:
      return { kind: 'text', n: c._n ?? 0 };
  }
}

/** A rating's figures: like a Likert item's distribution and mean, on its own points (NA counted apart). */
function ratingFigures(range: { min: number; max: number }, c: Record<string, number>): ItemFigures {
  const counts: Record<string, number> = {};
  let n = 0;
  let sum = 0;
  let sumsq = 0;
  for (let v = range.min; v <= range.max; v++) {
    const count = c[String(v)] ?? 0;
    counts[String(v)] = count;
    n += count;
    sum += v * count;
    sumsq += v * v * count;
  }
  const m = meanIntervalFromSums(n, sum, sumsq);
  const distribution = Object.fromEntries(Object.entries(counts).map(([v, count]) => [v, n ? count / n : 0]));
  return { kind: 'rating', n, na: c.na ?? 0, min: range.min, max: range.max, counts, distribution, mean: n ? { mean: m.mean, sd: m.sd, low: m.low, high: m.high } : null };
}
