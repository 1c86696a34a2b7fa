// What the preview and the printable version of an instrument version render. The preview uses the
// respondent's item view (so it looks exactly as respondents see it); print lists every question with its
// answer options as boxes to tick, numbered, with conditions spelled out, for council approval and paper use.
import { translate, type Lang } from '../lib/i18n/index.js';
import { itemView, ratingPoints } from './item-view.js';
import { itemSchema, type Condition, type Definition, type Item, type LocalizedText } from './schema.js';

export function previewPages(def: Definition, lang: Lang) {
  return def.pages.map((page, i) => ({
    number: i + 1,
    title: page.title[lang],
    intro: page.intro?.[lang],
    items: page.items.map((item) => itemView(item, {}, [], lang)),
  }));
}

/** How many items appear only after certain answers (the preview says so, the print spells them out). */
export function conditionalCount(def: Definition): number {
  return def.pages.reduce((n, p) => n + p.items.filter((i) => i.showIf).length, 0);
}

export interface PrintItem {
  number: string;
  id: string;
  type: Item['type'];
  text: string;
  help?: string;
  required: boolean;
  /** "Answer only if …", when the item has a showIf. */
  condition?: string;
  /** What to do: "Tick one box", "Tick all that apply", … */
  instruction?: string;
  options?: string[];
  other?: string;
  /** Likert and matrix: the scale's labels (with N/A last when allowed). */
  scale?: string[];
  rows?: { number: string; text: string }[];
  /** NPS and rating: the points to tick, with the end labels (a rating's own labels under each point). */
  nps?: { points: (number | string)[]; low?: string; high?: string; min: number; max: number; na?: string };
  lines?: number[];
  range?: string;
  unit?: string;
}

export interface Numbering {
  numbers: Map<string, string>;
  /** Display label of a stored value, per item (or matrix row) id. */
  labels: Map<string, Map<string, string>>;
}

const pick = (text: LocalizedText | undefined, lang: Lang) => (text ? text[lang] : undefined);

function scaleLabels(item: { labels?: LocalizedText[]; allowNA?: boolean }, lang: Lang): string[] {
  const labels = item.labels ? item.labels.map((l) => l[lang]) : [1, 2, 3, 4, 5].map((n) => translate(lang, `respond.agree.${n}`));
  return item.allowNA ? [...labels, translate(lang, 'respond.na')] : labels;
}

/** Printed question numbers and the display label of every stored answer value, per item (or matrix row). */
export function numbering(def: Definition, lang: Lang): Numbering {
  const numbers = new Map<string, string>();
  const labels = new Map<string, Map<string, string>>();
  let n = 0;
  for (const page of def.pages) {
    for (const item of page.items) {
      n++;
      numbers.set(item.id, String(n));
      if (item.type === 'single' || item.type === 'multiple') {
        const map = new Map(item.options.map((o) => [o.value, o.label[lang]]));
        if (item.other) map.set('other', translate(lang, 'respond.other'));
        labels.set(item.id, map);
      } else if (item.type === 'rating') {
        const map = new Map(ratingPoints(item).map((v, i) => [String(v), item.labels ? `${v} — ${item.labels[i]![lang]}` : String(v)]));
        map.set('na', translate(lang, 'respond.na'));
        labels.set(item.id, map);
      } else if (item.type === 'likert' || item.type === 'matrix') {
        const map = new Map(scaleLabels({ labels: item.labels }, lang).map((label, i) => [String(i + 1), label]));
        map.set('na', translate(lang, 'respond.na'));
        if (item.type === 'likert') labels.set(item.id, map);
        else item.rows.forEach((row, r) => {
          numbers.set(row.id, `${n}.${r + 1}`);
          labels.set(row.id, map);
        });
      }
    }
  }
  return { numbers, labels };
}

/** A showIf condition in words, referring to questions by their printed numbers. */
export function describeCondition(condition: Condition, lang: Lang, names: Numbering): string {
  if ('not' in condition) return translate(lang, 'instruments.print.cond.not', { inner: describeCondition(condition.not, lang, names) });
  if ('and' in condition) return condition.and.map((c) => describeCondition(c, lang, names)).join(translate(lang, 'instruments.print.cond.and'));
  if ('or' in condition) return condition.or.map((c) => describeCondition(c, lang, names)).join(translate(lang, 'instruments.print.cond.or'));
  const question = names.numbers.get(condition.item) ?? condition.item;
  const label = (v: string | number) => `“${names.labels.get(condition.item)?.get(String(v)) ?? String(v)}”`;
  if ('answered' in condition) return translate(lang, condition.answered ? 'instruments.print.cond.answered' : 'instruments.print.cond.notAnswered', { question });
  if ('gte' in condition) return translate(lang, 'instruments.print.cond.gte', { question, value: String(condition.gte) });
  if ('equals' in condition) return translate(lang, 'instruments.print.cond.equals', { question, value: label(condition.equals) });
  return translate(lang, 'instruments.print.cond.in', { question, values: condition.in.map(label).join(', ') });
}

