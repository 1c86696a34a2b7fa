// The SurveyJS mapping: its pages, panels and question types onto our definition format, with a list of
// everything that could not be carried over, so a person can check it (expressions: surveyjs-expressions.ts).
import { AppError } from '../lib/errors.js';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import type { AUDIENCES, Condition, Item, LocalizedText } from './schema.js';
import { parseVisibleIf, Unconvertible, type Known } from './surveyjs-expressions.js';
import { IdPool, readLocalized, stripHtml } from './surveyjs-text.js';

export type UnmappedKind =
  | 'unsupported_type'
  | 'expression'
  | 'property_dropped'
  | 'translation_filled'
  | 'no_title'
  | 'no_description'
  | 'empty_page'
  | 'panel_flattened'
  | 'matrix_split'
  | 'number_as_text'
  | 'rating_as_single'
  | 'labels_dropped'
  | 'html_removed'
  | 'locale';

/** One thing the import could not carry over as it was; `message` is English, the pages translate `kind`. */
export interface UnmappedEntry {
  /** Where in the SurveyJS JSON, e.g. "pages[0].elements[3]". */
  at: string;
  /** The question, page or property concerned. */
  name: string;
  kind: UnmappedKind;
  /** The type, expression, property or column count, depending on the kind. */
  detail?: string;
  /** translation_filled: the languages that were missing and the one they were filled from. */
  langs?: Lang[];
  from?: Lang;
  message: string;
}

export interface SurveyJsOptions {
  id: string;
  audience: (typeof AUDIENCES)[number];
  estimatedMinutes?: number;
}

export interface SurveyJsConversion {
  /** A candidate definition; the service validates it (ids, limits) when the draft is created. */
  definition: Record<string, unknown>;
  unmapped: UnmappedEntry[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const YES: LocalizedText = { kk: 'Иә', ru: 'Да', en: 'Yes' };
const NO: LocalizedText = { kk: 'Жоқ', ru: 'Нет', en: 'No' };
const NONE: LocalizedText = { kk: 'Ешқайсысы', ru: 'Ничего из перечисленного', en: 'None of these' };

/** Properties with a meaning we cannot express: they are named in the report rather than silently lost. */
const DROPPED_PROPERTIES = ['enableIf', 'requiredIf', 'validators', 'defaultValue', 'correctAnswer', 'choicesVisibleIf', 'choicesEnableIf', 'choicesByUrl', 'choicesFromQuestion'];
const SUPPORTED_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'boolean', 'rating', 'matrix', 'comment', 'text']);
const DROPPED_SURVEY_PROPERTIES = ['triggers', 'calculatedValues', 'completedHtmlOnCondition', 'navigateToUrl'];

export function convertSurveyJs(json: unknown, options: SurveyJsOptions): SurveyJsConversion {
  if (!isObject(json)) throw new AppError(400, 'invalid_surveyjs', 'The SurveyJS JSON must be an object with "pages" (or "elements").');
  const converter = new Converter(json);
  return converter.run(options);
}

class Converter {
  readonly unmapped: UnmappedEntry[] = [];
  private readonly main: Lang;
  private readonly itemIds = new IdPool('q');
  private readonly pageIds = new IdPool('p');
  private readonly known = new Map<string, Known>();

  constructor(private readonly survey: Json) {
    const locale = typeof survey.locale === 'string' && survey.locale ? survey.locale.toLowerCase() : 'en';
    this.main = (LANGUAGES as readonly string[]).includes(locale) ? (locale as Lang) : 'en';
    if (this.main !== locale) this.flag('locale', 'locale', 'survey', `The survey's main language "${locale}" is not kk, ru or en; its default texts were taken as English.`, locale);
  }

  private flag(kind: UnmappedKind, at: string, name: string, message: string, detail?: string, extra: Partial<UnmappedEntry> = {}): void {
    this.unmapped.push({ at, name, kind, ...(detail === undefined ? {} : { detail }), ...extra, message });
  }

