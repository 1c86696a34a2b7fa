// What one response adds to the counters: per level (university, faculty, …) and unit, per answer id,
// per value. Pure, so the live path and the recompute share it and cannot drift apart.
import type { Definition } from '../../instruments/schema.js';
import { itemsOf, otherKey } from '../../instruments/items.js';
import { safeKey, type Level } from '../../responses/segment.js';
import { type StoredAnswers } from '../../responses/answers.js';
import { scaleKey, scaleMembers } from '../item-figures.js';
import { ScaleAccumulator } from '../stats/index.js';

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
  for (const scale of scaleMembers(def)) {
    const values = scale.members.map((m) => (typeof answers[m.id] === 'number' ? (answers[m.id] as number) : null));
    if (values.every((v) => v === null)) continue;
    const one = new ScaleAccumulator(scale.members.length, scale.reversed, scale.reflect);
    one.add(values);
    for (const [name, value] of Object.entries(one.toCounters())) if (value) add(`items.${scaleKey(scale.id)}.${name}`, value);
  }
  return inc;
}

export const aggregateId = (campaign: string, level: Level) => `${campaign}|${level}`;
