// Live figures move in cuts, and the final view is gated against them. Pure: counters in, counters out.
//
// A region is one unit's own part of the responses (those whose deepest unit it is: a cohort's, or a
// programme's that named no cohort). A cut holds, per region and per figure (the unit's n, each item,
// each scale), the region's counters as they were when that figure last moved. A figure of a region moves
// into the next cut only when at least k new responses touched it; otherwise its new responses are held.
// Every unit's figure in a cut is the sum of its regions' — one consistent cut of the whole tree — so
// anything a viewer can subtract between two cuts, or between a unit and its parts, is a sum of steps of
// at least k responses (THREATS.md A2).
//
// At closing, the exact final figures are shown where the responses not yet in any cut (the pending ones)
// pass the same gate as a change (complementary suppression included); elsewhere the last cut stays, with
// the number of late responses it leaves out. Exact finals therefore never differ from an earlier cut by
// fewer than k responses.
import type { UnitCounters } from './aggregates/store.js';
import { hiddenUnits } from './suppression.js';

export interface CutUnit {
  key: string;
  parent?: string;
}

export type RegionCounters = Map<string, UnitCounters>;

const empty = (): UnitCounters => ({ n: 0, items: {} });

function addInto(target: UnitCounters, source: UnitCounters, sign = 1): void {
  target.n += sign * source.n;
  for (const [item, values] of Object.entries(source.items)) {
    const into = (target.items[item] ??= {});
    for (const [value, count] of Object.entries(values)) into[value] = (into[value] ?? 0) + sign * count;
  }
}

const copyValues = (values: Record<string, number> | undefined): Record<string, number> => ({ ...(values ?? {}) });

/** The responses that moved an item's (or scale's) counters: what a step of that figure is counted in. */
export function touched(item: string, values: Record<string, number> | undefined): number {
  if (!values) return 0;
  if (item.startsWith('scale~')) return values.r ?? 0;
  if (values._answered !== undefined) return values._answered;
  if (values._n !== undefined) return values._n;
  let sum = 0;
  for (const [value, count] of Object.entries(values)) if (!value.startsWith('_')) sum += count;
  return sum;
}

function childrenOf(units: readonly CutUnit[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parent) children.set(u.parent, [...(children.get(u.parent) ?? []), u.key]);
  return children;
}

/** Each unit's own counters: its counters minus its children's. */
export function ownCounters(units: readonly CutUnit[], counters: (key: string) => UnitCounters | undefined): RegionCounters {
  const children = childrenOf(units);
  const own: RegionCounters = new Map();
  for (const u of units) {
    const mine = empty();
    const total = counters(u.key);
    if (total) addInto(mine, total);
    for (const child of children.get(u.key) ?? []) {
      const c = counters(child);
      if (c) addInto(mine, c, -1);
    }
    own.set(u.key, mine);
  }
  return own;
}

/** Every unit's counters as the sum of the regions under it. */
export function unitCells(units: readonly CutUnit[], regions: RegionCounters): Map<string, UnitCounters> {
  const children = childrenOf(units);
  const cells = new Map<string, UnitCounters>();
  const cellOf = (key: string): UnitCounters => {
    const done = cells.get(key);
    if (done) return done;
    const cell = empty();
    const own = regions.get(key);
    if (own) addInto(cell, own);
    for (const child of children.get(key) ?? []) addInto(cell, cellOf(child));
    cells.set(key, cell);
    return cell;
  };
  for (const u of units) cellOf(u.key);
  return cells;
}

/**
 * The next cut: each region's figure moves to its current counters when at least k new responses touched
 * it since it last moved, and stays otherwise. Returns the new cut and whether anything moved.
 */
export function advanceCut(units: readonly CutUnit[], own: RegionCounters, included: RegionCounters, k: number): { cut: RegionCounters; moved: boolean } {
  const cut: RegionCounters = new Map();
  let moved = false;
  for (const u of units) {
    const now = own.get(u.key) ?? empty();
    const before = included.get(u.key) ?? empty();
    const next: UnitCounters = { n: before.n, items: Object.fromEntries(Object.entries(before.items).map(([item, values]) => [item, copyValues(values)])) };
    if (now.n - before.n >= k) {
      next.n = now.n;
      moved = true;
    }
    for (const [item, values] of Object.entries(now.items)) {
      if (touched(item, values) - touched(item, before.items[item]) >= k) {
        next.items[item] = copyValues(values);
        moved = true;
      }
    }
    cut.set(u.key, next);
  }
  return { cut, moved };
}

/** How a unit's figure is shown in the final view of a campaign that had live cuts. */
export interface FinalFigure {
  /** Exact final counters, or the last cut's when the late responses are too few to show apart. */
  exact: boolean;
  /** Responses of this unit not in the last cut (left out when not exact). */
  late: number;
  /** Neither exact nor ever in a cut: hidden, because it is small or protects a smaller group. */
  hidden?: 'small' | 'protects';
}

export interface FinalView {
  cells: Map<string, UnitCounters>;
  /** unit key → "n" or item key → how it is shown. */
  figures: Map<string, Map<string, FinalFigure>>;
}

/**
 * The final view: per unit and per figure, the exact counters where the pending responses (not in the last
 * cut) pass the gate as a change — complementary suppression included — and the last cut elsewhere. With
 * no cut at all (counts only while open), every pending change is the whole campaign: the exact view.
 */
export function finalView(units: readonly CutUnit[], own: RegionCounters, included: RegionCounters, k: number): FinalView {
  const exactCells = unitCells(units, own);
  const cutCells = unitCells(units, included);
  const figureKeys = new Set<string>(['n']);
  for (const c of exactCells.values()) for (const item of Object.keys(c.items)) figureKeys.add(item);

  const cells = new Map<string, UnitCounters>(units.map((u) => [u.key, empty()]));
  const figures = new Map<string, Map<string, FinalFigure>>(units.map((u) => [u.key, new Map()]));
  for (const figure of figureKeys) {
    const size = (c: UnitCounters | undefined) => (figure === 'n' ? (c?.n ?? 0) : touched(figure, c?.items[figure]));
    const late = new Map(units.map((u) => [u.key, size(exactCells.get(u.key)) - size(cutCells.get(u.key))]));
    const hidden = hiddenUnits(units.map((u) => ({ key: u.key, parent: u.parent, n: Math.max(0, late.get(u.key)!) })), k);
    for (const u of units) {
      const exact = !hidden.has(u.key) || late.get(u.key)! <= 0;
      const source = exact ? exactCells.get(u.key)! : cutCells.get(u.key)!;
      const cell = cells.get(u.key)!;
      if (figure === 'n') cell.n = source.n;
      else if (source.items[figure]) cell.items[figure] = copyValues(source.items[figure]);
      const neverShown = !exact && size(source) === 0;
      figures.get(u.key)!.set(figure, { exact, late: exact || neverShown ? 0 : late.get(u.key)!, ...(neverShown ? { hidden: late.get(u.key)! < k ? ('small' as const) : ('protects' as const) } : {}) });
    }
  }
  return { cells, figures };
}