  run(options: SurveyJsOptions): SurveyJsConversion {
    const s = this.survey;
    for (const prop of DROPPED_SURVEY_PROPERTIES) {
      if (s[prop] !== undefined) this.flag('property_dropped', prop, 'survey', `The survey's "${prop}" was not carried over.`, prop);
    }
    const rawPages = Array.isArray(s.pages) ? s.pages : Array.isArray(s.elements) || Array.isArray(s.questions) ? [{ name: 'page1', elements: s.elements ?? s.questions }] : undefined;
    if (!rawPages || rawPages.length === 0) throw new AppError(400, 'invalid_surveyjs', 'The SurveyJS JSON has no pages (or elements) to import.');

    const title = this.text(s.title, 'title', 'title') ?? this.fallback(options.id, 'no_title', 'title', 'survey', 'The survey has no title; its id is used.');
    const description = this.text(s.description, 'description', 'description') ?? this.fallback(title, 'no_description', 'description', 'survey', 'The survey has no description; the title is used.');
    const pages: Json[] = [];
    rawPages.forEach((raw, p) => {
      const page = this.page(raw, `pages[${p}]`, p);
      if (page) pages.push(page);
    });
    let afterword: LocalizedText | undefined;
    if (s.completedHtml !== undefined) {
      afterword = this.text(s.completedHtml, 'completedHtml', 'completedHtml', stripHtml);
      if (afterword) this.flag('html_removed', 'completedHtml', 'completedHtml', 'The thank-you text (completedHtml) became the afterword; HTML tags were removed.');
    }
    const itemCount = pages.reduce((n, p) => n + (p.items as unknown[]).length, 0);
    const definition: Json = {
      id: options.id,
      version: 1,
      title,
      description,
      audience: options.audience,
      estimatedMinutes: options.estimatedMinutes ?? Math.min(120, Math.max(1, Math.round(itemCount * 0.4))),
      ...(afterword ? { afterword } : {}),
      scales: [],
      pages,
    };
    return { definition, unmapped: this.unmapped };
  }

  private fallback(text: string | LocalizedText, kind: UnmappedKind, at: string, name: string, message: string): LocalizedText {
    this.flag(kind, at, name, message);
    return typeof text === 'string' ? { kk: text, ru: text, en: text } : text;
  }

  /** A SurveyJS string (plain, or {"default", "en", "ru", "kk", …}) as {kk, ru, en}; gaps filled and flagged. */
  text(value: unknown, at: string, name: string, clean: (s: string) => string = (s) => s.trim()): LocalizedText | undefined {
    const read = readLocalized(value, this.main, clean);
    if (read?.from) this.flag('translation_filled', at, name, `"${name}": no ${read.missing.join(', ')} text; filled from ${read.from}.`, undefined, { langs: read.missing, from: read.from });
    return read?.text;
  }

  private page(raw: unknown, at: string, index: number): Json | undefined {
    if (!isObject(raw)) return undefined;
    const name = typeof raw.name === 'string' && raw.name ? raw.name : `page${index + 1}`;
    const pageCondition = this.condition(raw.visibleIf, `${at}.visibleIf`, name);
    const items: Item[] = [];
    asArray(raw.elements ?? raw.questions).forEach((el, e) => items.push(...this.element(el, `${at}.elements[${e}]`, pageCondition)));
    if (!items.length) {
      this.flag('empty_page', at, name, `Page "${name}" had no question that could be imported and was left out.`);
      return undefined;
    }
    const title = this.text(raw.title, `${at}.title`, name) ?? this.text(raw.navigationTitle, `${at}.navigationTitle`, name) ?? this.pageNumberTitle(index);
    const intro = this.text(raw.description, `${at}.description`, name);
    return { id: this.pageIds.claim(name), title, ...(intro ? { intro } : {}), items };
  }

  private pageNumberTitle(index: number): LocalizedText {
    return { kk: `${index + 1}-бөлім`, ru: `Раздел ${index + 1}`, en: `Part ${index + 1}` };
  }

