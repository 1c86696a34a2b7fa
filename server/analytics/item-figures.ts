// Figures for each item of one unit, from its counters (no raw responses needed): distributions,
// % agree with Wilson intervals, means with intervals, NPS, option shares, number summaries.
import type { Definition, Item, LocalizedText } from '../instruments/schema.js';
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
  /** For matrix rows: the matrix they belong to. */
  group?: { id: string; text: LocalizedText };
}

/** Items as analytics sees them: matrix rows become items of their own (they are answered separately). */
export function analysableItems(def: Definition): ItemMeta[] {
  return def.pages.flatMap((page, p) =>
    page.items.flatMap((item): ItemMeta[] => {
      const base = { page: p, esg: item.esg, sensitive: item.sensitive };
      if (item.type === 'matrix')
        return item.rows.map((row) => ({
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
          labels: item.type === 'likert' ? item.labels : undefined,
          allowNA: item.type === 'likert' ? item.allowNA : undefined,
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
}

const scalesCache = new WeakMap<Definition, ScaleMembers[]>();

/** The scales of a definition with their agreement items (at least two), in order, reverse-scored ones marked. */
export function scaleMembers(def: Definition): ScaleMembers[] {
  let scales = scalesCache.get(def);
  if (!scales) {
    const items = analysableItems(def);
    scales = def.scales
      .map((s) => {
        const members = items.filter((i) => i.scale === s.id && (i.type === 'likert' || i.type === 'matrix-row'));
        return { id: s.id, members, reversed: members.map((m) => Boolean(m.reverse)) };
      })
      .filter((s) => s.members.length >= 2);
    scalesCache.set(def, scales);
  }
  return scales;
}

export type ItemFigures =
  | { kind: 'scale'; n: number; na: number; counts: Record<string, number>; distribution: Record<string, number>; agree: Interval | null; disagree: Interval | null; mean: MeanFigure | null }
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
