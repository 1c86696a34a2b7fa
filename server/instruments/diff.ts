// Differences between two versions of an instrument, joined on stable item ids (and declared `replaces`).
import type { Definition, LocalizedText } from './schema.js';

export interface DefinitionDiff {
  added: string[];
  removed: string[];
  reworded: { id: string; before: LocalizedText; after: LocalizedText }[];
  replaced: { id: string; replaces: string }[];
  /** Items that declare `replaces` of an id the older version does not have. */
  replacedUnknown: string[];
}

interface FlatItem {
  id: string;
  text: LocalizedText;
  replaces?: string;
}

export function flattenItems(def: Definition): FlatItem[] {
  return def.pages.flatMap((page) =>
    page.items.flatMap((item): FlatItem[] =>
      item.type === 'matrix' ? item.rows.map((row) => ({ id: row.id, text: row.text, replaces: row.replaces })) : [{ id: item.id, text: item.text, replaces: item.replaces }],
    ),
  );
}

const sameText = (a: LocalizedText, b: LocalizedText) => a.kk === b.kk && a.ru === b.ru && a.en === b.en;

export function diffDefinitions(before: Definition, after: Definition): DefinitionDiff {
  const old = new Map(flattenItems(before).map((i) => [i.id, i]));
  const now = flattenItems(after);
  const nowIds = new Set(now.map((i) => i.id));
  const replacedIds = new Set(now.flatMap((i) => (i.replaces ? [i.replaces] : [])));
  return {
    added: now.filter((i) => !old.has(i.id) && !(i.replaces && old.has(i.replaces))).map((i) => i.id),
    removed: [...old.keys()].filter((id) => !nowIds.has(id) && !replacedIds.has(id)),
    reworded: now.flatMap((i) => {
      const prev = old.get(i.id);
      return prev && !sameText(prev.text, i.text) ? [{ id: i.id, before: prev.text, after: i.text }] : [];
    }),
    replaced: now.flatMap((i) => (i.replaces && old.has(i.replaces) ? [{ id: i.id, replaces: i.replaces }] : [])),
    replacedUnknown: now.filter((i) => i.replaces && !old.has(i.replaces)).map((i) => i.id),
  };
}