  /** One SurveyJS element: a question (→ zero, one or several items) or a panel (flattened). */
  private element(raw: unknown, at: string, inherited: Condition | undefined): Item[] {
    if (!isObject(raw)) return [];
    const type = typeof raw.type === 'string' ? raw.type : '';
    const name = typeof raw.name === 'string' && raw.name ? raw.name : at;
    if (type === 'panel') {
      if (raw.title !== undefined) this.flag('panel_flattened', at, name, `Panel "${name}": its questions were placed on the page; the panel title was dropped.`);
      const own = this.condition(raw.visibleIf, `${at}.visibleIf`, name);
      const condition = both(inherited, own);
      return asArray(raw.elements ?? raw.questions).flatMap((el, e) => this.element(el, `${at}.elements[${e}]`, condition));
    }
    if (!SUPPORTED_TYPES.has(type)) {
      this.flag('unsupported_type', at, name, `Question "${name}": the type "${type || '(none)'}" is not supported and was left out.`, type || '(none)');
      return [];
    }
    for (const prop of DROPPED_PROPERTIES) {
      if (raw[prop] !== undefined) this.flag('property_dropped', `${at}.${prop}`, name, `Question "${name}": "${prop}" was not carried over.`, prop);
    }
    const own = this.condition(raw.visibleIf, `${at}.visibleIf`, name);
    const showIf = both(inherited, own);
    const text = this.text(raw.title, `${at}.title`, name) ?? this.fallback(name, 'no_title', `${at}.title`, name, `Question "${name}" has no text; its name is used.`);
    const help = this.text(raw.description, `${at}.description`, name);
    const base = { text, ...(help ? { help } : {}), ...(raw.isRequired === true ? { required: true } : {}), ...(showIf ? { showIf } : {}) };
    return this.question(type, raw, at, name, base);
  }

  private question(type: string, raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    switch (type) {
      case 'radiogroup':
      case 'dropdown':
        return this.choice('single', raw, at, name, base);
      case 'checkbox':
      case 'tagbox':
        return this.choice('multiple', raw, at, name, base);
      case 'boolean': {
        const id = this.itemIds.claim(name);
        const values = new Map<string, string>([['true', 'yes'], ['false', 'no']]);
        if (isScalar(raw.valueTrue)) values.set(String(raw.valueTrue), 'yes');
        if (isScalar(raw.valueFalse)) values.set(String(raw.valueFalse), 'no');
        this.remember(name, { kind: 'choice', id, values });
        const yes = this.text(raw.labelTrue, `${at}.labelTrue`, name) ?? YES;
        const no = this.text(raw.labelFalse, `${at}.labelFalse`, name) ?? NO;
        return [{ ...base, id, type: 'single', options: [{ value: 'yes', label: yes }, { value: 'no', label: no }] }];
      }
      case 'rating':
        return this.rating(raw, at, name, base);
      case 'matrix':
        return this.matrix(raw, at, name, base);
      case 'comment': {
        const id = this.itemIds.claim(name);
        this.remember(name, { kind: 'text', id });
        return [{ ...base, id, type: 'text', long: true, ...maxLength(raw) }];
      }
      default:
        return this.textQuestion(raw, at, name, base);
    }
  }

  private textQuestion(raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const id = this.itemIds.claim(name);
    const inputType = typeof raw.inputType === 'string' ? raw.inputType : 'text';
    const min = Number(raw.min);
    const max = Number(raw.max);
    if ((inputType === 'number' || inputType === 'range') && raw.min !== undefined && raw.max !== undefined && Number.isFinite(min) && Number.isFinite(max) && min < max) {
      this.remember(name, { kind: 'number', id });
      const step = Number(raw.step ?? 1);
      return [{ ...base, id, type: 'number', min, max, ...(Number.isInteger(step) && Number.isInteger(min) ? { integer: true } : {}) }];
    }
    if (inputType === 'number' || inputType === 'range') this.flag('number_as_text', at, name, `Question "${name}": a number field without min and max became a text field.`);
    else if (inputType !== 'text') this.flag('property_dropped', `${at}.inputType`, name, `Question "${name}": the input type "${inputType}" was not kept; it is a plain text field.`, `inputType: ${inputType}`);
    this.remember(name, { kind: 'text', id });
    return [{ ...base, id, type: 'text', ...maxLength(raw) }];
  }

