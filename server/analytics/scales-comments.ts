// Scale indices with Cronbach's alpha for one group — from the tree's gated scale cells (scales are
// counted like items, so they move with the same cuts and pass the same gate) — and, once the campaign has
// closed, the group's open comments and word frequencies, through the gate's comment rule.
import type { LocalizedText } from '../instruments/schema.js';
import type { HiddenReason, TreeFigures } from './figures.js';
import { analysableItems } from './item-figures.js';
import type { RespondentLevel } from './comments.js';
import type { CampaignResults } from './results.js';
import { readComments, type ShownComment } from './text/comments.js';
import type { WordLists } from './text/words.js';
import type { Lang } from '../lib/i18n/index.js';
import type { AlphaResult, MeanInterval } from './stats/index.js';
import { gateComments } from './suppression.js';

export const ALPHA_FLAG = 0.7;

export interface ScaleView {
  id: string;
  title: LocalizedText;
  items: number;
  index: MeanInterval | null;
  alpha: AlphaResult | null;
  /** Alpha below 0.70: the items may not measure one thing. */
  lowAlpha: boolean;
  /** Why the index is not shown. */
  reason?: HiddenReason;
}

export interface ScalesAndComments {
  unit: string;
  k: number;
  /** Comments are not shown for this group (too few respondents, or the campaign is still open). */
  suppressed: boolean;
  commentsReason?: 'small' | 'open';
  scales: ScaleView[];
  textItems: { id: string; text: LocalizedText }[];
  /** Masked, identical ones once with their count, each with the language it is written in. */
  comments: ShownComment[];
  /** Words per language of the comments (stop words removed, stems counted together). */
  frequencies: WordLists;
  /** Comments written in each language. */
  languages: Record<Lang, number>;
}

/**
 * The selected group's scales and comments, from a viewer's results (which fix the group and the scope)
 * and the respondent-level comments of a closed campaign (`level` is undefined while open).
 */
export function scalesAndComments(tree: TreeFigures, level: RespondentLevel | undefined, results: CampaignResults, k: number): ScalesAndComments {
  const unit = tree.units.find((u) => u.key === results.selected)!;
  const selectedView = results.units.find((u) => u.key === unit.key);
  const items = analysableItems(tree.definition);
  const scales: ScaleView[] = tree.definition.scales.flatMap((s) => {
    const cell = tree.scales.find((x) => x.id === s.id)?.cells.get(unit.key);
    if (!cell) return [];
    const reason = selectedView?.reason === 'scope' ? 'scope' : 'suppressed' in cell ? cell.suppressed : undefined;
    const shown = !reason && !('suppressed' in cell) ? cell : null;
    return [
      {
        id: s.id,
        title: s.title,
        items: items.filter((i) => i.scale === s.id).length,
        index: shown?.index ?? null,
        alpha: shown?.alpha ?? null,
        lowAlpha: Boolean(shown?.alpha && shown.alpha.alpha !== null && shown.alpha.alpha < ALPHA_FLAG),
        ...(reason ? { reason } : {}),
      },
    ];
  });
  const sensitiveText = new Set(items.filter((i) => i.type === 'text' && i.sensitive).map((i) => i.id));
  const hidden = new Set([...tree.hidden.keys(), ...results.units.filter((u) => u.suppressed).map((u) => u.key)]);
  const commentGate = level ? gateComments({ unit, hidden, respondents: level.unitN[unit.key] ?? 0, k }) : { shown: false, sensitiveShown: false };
  const read = readComments(commentGate.shown ? (level!.comments[unit.key] ?? []).filter((c) => commentGate.sensitiveShown || !sensitiveText.has(c.item)) : []);
  return {
    unit: unit.key,
    k,
    suppressed: !commentGate.shown,
    ...(commentGate.shown ? {} : { commentsReason: level ? ('small' as const) : ('open' as const) }),
    scales,
    textItems: items.filter((i) => i.type === 'text').map((i) => ({ id: i.id, text: i.text })),
    comments: read.comments,
    frequencies: read.frequencies,
    languages: read.languages,
  };
}
