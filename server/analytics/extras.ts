// Scale indices with alpha, open comments and word frequencies, and trends across campaigns — each
// passed through the same gate as the item figures (hidden units give nothing; sensitive items stay at
// university and faculty level).
import type { Actor } from '../accounts/actor.js';
import { getCampaign, listCampaigns } from '../campaigns/service.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { LocalizedText } from '../instruments/schema.js';
import { analysableItems } from './item-figures.js';
import { respondentLevel, type Comment } from './respondent-level.js';
import { resultsFor } from './service.js';
import { campaignUnits } from './units.js';
import { maskPersonalData, wordFrequencies } from './text.js';
import type { AlphaResult, MeanInterval } from './stats/index.js';
import { hiddenUnits, itemVisible } from './suppression.js';

export const ALPHA_FLAG = 0.7;

export interface ScaleView {
  id: string;
  title: LocalizedText;
  items: number;
  index: MeanInterval | null;
  alpha: AlphaResult | null;
  /** Alpha below 0.70: the items may not measure one thing. */
  lowAlpha: boolean;
  /** Respondent-level figures are based on this many responses (they refresh in steps while open). */
  basedOn: number | null;
}

export async function campaignScalesAndComments(actor: Actor, campaignId: string, options: { unit?: string; k: number }) {
  const campaign = await getCampaign(actor, campaignId);
  const results = await resultsFor(actor, campaign, options);
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  const level = await respondentLevel(campaign, options.k);
  const unit = results.units.find((u) => u.key === results.selected)!;
  const visible = !unit.suppressed;
  const items = analysableItems(definition);
  // A scale index goes through the gate on the numbers it is based on, like an item, over the whole tree
  // (not the viewer's part of it, so two viewers of different scopes cannot combine what they see): it
  // must not be recoverable as "parent minus visible children"; a scale with sensitive items stays at
  // faculty level and above.
  const tree = await campaignUnits(campaign);
  const hiddenGroups = [...hiddenUnits(tree.map((u) => ({ key: u.key, parent: u.parent, n: level.unitN[u.key] ?? 0 })), options.k), ...results.units.filter((u) => u.suppressed).map((u) => u.key)];
  const belowFaculty = tree.filter((u) => u.level !== 'university' && u.level !== 'faculty').map((u) => u.key);
  const sensitiveScales = new Set(items.filter((i) => i.sensitive && i.scale).map((i) => i.scale));
  const scaleHidden = (scaleId: string) =>
    hiddenUnits(
      tree.map((u) => ({ key: u.key, parent: u.parent, n: level.scales[u.key]?.[scaleId]?.index.n ?? 0 })),
      options.k,
      sensitiveScales.has(scaleId) ? [...hiddenGroups, ...belowFaculty] : hiddenGroups,
    );
  const scales: ScaleView[] = definition.scales.map((s) => {
    const figures = visible ? level.scales[unit.key]?.[s.id] : undefined;
    const ok = figures && itemVisible(figures.index.n, options.k) && !scaleHidden(s.id).has(unit.key);
    return {
      id: s.id,
      title: s.title,
      items: items.filter((i) => i.scale === s.id).length,
      index: ok ? figures.index : null,
      // Alpha rests on those who answered every item of the scale: shown only when they are k or more.
      alpha: ok && figures.alpha.n >= options.k ? figures.alpha : null,
      lowAlpha: Boolean(ok && figures.alpha.n >= options.k && figures.alpha.alpha !== null && figures.alpha.alpha < ALPHA_FLAG),
      basedOn: ok ? (level.unitN[unit.key] ?? null) : null,
    };
  });
  const sensitiveText = new Set(items.filter((i) => i.type === 'text' && i.sensitive).map((i) => i.id));
  const deep = unit.level !== 'university' && unit.level !== 'faculty';
  const commentsShown = visible && (level.unitN[unit.key] ?? 0) >= options.k;
  const comments: Comment[] = commentsShown
    ? (level.comments[unit.key] ?? []).filter((c) => !(deep && sensitiveText.has(c.item))).map((c) => ({ ...c, text: maskPersonalData(c.text) }))
    : [];
  const textItems = items.filter((i) => i.type === 'text').map((i) => ({ id: i.id, text: i.text }));
  return {
    unit: unit.key,
    k: options.k,
    suppressed: !commentsShown,
    scales,
    textItems,
    comments,
    frequencies: wordFrequencies(comments),
    computedAt: level.computedAt,
  };
}

/** Each scale item's % agree by academic year, over campaigns of the same instrument (joined on item ids). */
export async function campaignTrends(actor: Actor, campaignId: string, options: { unit?: string; k: number }) {
  const campaign = await getCampaign(actor, campaignId);
  const siblings = (await listCampaigns(actor)).filter((c) => c.instrument.id === campaign.instrument.id).sort((a, b) => a.academicYear.localeCompare(b.academicYear) || a.opensAt.getTime() - b.opensAt.getTime());
  const unitKey = options.unit ?? 'university';
  const points: { campaign: string; academicYear: string; item: string; n: number; agree: { p: number; low: number; high: number } | null }[] = [];
  const itemTexts = new Map<string, LocalizedText>();
  for (const c of siblings) {
    const results = await resultsFor(actor, c, { unit: unitKey, k: options.k }).catch(() => null);
    if (!results) continue;
    const def = await getPublishedDefinition(c.instrument.id, c.instrument.version);
    const replaces = new Map<string, string>();
    for (const page of def.pages) for (const item of page.items) {
      if (item.replaces) replaces.set(item.id, item.replaces);
      if (item.type === 'matrix') for (const row of item.rows) if (row.replaces) replaces.set(row.id, row.replaces);
    }
    for (const item of results.items) {
      const f = item.figures[unitKey];
      if (!f || f.kind !== 'scale') continue;
      const id = replaces.get(item.id) ?? item.id;
      itemTexts.set(id, item.text);
      points.push({ campaign: c._id, academicYear: c.academicYear, item: id, n: f.n, agree: f.agree });
    }
  }
  return { unit: unitKey, k: options.k, items: [...itemTexts.entries()].map(([id, text]) => ({ id, text, points: points.filter((p) => p.item === id) })) };
}