  private choice(type: 'single' | 'multiple', raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const id = this.itemIds.claim(name);
    const values = new Map<string, string>();
    const pool = new IdPool('v');
    pool.claim('other'); // reserved: the "other" answer uses it
    const options = asArray(raw.choices).map((choice, c) => {
      const value = isObject(choice) ? choice.value : choice;
      const label = isObject(choice) ? (choice.text ?? value) : choice;
      const ours = pool.claim(isScalar(value) ? String(value) : '');
      values.set(String(value), ours);
      return { value: ours, label: this.text(label, `${at}.choices[${c}]`, `${name} › ${String(value)}`) ?? { kk: ours, ru: ours, en: ours } };
    });
    if (raw.hasNone === true || raw.showNoneItem === true) {
      const value = pool.claim('none');
      values.set('none', value);
      options.push({ value, label: this.text(raw.noneText, `${at}.noneText`, name) ?? NONE });
    }
    const other = raw.hasOther === true || raw.showOtherItem === true;
    if (other) values.set('other', 'other');
    this.remember(name, { kind: 'choice', id, values });
    const maxChoices = type === 'multiple' && Number.isInteger(raw.maxSelectedChoices) && (raw.maxSelectedChoices as number) > 0 ? { maxChoices: raw.maxSelectedChoices as number } : {};
    return [{ ...base, id, type, options, ...(other ? { other: true } : {}), ...maxChoices } as Item];
  }

