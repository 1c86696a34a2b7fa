// Trends: each scale item's % agree by academic year, over the campaigns of the same instrument (joined
// on stable item ids and declared `replaces`). Every point is a gated figure of that campaign's results.
import type { LocalizedText } from '../instruments/schema.js';
import type { Definition } from '../instruments/schema.js';
import type { CampaignResults } from './results.js';

export interface TrendPoint {
  campaign: string;
  academicYear: string;
  item: string;
  n: number;
  agree: { p: number; low: number; high: number } | null;
}

export interface Trends {
  unit: string;
  k: number;
  items: { id: string; text: LocalizedText; points: TrendPoint[] }[];
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
export function joinTrends(waves: { academicYear: string; results: CampaignResults; definition: Definition }[], unitKey: string, k: number): Trends {
  const points: TrendPoint[] = [];
  const itemTexts = new Map<string, LocalizedText>();
  for (const { academicYear, results, definition } of waves) {
    const replaces = replacements(definition);
    for (const item of results.items) {
      const f = item.figures[unitKey];
      if (!f || f.kind !== 'scale') continue;
      const id = replaces.get(item.id) ?? item.id;
      itemTexts.set(id, item.text);
      points.push({ campaign: results.campaign.id, academicYear, item: id, n: f.n, agree: f.agree });
    }
  }
  return { unit: unitKey, k, items: [...itemTexts.entries()].map(([id, text]) => ({ id, text, points: points.filter((p) => p.item === id) })) };
}
