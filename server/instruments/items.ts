// Walking a definition's items: in order with their page, and the ids each item stores answers under.
// Shared by the respondent side (reading answers) and analytics (counting them).
import type { Definition, Item } from './schema.js';

const itemsCache = new WeakMap<Definition, { item: Item; page: number }[]>();

/** All items of a definition in order, with their page index (computed once per definition). */
export function itemsOf(def: Definition): { item: Item; page: number }[] {
  let items = itemsCache.get(def);
  if (!items) itemsCache.set(def, (items = def.pages.flatMap((page, index) => page.items.map((item) => ({ item, page: index })))));
  return items;
}

/** The ids an item stores answers under (matrix rows answer separately). */
export function answerIds(item: Item): string[] {
  return item.type === 'matrix' ? item.rows.map((r) => r.id) : [item.id];
}

/** Where an item's "other, please specify" text is stored. */
export const otherKey = (itemId: string): string => `${itemId}:other`;

const knownKeys = new WeakMap<Definition, Set<string>>();

/** Every answer key a response to this definition may hold (answer ids and other-texts). */
export function knownAnswerKeys(def: Definition): Set<string> {
  let keys = knownKeys.get(def);
  if (!keys) knownKeys.set(def, (keys = new Set(itemsOf(def).flatMap(({ item }) => [...answerIds(item), otherKey(item.id)]))));
  return keys;
}