  private rating(raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const explicit = asArray(raw.rateValues);
    let values: { value: number; label?: unknown }[];
    if (explicit.length) {
      values = explicit.map((v) => (isObject(v) ? { value: Number(v.value), label: v.text } : { value: Number(v) }));
    } else {
      const step = Number(raw.rateStep ?? 1) || 1;
      const min = Number(raw.rateMin ?? 1);
      const max = raw.rateMax !== undefined ? Number(raw.rateMax) : raw.rateCount !== undefined ? min + (Number(raw.rateCount) - 1) * step : 5;
      values = [];
      for (let v = min; v <= max && values.length < 101; v += step) values.push({ value: v });
    }
    const numbers = values.map((v) => v.value);
    const id = this.itemIds.claim(name);
    const low = this.text(raw.minRateDescription, `${at}.minRateDescription`, name);
    const high = this.text(raw.maxRateDescription, `${at}.maxRateDescription`, name);
    if (sameList(numbers, [1, 2, 3, 4, 5])) {
      this.remember(name, { kind: 'scale', id, values: numbers });
      const labels = values.map((v, i) => (v.label === undefined ? undefined : this.text(v.label, `${at}.rateValues[${i}]`, name)));
      const allLabels = labels.every(Boolean) ? { labels: labels as LocalizedText[] } : {};
      if (!labels.every(Boolean) && (low || high)) {
        this.flag('labels_dropped', at, name, `Question "${name}": the end labels of the 1–5 rating were dropped; the standard agreement labels are used.`);
      }
      return [{ ...base, id, type: 'likert', ...allLabels }];
    }
    if (sameList(numbers, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])) {
      this.remember(name, { kind: 'scale', id, values: numbers });
      return [{ ...base, id, type: 'nps', ...(low ? { lowLabel: low } : {}), ...(high ? { highLabel: high } : {}) }];
    }
    const range = numbers.length ? `${Math.min(...numbers)}–${Math.max(...numbers)}` : '(empty)';
    this.flag('rating_as_single', at, name, `Question "${name}": a rating ${range} became a single-choice question.`, range);
    const map = new Map<string, string>();
    const options = values.map((v, i) => {
      const value = `v${String(v.value).replace(/[^0-9]/g, '_')}`;
      map.set(String(v.value), value);
      return { value, label: (v.label === undefined ? undefined : this.text(v.label, `${at}.rateValues[${i}]`, name)) ?? sameEverywhere(String(v.value)) };
    });
    this.remember(name, { kind: 'choice', id, values: map });
    return [{ ...base, id, type: 'single', options }];
  }

  private matrix(raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const columns = asArray(raw.columns).map((col, c) => ({
      value: String(isObject(col) ? col.value : col),
      label: this.text(isObject(col) ? (col.text ?? col.value) : col, `${at}.columns[${c}]`, `${name} › ${isObject(col) ? String(col.value) : String(col)}`),
    }));
    const rawRows = asArray(raw.rows).map((row) => ({ value: String(isObject(row) ? row.value : row), text: isObject(row) ? (row.text ?? row.value) : row }));
    const required = raw.isAllRowRequired === true || raw.isRequired === true ? { required: true } : {};
    const matrixId = this.itemIds.claim(name);
    if (columns.length === 5 && rawRows.length >= 2) {
      const rowIds = new Map<string, string>();
      const rows = rawRows.map((row, r) => {
        const id = this.itemIds.claim(`${matrixId}_${row.value}`);
        rowIds.set(row.value.toLowerCase(), id);
        return { id, text: this.text(row.text, `${at}.rows[${r}]`, `${name} › ${row.value}`) ?? sameEverywhere(row.value) };
      });
      this.remember(name, { kind: 'matrix', rows: rowIds, columns: new Map(columns.map((c, i) => [c.value, i + 1])) });
      const labels = columns.every((c) => c.label) ? { labels: columns.map((c) => c.label!) } : {};
      return [{ ...base, ...required, id: matrixId, type: 'matrix', rows, ...labels }];
    }
    // Not five columns: one single-choice question per row, with the columns as its options.
    this.flag('matrix_split', at, name, `Question "${name}": a matrix with ${columns.length} columns became one single-choice question per row.`, String(columns.length));
    const known = new Map<string, Known>();
    const items = rawRows.map((row, r): Item => {
      const id = this.itemIds.claim(`${matrixId}_${row.value}`);
      const pool = new IdPool('v');
      const values = new Map<string, string>();
      const options = columns.map((c) => {
        const value = pool.claim(c.value);
        values.set(c.value, value);
        return { value, label: c.label ?? sameEverywhere(c.value) };
      });
      known.set(row.value.toLowerCase(), { kind: 'choice', id, values });
      const rowText = this.text(row.text, `${at}.rows[${r}]`, `${name} › ${row.value}`) ?? sameEverywhere(row.value);
      const text = LANGUAGES.reduce((t, l) => ({ ...t, [l]: `${base.text[l]} — ${rowText[l]}` }), {} as LocalizedText);
      return { ...base, ...required, text, id, type: 'single', options };
    });
    this.remember(name, { kind: 'rows', rows: known });
    return items;
  }

  private remember(name: string, known: Known): void {
    this.known.set(name.toLowerCase(), known);
  }

  /** visibleIf → showIf; an expression we cannot express is reported and the item is shown always. */
  private condition(expression: unknown, at: string, name: string): Condition | undefined {
    if (expression === undefined || expression === null || expression === '') return undefined;
    try {
      if (typeof expression !== 'string') throw new Unconvertible('not a string');
      return parseVisibleIf(expression, (ref) => this.resolve(ref));
    } catch (err) {
      if (!(err instanceof Unconvertible)) throw err;
      this.flag('expression', at, name, `"${name}": the condition ${JSON.stringify(expression)} could not be converted (${err.message}); it is shown always.`, typeof expression === 'string' ? expression : (JSON.stringify(expression) ?? ''));
      return undefined;
    }
  }

  private resolve(ref: string): Known {
    const key = ref.trim().toLowerCase();
    const direct = this.known.get(key);
    if (direct) return direct;
    const dot = key.indexOf('.');
    if (dot > 0) {
      const parent = this.known.get(key.slice(0, dot));
      const row = key.slice(dot + 1);
      if (parent?.kind === 'matrix' && parent.rows.has(row)) return { kind: 'scale', id: parent.rows.get(row)!, values: [...parent.columns.values()], columns: parent.columns };
      if (parent?.kind === 'rows' && parent.rows.has(row)) return parent.rows.get(row)!;
    }
    throw new Unconvertible(`{${ref}} is not an earlier question that was imported`);
  }
}

const both = (a: Condition | undefined, b: Condition | undefined): Condition | undefined => (a && b ? { and: [a, b] } : (a ?? b));
const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const sameEverywhere = (s: string): LocalizedText => ({ kk: s, ru: s, en: s });
const maxLength = (raw: Json) => (Number.isInteger(raw.maxLength) && (raw.maxLength as number) > 0 ? { maxLength: Math.min(5000, raw.maxLength as number) } : {});
