// What one response adds to the counters: per level (university, faculty, …) and unit, per answer id,
// per value. Pure, so the live path and the recompute share it and cannot drift apart.
import type { Definition } from '../../instruments/schema.js';
import { itemsOf, otherKey } from '../../instruments/items.js';
import { safeKey, segmentKey, type Level, type Segment } from '../../responses/segment.js';
import { type StoredAnswers } from '../../responses/answers.js';
import { scaleKey, scaleMembers } from '../item-figures.js';
import type { ScaleMembers } from '../item-figures.js';

/** Counter paths inside one unit: "n", "items.<answerId>.<value>", "items.<id>._sum" …, and per scale its
 *  sufficient statistics "items.scale~<id>.<name>" (index, alpha), so scales are counted like items. */
export type UnitIncrements = Map<string, number>;

export function unitIncrements(def: Definition, answers: StoredAnswers): UnitIncrements {
  const inc: UnitIncrements = new Map([['n', 1]]);
  const add = (path: string, by = 1) => inc.set(path, (inc.get(path) ?? 0) + by);
  for (const { item } of itemsOf(def)) {
    switch (item.type) {
      case 'likert':
      case 'rating':
      case 'nps':
      case 'single': {
        const v = answers[item.id];
        if (v !== undefined) add(`items.${item.id}.${safeKey(String(v))}`);
        if (item.type === 'single' && answers[otherKey(item.id)] !== undefined) add(`items.${item.id}._othertext`);
        break;
      }
      case 'matrix':
        for (const row of item.rows) {
          const v = answers[row.id];
          if (v !== undefined) add(`items.${row.id}.${safeKey(String(v))}`);
        }
        break;
      // A rating's values are plain value keys ("0" … "10", "na"), so cuts.ts counts them like any item's.
      case 'multiple': {
        const v = answers[item.id];
        if (Array.isArray(v)) {
          add(`items.${item.id}._answered`);
          for (const choice of v) add(`items.${item.id}.${safeKey(choice)}`);
        }
        break;
      }
      case 'number': {
        const v = answers[item.id];
        if (typeof v === 'number') {
          add(`items.${item.id}._n`);
          add(`items.${item.id}._sum`, v);
          add(`items.${item.id}._sumsq`, v * v);
        }
        break;
      }
      case 'text':
        if (typeof answers[item.id] === 'string') add(`items.${item.id}._n`);
        break;
    }
  }
  for (const scale of scaleMembers(def)) addScale(add, scale, answers);
  return inc;
}

export const aggregateId = (campaign: string, level: Level) => `${campaign}|${level}`;

/** Increments of one segment, summed over its responses: spread over the segment's units once, not per response. */
export interface SegmentTotals {
  segment: Segment;
  paths: UnitIncrements;
  /** Responses per day (those stored with a day). */
  days: Map<string, number>;
}

/** Adds one response's increments to its segment's totals (segment key → totals): one map update per counter. */
export function addToSegment(totals: Map<string, SegmentTotals>, segment: Segment, increments: UnitIncrements, day?: string): void {
  const key = segmentKey(segment);
  let into = totals.get(key);
  if (!into) totals.set(key, (into = { segment, paths: new Map(), days: new Map() }));
  if (day) into.days.set(day, (into.days.get(day) ?? 0) + 1);
  for (const [path, by] of increments) into.paths.set(path, (into.paths.get(path) ?? 0) + by);
}

/**
 * One response's share of a scale's sufficient statistics (stats/alpha-stream.ts ScaleAccumulator, whose
 * toCounters/fromCounters name them): written out here because it runs for every response on the write path.
 */
function addScale(add: (path: string, by: number) => void, scale: ScaleMembers, answers: StoredAnswers): void {
  const k = scale.members.length;
  let answered = 0;
  let total = 0;
  const scored: (number | null)[] = new Array<number | null>(k);
  for (let i = 0; i < k; i++) {
    const v = answers[scale.members[i]!.id];
    if (typeof v !== 'number') {
      scored[i] = null;
      continue;
    }
    const x = scale.reversed[i] ? scale.reflect[i]! - v : v;
    scored[i] = x;
    answered++;
    total += x;
  }
  if (answered === 0) return;
  const base = `items.${scaleKey(scale.id)}.`;
  add(base + 'r', 1);
  if (answered * 2 >= k) {
    const index = total / answered;
    add(base + 'in', 1);
    add(base + 'is', index);
    add(base + 'iq', index * index);
  }
  if (answered < k) return;
  add(base + 'c', 1);
  add(base + 't', total);
  add(base + 'tt', total * total);
  let squares = 0;
  for (let i = 0; i < k; i++) {
    add(`${base}s${i}`, scored[i]!);
    squares += scored[i]! * scored[i]!;
  }
  add(base + 'q', squares);
}
