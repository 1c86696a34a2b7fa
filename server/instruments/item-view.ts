// How an item looks to a respondent, in their language: texts, options with their checked state, errors
// next to each field, showIf rules for the browser. The respondent pages and the instrument preview
// render the same view, so a preview looks exactly as respondents will see it.
import type { Item, LocalizedText } from './schema.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { otherKey } from './items.js';

/** An answer being given: answer id → value (as stored, responses/answers.ts). */
type Answers = Record<string, number | string | string[]>;

/** A problem with one answer, shown next to its field (respond/answers.ts AnswerError). */
export interface FieldError {
  item: string;
  /** An interface catalogue key under respond.errors */
  code: string;
  params?: Record<string, number>;
}

const pick = (text: LocalizedText | undefined, lang: Lang) => (text ? text[lang] : undefined);

export interface ChoiceView {
  value: string;
  label: string;
  /** A rating point's own label, under its number. */
  caption?: string;
  /** Read by screen readers only: the end label of a rating's first or last point. */
  hint?: string;
  checked: boolean;
  id: string;
}

export interface ItemView {
  id: string;
  type: Item['type'];
  text: string;
  help?: string;
  required: boolean;
  error?: string;
  showIf?: string;
  choices?: ChoiceView[];
  rows?: { id: string; text: string; error?: string; choices: ChoiceView[] }[];
  other?: { name: string; value: string; label: string };
  value?: string;
  long?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  step?: string;
  unit?: string;
  lowLabel?: string;
  highLabel?: string;
  /** Rating: end labels are shown above the buttons. */
  ends?: boolean;
}

/** A rating's points, from min to max. */
export const ratingPoints = (item: { min: number; max: number }): number[] => Array.from({ length: item.max - item.min + 1 }, (_, i) => item.min + i);

function agreementLabels(item: { labels?: LocalizedText[] }, lang: Lang): string[] {
  return item.labels ? item.labels.map((l) => l[lang]) : [1, 2, 3, 4, 5].map((n) => translate(lang, `respond.agree.${n}`));
}

function errorText(errors: FieldError[], id: string, lang: Lang): string | undefined {
  const e = errors.find((x) => x.item === id);
  return e ? translate(lang, `respond.errors.${e.code}`, e.params ?? {}) : undefined;
}

function scaleChoices(fieldId: string, labels: string[], allowNA: boolean | undefined, value: unknown, lang: Lang): ChoiceView[] {
  const choices = labels.map((label, i) => ({ value: String(i + 1), label, checked: String(value) === String(i + 1), id: `f-${fieldId}-${i + 1}` }));
  if (allowNA) choices.push({ value: 'na', label: translate(lang, 'respond.na'), checked: value === 'na', id: `f-${fieldId}-na` });
  return choices;
}

export function itemView(item: Item, answers: Answers, errors: FieldError[], lang: Lang): ItemView {
  const value = answers[item.id];
  const view: ItemView = {
    id: item.id,
    type: item.type,
    text: item.text[lang],
    help: pick(item.help, lang),
    required: Boolean(item.required),
    error: errorText(errors, item.id, lang),
    showIf: item.showIf ? JSON.stringify(item.showIf) : undefined,
  };
  const other = (label: string) => ({ name: `q_${otherKey(item.id)}`, value: String(answers[otherKey(item.id)] ?? ''), label });
  switch (item.type) {
    case 'likert':
      view.choices = scaleChoices(item.id, agreementLabels(item, lang), item.allowNA, value, lang);
      break;
    case 'matrix': {
      const labels = agreementLabels(item, lang);
      view.rows = item.rows.map((row) => ({ id: row.id, text: row.text[lang], error: errorText(errors, row.id, lang), choices: scaleChoices(row.id, labels, item.allowNA, answers[row.id], lang) }));
      break;
    }
    case 'rating':
      // Numbers as buttons (like NPS), each point's label under its number when the item gives them.
      view.choices = ratingPoints(item).map((n, i) => ({ value: String(n), label: String(n), caption: pick(item.labels?.[i], lang), checked: String(value) === String(n), id: `f-${item.id}-${n}` }));
      view.lowLabel = pick(item.lowLabel, lang);
      view.highLabel = pick(item.highLabel, lang);
      // The end labels are shown above the buttons; a screen reader hears them with the end points.
      if (view.lowLabel && !view.choices[0]!.caption) view.choices[0]!.hint = view.lowLabel;
      if (view.highLabel && !view.choices.at(-1)!.caption) view.choices.at(-1)!.hint = view.highLabel;
      if (item.allowNA) view.choices.push({ value: 'na', label: translate(lang, 'respond.na'), checked: value === 'na', id: `f-${item.id}-na` });
      view.min = item.min;
      view.max = item.max;
      view.ends = Boolean(view.lowLabel || view.highLabel);
      break;
    case 'nps':
      view.choices = Array.from({ length: 11 }, (_, n) => ({ value: String(n), label: String(n), checked: value === n, id: `f-${item.id}-${n}` }));
      view.lowLabel = pick(item.lowLabel, lang) ?? translate(lang, 'respond.nps.low');
      view.highLabel = pick(item.highLabel, lang) ?? translate(lang, 'respond.nps.high');
      break;
    case 'single':
    case 'multiple': {
      const chosen = Array.isArray(value) ? value : value === undefined ? [] : [String(value)];
      view.choices = item.options.map((o) => ({ value: o.value, label: o.label[lang], checked: chosen.includes(o.value), id: `f-${item.id}-${o.value}` }));
      if (item.other) {
        view.choices.push({ value: 'other', label: translate(lang, 'respond.other'), checked: chosen.includes('other'), id: `f-${item.id}-other` });
        view.other = other(translate(lang, 'respond.otherSpecify'));
      }
      break;
    }
    case 'text':
      view.value = typeof value === 'string' ? value : '';
      view.long = Boolean(item.long);
      view.maxLength = item.maxLength ?? 5000;
      break;
    case 'number':
      view.value = typeof value === 'number' ? String(value) : '';
      view.min = item.min;
      view.max = item.max;
      view.step = item.integer ? '1' : 'any';
      view.unit = pick(item.unit, lang);
      break;
  }
  return view;
}
