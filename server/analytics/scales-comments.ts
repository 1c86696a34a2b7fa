// Scale indices with Cronbach's alpha, open comments and word frequencies for one group — from the
// respondent-level figures, through the gate's scale and comment rules (suppression.ts).
import type { LocalizedText } from '../instruments/schema.js';
import type { TreeFigures } from './figures.js';
import { analysableItems } from './item-figures.js';
import type { Comment, RespondentLevel } from './respondent-level.js';
import type { CampaignResults } from './results.js';
import { maskPersonalData, wordFrequencies } from './text.js';
import type { AlphaResult, MeanInterval } from './stats/index.js';
import { gateComments, gateScale, gateUnits } from './suppression.js';

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

export interface ScalesAndComments {
  unit: string;
  k: number;
  suppressed: boolean;
  scales: ScaleView[];
  textItems: { id: string; text: LocalizedText }[];
  comments: Comment[];
  frequencies: ReturnType<typeof wordFrequencies>;
  computedAt: string;
}

/** The selected group's scales and comments, from a viewer's results (which fix the group and its scope). */
export function scalesAndComments(tree: TreeFigures, level: RespondentLevel, results: CampaignResults, k: number): ScalesAndComments {
  const unit = tree.units.find((u) => u.key === results.selected)!;
  const items = analysableItems(tree.definition);
  // Over the whole tree (not the viewer's part of it, so two viewers of different scopes cannot combine
  // what they see): a group hidden by the released figures or by the respondent-level counts stays hidden.
  const hidden = new Set([...tree.hidden, ...gateUnits(tree.units, (key) => level.unitN[key] ?? 0, k), ...[...tree.n].filter(([, n]) => n === 0).map(([key]) => key)]);
  const sensitiveScales = new Set(items.filter((i) => i.sensitive && i.scale).map((i) => i.scale));
  const scales: ScaleView[] = tree.definition.scales.map((s) => {
    const figuresOf = (key: string) => level.scales[key]?.[s.id];
    const gate = gateScale({
      units: tree.units,
      hidden,
      k,
      sensitive: sensitiveScales.has(s.id),
      indexN: (key) => figuresOf(key)?.index.n ?? 0,
      alphaN: (key) => figuresOf(key)?.alpha.n ?? 0,
    })(unit.key);
    const figures = figuresOf(unit.key);
    return {
      id: s.id,
      title: s.title,
      items: items.filter((i) => i.scale === s.id).length,
      index: gate.index && figures ? figures.index : null,
      alpha: gate.alpha && figures ? figures.alpha : null,
      lowAlpha: Boolean(gate.alpha && figures && figures.alpha.alpha !== null && figures.alpha.alpha < ALPHA_FLAG),
      basedOn: gate.index ? (level.unitN[unit.key] ?? null) : null,
    };
  });
  const sensitiveText = new Set(items.filter((i) => i.type === 'text' && i.sensitive).map((i) => i.id));
  const commentGate = gateComments({ unit, hidden, respondents: level.unitN[unit.key] ?? 0, k });
  const comments: Comment[] = commentGate.shown
    ? (level.comments[unit.key] ?? []).filter((c) => commentGate.sensitiveShown || !sensitiveText.has(c.item)).map((c) => ({ ...c, text: maskPersonalData(c.text) }))
    : [];
  return {
    unit: unit.key,
    k,
    suppressed: !commentGate.shown,
    scales,
    textItems: items.filter((i) => i.type === 'text').map((i) => ({ id: i.id, text: i.text })),
    comments,
    frequencies: wordFrequencies(comments),
    computedAt: level.computedAt,
  };
}