function printItem(item: Item, lang: Lang, names: Numbering): PrintItem {
  const out: PrintItem = {
    number: names.numbers.get(item.id) ?? '',
    id: item.id,
    type: item.type,
    text: item.text[lang],
    help: pick(item.help, lang),
    required: Boolean(item.required),
    condition: item.showIf ? translate(lang, 'instruments.print.onlyIf', { condition: describeCondition(item.showIf, lang, names) }) : undefined,
  };
  switch (item.type) {
    case 'single':
    case 'multiple':
      out.options = item.options.map((o) => o.label[lang]);
      out.other = item.other ? translate(lang, 'respond.other') : undefined;
      // "Tick one box" is the sheet's general instruction; only the exceptions are repeated at the question.
      if (item.type === 'multiple') out.instruction = item.maxChoices ? translate(lang, 'instruments.print.tickUpTo', { n: item.maxChoices }) : translate(lang, 'instruments.print.tickAll');
      break;
    case 'likert':
      out.scale = scaleLabels(item, lang);
      break;
    case 'matrix':
      out.scale = scaleLabels(item, lang);
      out.rows = item.rows.map((row) => ({ number: names.numbers.get(row.id) ?? '', text: row.text[lang] }));
      out.instruction = translate(lang, 'instruments.print.tickOnePerRow');
      break;
    case 'nps':
      out.nps = {
        points: Array.from({ length: 11 }, (_, i) => i),
        low: pick(item.lowLabel, lang) ?? translate(lang, 'respond.nps.low'),
        high: pick(item.highLabel, lang) ?? translate(lang, 'respond.nps.high'),
        min: 0,
        max: 10,
      };
      break;
    case 'rating':
      out.nps = {
        points: ratingPoints(item).map((v, i) => (item.labels ? `${v} ${item.labels[i]![lang]}` : v)),
        low: pick(item.lowLabel, lang),
        high: pick(item.highLabel, lang),
        min: item.min,
        max: item.max,
        na: item.allowNA ? translate(lang, 'respond.na') : undefined,
      };
      break;
    case 'text':
      out.lines = Array.from({ length: item.long ? 5 : 1 }, (_, i) => i);
      break;
    case 'number':
      out.range = `${item.min}–${item.max}`;
      out.unit = pick(item.unit, lang);
      out.instruction = translate(lang, 'instruments.print.number', { min: item.min, max: item.max });
      break;
  }
  return out;
}

export function printPages(def: Definition, lang: Lang) {
  const names = numbering(def, lang);
  return def.pages.map((page, i) => ({
    number: i + 1,
    title: page.title[lang],
    intro: page.intro?.[lang],
    items: page.items.map((item) => printItem(item, lang, names)),
  }));
}

/** Empty texts shown as "…", so a question being written can be previewed before every language is in. */
function withBlanksFilled(value: unknown, depth = 0): unknown {
  // Deeper than any definition (a hostile body): left as it is, for the schema to refuse.
  if (depth > 40) return value;
  if (Array.isArray(value)) return value.map((v) => withBlanksFilled(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, (k === 'kk' || k === 'ru' || k === 'en') && v === '' ? '…' : withBlanksFilled(v, depth + 1)]);
  return Object.fromEntries(entries);
}

const textIn = (text: unknown, lang: Lang): string => (text && typeof text === 'object' && typeof (text as Record<string, unknown>)[lang] === 'string' ? ((text as Record<string, string>)[lang] || '…') : '…');

/**
 * The builder's live preview of a definition that may not be valid yet: each page and item as the
 * respondent will see it, an item that cannot be shown yet replaced by a line that says so.
 */
export function draftPreviewPages(definition: Record<string, unknown>, lang: Lang) {
  const pages = Array.isArray(definition.pages) ? (definition.pages as Record<string, unknown>[]).slice(0, 30) : [];
  return pages.map((page, i) => ({
    number: i + 1,
    title: textIn(page?.title, lang),
    intro: page?.intro ? textIn(page.intro, lang) : undefined,
    items: (Array.isArray(page?.items) ? (page.items as unknown[]).slice(0, 60) : []).map((raw) => {
      const parsed = safely(() => itemSchema.safeParse(withBlanksFilled(raw)));
      if (parsed?.success) return itemView(parsed.data, {}, [], lang);
      const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : '?';
      return { broken: translate(lang, 'instruments.builder.previewBroken', { id }) };
    }),
  }));
}

/** A parse of hostile input nested deeper than the stack allows is no item, not a server error. */
function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}
