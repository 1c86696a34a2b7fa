// The SurveyJS mapping: its pages, panels and question types onto our definition format, with a list of
// everything that could not be carried over, so a person can check it (expressions: surveyjs-expressions.ts).
import { AppError } from '../lib/errors.js';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import type { AUDIENCES, Condition, Item, LocalizedText } from './schema.js';
import { MAX_RATING_POINTS } from './schema.js';
import { isNotApplicable, scaleDirection } from './scale-direction.js';
import { parseVisibleIf, Unconvertible, type Known, type ScalePointValue } from './surveyjs-expressions.js';
import { guessLanguage, IdPool, LANGUAGE_ALIASES, readLocalized, stripHtml } from './surveyjs-text.js';
import { definitionWarnings } from './warnings.js';

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
  | 'locale'
  | 'language_guessed'
  | 'language_dropped'
  | 'choice_split'
  | 'values_renamed'
  | 'scale_reversed'
  | 'scale_direction'
  | 'values_recoded'
  | 'na_column'
  | 'placeholder_filled'
  | 'personal_data';

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
  /**
   * The direction of scales the import could not tell, by where they are ("pages[0].elements[3]"):
   * ascending when the first column is the most negative, descending when it is the most positive.
   */
  directions?: Record<string, 'ascending' | 'descending'>;
}

/** A scale whose direction the import could not tell: the person importing is asked (422 scale_direction_unclear). */
export interface UnclearScale {
  at: string;
  name: string;
  labels: string[];
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

  private readonly droppedLanguages = new Map<string, number>();
  private readonly unclear: UnclearScale[] = [];
  private directions: Record<string, 'ascending' | 'descending'> = {};

  constructor(private readonly survey: Json) {
    const locale = typeof survey.locale === 'string' && survey.locale ? survey.locale.toLowerCase() : '';
    if (locale) {
      this.main = LANGUAGE_ALIASES[locale] ?? 'en';
      if (!LANGUAGE_ALIASES[locale]) this.flag('locale', 'locale', 'survey', `The survey's main language "${locale}" is not kk, ru or en; its default texts were taken as English.`, locale);
      return;
    }
    // No locale: SurveyJS would take English, but what matters is what the texts are written in.
    const guess = guessLanguage(defaultTexts(survey));
    this.main = guess?.lang ?? 'en';
    if (guess) {
      const how = guess.lang === 'en' ? `${guess.total - guess.cyrillic} of ${guess.total} texts in Latin letters` : guess.lang === 'kk' ? `${guess.cyrillic} of ${guess.total} texts in Cyrillic, ${guess.kazakh} with letters only Kazakh has (ә, ғ, қ, ң, ө, ұ, ү, һ, і)` : `${guess.cyrillic} of ${guess.total} texts in Cyrillic, ${guess.kazakh === 0 ? 'none' : `only ${guess.kazakh}`} with Kazakh letters`;
      this.flag('language_guessed', 'locale', 'survey', `The survey gives no language; its texts were read as ${guess.lang} (${how}).`, how, { from: guess.lang });
    }
  }

  private flag(kind: UnmappedKind, at: string, name: string, message: string, detail?: string, extra: Partial<UnmappedEntry> = {}): void {
    this.unmapped.push({ at, name, kind, ...(detail === undefined ? {} : { detail }), ...extra, message });
  }

  run(options: SurveyJsOptions): SurveyJsConversion {
    const s = this.survey;
    this.directions = options.directions ?? {};
    for (const prop of DROPPED_SURVEY_PROPERTIES) {
      if (s[prop] !== undefined) this.flag('property_dropped', prop, 'survey', `The survey's "${prop}" was not carried over.`, prop);
    }
    const rawPages = Array.isArray(s.pages) ? s.pages : Array.isArray(s.elements) || Array.isArray(s.questions) ? [{ name: 'page1', elements: s.elements ?? s.questions }] : undefined;
    if (!rawPages || rawPages.length === 0) throw new AppError(400, 'invalid_surveyjs', 'The SurveyJS JSON has no pages (or elements) to import.');

    const title = this.text(s.title, 'title', 'title') ?? this.fallback(options.id, 'no_title', 'title', 'survey', 'The survey has no title; its id is used.');
    const description = this.text(s.description, 'description', 'description') ?? this.fallback(title, 'no_description', 'description', 'survey', 'The survey has no description; the title is used.');
    const pages: Json[] = [];
    rawPages.forEach((raw, p) => {
      const page = this.page(raw, `pages[${p}]`, p, rawPages.length);
      if (page) pages.push(page);
    });
    if (this.unclear.length) {
      const names = this.unclear.map((u) => `"${u.name}" (${u.at}: ${u.labels.join(' / ')})`).join(', ');
      throw new AppError(422, 'scale_direction_unclear', `The direction of these scales cannot be told from their labels or values: ${names}. Say for each which end is the most negative (directions: {"<where>": "ascending" when the first column is the most negative, "descending" when it is the most positive}).`, this.unclear);
    }
    if (!pages.length) {
      const left = [...new Set(this.unmapped.filter((u) => u.kind === 'unsupported_type').map((u) => u.detail))].join(', ');
      throw new AppError(422, 'nothing_to_import', `Nothing in this survey can be imported: no page has a question of a supported type${left ? ` (left out: ${left})` : ''}.`, this.unmapped);
    }
    for (const [lang, count] of this.droppedLanguages) {
      this.flag('language_dropped', 'survey', 'survey', `${count} texts in "${lang}" were left out: Pikir keeps kk, ru and en.`, lang);
    }
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
    // Personal data in an anonymous survey: name each such question (the e-mail fields SurveyJS marks, and
    // any free-answer question whose wording asks for it).
    const flagged = new Set(this.unmapped.filter((u) => u.kind === 'personal_data').map((u) => u.name));
    for (const w of definitionWarnings(definition)) {
      if (w.kind !== 'personal_data' || !w.owner || flagged.has(w.owner)) continue;
      this.flag('personal_data', w.path, w.owner, `Question "${w.owner}" asks for ${w.asks}; responses are anonymous and an answer would tell who the respondent is.`, w.asks);
    }
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
    for (const lang of read?.dropped ?? []) this.droppedLanguages.set(lang, (this.droppedLanguages.get(lang) ?? 0) + 1);
    return read?.text;
  }

  private page(raw: unknown, at: string, index: number, count: number): Json | undefined {
    if (!isObject(raw)) return undefined;
    const name = typeof raw.name === 'string' && raw.name ? raw.name : `page${index + 1}`;
    const pageCondition = this.condition(raw.visibleIf, `${at}.visibleIf`, name);
    const items: Item[] = [];
    asArray(raw.elements ?? raw.questions).forEach((el, e) => items.push(...this.element(el, `${at}.elements[${e}]`, pageCondition)));
    if (!items.length) {
      this.flag('empty_page', at, name, `Page "${name}" had no question that could be imported and was left out.`);
      return undefined;
    }
    // "Page {pageno} of {pagecount}": SurveyJS fills these in when it shows the page; a stored title cannot.
    const filled = (s: string) => s.trim().replace(/\{pageno\}/gi, String(index + 1)).replace(/\{pagecount\}/gi, String(count));
    const placeholders = (v: unknown) => /\{page(no|count)\}/i.test(JSON.stringify(v ?? ''));
    const titleSource = raw.title !== undefined ? 'title' : 'navigationTitle';
    if (placeholders(raw[titleSource])) this.flag('placeholder_filled', `${at}.${titleSource}`, name, `Page "${name}": {pageno} and {pagecount} in its title were replaced by ${index + 1} and ${count}.`);
    const title = this.text(raw.title, `${at}.title`, name, filled) ?? this.text(raw.navigationTitle, `${at}.navigationTitle`, name, filled) ?? this.pageNumberTitle(index);
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
      const step = Number(raw.step ?? 1);
      this.remember(name, { kind: 'number', id, integer: Number.isInteger(step) && Number.isInteger(min) });
      return [{ ...base, id, type: 'number', min, max, ...(Number.isInteger(step) && Number.isInteger(min) ? { integer: true } : {}) }];
    }
    if (inputType === 'number' || inputType === 'range') this.flag('number_as_text', at, name, `Question "${name}": a number field without min and max became a text field.`);
    else if (inputType !== 'text') this.flag('property_dropped', `${at}.inputType`, name, `Question "${name}": the input type "${inputType}" was not kept; it is a plain text field.`, `inputType: ${inputType}`);
    if (inputType === 'email' || inputType === 'tel') this.flag('personal_data', at, id, `Question "${name}" asks for ${inputType === 'email' ? 'an e-mail address' : 'a phone number'}; responses are anonymous and an answer would tell who the respondent is.`, inputType === 'email' ? 'email' : 'phone');
    this.remember(name, { kind: 'text', id });
    return [{ ...base, id, type: 'text', ...maxLength(raw) }];
  }

  private choice(type: 'single' | 'multiple', raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const id = this.itemIds.claim(name);
    const values = new Map<string, string>();
    const pool = new IdPool('v');
    pool.claim('other'); // reserved: the "other" answer uses it
    const split: string[] = [];
    const renamed: string[] = [];
    const options = asArray(raw.choices).map((choice, c) => {
      const { value, text, fromString } = itemValue(choice);
      if (fromString) split.push(String(value));
      const ours = pool.claim(isScalar(value) ? String(value) : '');
      if (String(value) !== ours) renamed.push(`${String(value)} → ${ours}`);
      values.set(String(value), ours);
      return { value: ours, label: this.text(text, `${at}.choices[${c}]`, `${name} › ${String(value)}`) ?? { kk: ours, ru: ours, en: ours } };
    });
    this.reportValues(at, name, split, renamed);
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

  /** Names what happened to a question's values: "value|text" read apart, values renamed to valid ids. */
  private reportValues(at: string, name: string, split: string[], renamed: string[]): void {
    if (split.length) this.flag('choice_split', at, name, `Question "${name}": ${split.length} choices written as "value|text" were read as a value and its label.`, String(split.length));
    if (renamed.length) this.flag('values_renamed', at, name, `Question "${name}": answer values were renamed to valid ids: ${renamed.slice(0, 8).join(', ')}${renamed.length > 8 ? ', …' : ''}.`, renamed.slice(0, 8).join(', '));
  }

  /** Every language's text of a SurveyJS string, for reading a scale's direction from its labels. */
  private texts(value: unknown): string[] {
    const read = readLocalized(value, this.main, (s) => s.trim());
    return read ? LANGUAGES.filter((l) => !read.missing.includes(l)).map((l) => read.text[l]) : [];
  }

  private rating(raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const explicit = asArray(raw.rateValues);
    let points: { value: number; source: string; text?: unknown }[];
    const split: string[] = [];
    if (explicit.length) {
      points = explicit.map((v) => {
        const { value, text, fromString } = itemValue(v);
        if (fromString) split.push(String(value));
        return { value: Number(value), source: String(value), ...(String(text) !== String(value) ? { text } : {}) };
      });
    } else {
      const step = Number(raw.rateStep ?? 1) || 1;
      const min = Number(raw.rateMin ?? 1);
      const max = raw.rateMax !== undefined ? Number(raw.rateMax) : raw.rateCount !== undefined ? min + (Number(raw.rateCount) - 1) * step : 5;
      points = [];
      for (let v = min; v <= max && points.length < 101; v += step) points.push({ value: v, source: String(v) });
    }
    this.reportValues(at, name, split, []);
    const id = this.itemIds.claim(name);
    // "mininumRateDescription" is the old spelling SurveyJS still reads (and "maximumRateDescription").
    const lowRaw = raw.minRateDescription ?? raw.mininumRateDescription;
    const highRaw = raw.maxRateDescription ?? raw.maximumRateDescription;
    const low = this.text(lowRaw, `${at}.minRateDescription`, name);
    const high = this.text(highRaw, `${at}.maxRateDescription`, name);
    const sorted = [...points].sort((a, b) => a.value - b.value);
    const numbers = sorted.map((p) => p.value);
    const contiguous = numbers.length >= 2 && numbers.length <= MAX_RATING_POINTS && numbers.every((v, i) => Number.isInteger(v) && (i === 0 || v === numbers[i - 1]! + 1)) && numbers[0]! >= -10 && numbers[0]! <= 10;
    if (!contiguous) return this.ratingAsSingle(points, at, name, id, base);
    if (points.some((p, i) => p !== sorted[i])) this.flag('scale_reversed', `${at}.rateValues`, name, `Question "${name}": its values were listed from high to low; they are kept as the same numbers, shown from low to high.`, 'order');

    // The labels may say the low number is the good end (a school mark, "1 — excellent"): then the
    // numbers are re-coded end for end, so that the highest stored value is always the most positive.
    const min = numbers[0]!;
    const max = numbers.at(-1)!;
    const ends = sorted.map((p, i) => [...this.texts(p.text), ...(i === 0 ? this.texts(lowRaw) : []), ...(i === sorted.length - 1 ? this.texts(highRaw) : [])]);
    const given = this.directions[at];
    const direction = given ? { order: given, conflict: given === 'descending', unlabelled: false } : scaleDirection(sorted.map((p, i) => ({ value: p.value, texts: ends[i]! })));
    if (direction.order === 'unclear') {
      this.unclear.push({ at, name, labels: sorted.map((p, i) => `${p.value}${ends[i]![0] ? ` ${ends[i]![0]}` : ''}`) });
      return [];
    }
    const recode = direction.order === 'descending';
    const stored = (v: number) => (recode ? min + max - v : v);
    if (recode) this.flag('values_recoded', at, name, `Question "${name}": its labels put the most positive answer at ${min}; answers are stored end for end (${min} as ${max}, ${max} as ${min}) so that the highest number is the most positive.`, `${min}–${max}`);
    this.remember(name, { kind: 'scale', id, points: sorted.map((p) => ({ source: p.source, number: p.value, stored: stored(p.value) })) });
    const inOrder = recode ? [...sorted].reverse() : sorted;
    const labels = inOrder.map((p, i) => (p.text === undefined ? undefined : this.text(p.text, `${at}.rateValues[${points.indexOf(p)}]`, `${name} › ${i}`)));
    const allLabels = labels.every(Boolean) ? (labels as LocalizedText[]) : undefined;
    if (!allLabels && labels.some(Boolean)) this.flag('labels_dropped', at, name, `Question "${name}": only some of its points had labels; they were dropped (the end descriptions are kept).`);
    const [lowLabel, highLabel] = recode ? [high, low] : [low, high];
    if (min === 0 && max === 10 && !allLabels && RECOMMEND.test(JSON.stringify(raw.title ?? ''))) {
      return [{ ...base, id, type: 'nps', ...(lowLabel ? { lowLabel } : {}), ...(highLabel ? { highLabel } : {}) }];
    }
    if (min === 1 && max === 5 && allLabels && !direction.unlabelled) {
      // Five labelled points reading from negative to positive: an agreement-type item with its own labels.
      return [{ ...base, id, type: 'likert', labels: allLabels }];
    }
    return [{ ...base, id, type: 'rating', min, max, ...(lowLabel ? { lowLabel } : {}), ...(highLabel ? { highLabel } : {}), ...(allLabels ? { labels: allLabels } : {}) }];
  }

  /** A rating on other numbers than a run of integers (0.5 steps, 0–100): one choice per value. */
  private ratingAsSingle(points: { value: number; source: string; text?: unknown }[], at: string, name: string, id: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const numbers = points.map((p) => p.value).filter(Number.isFinite);
    const range = numbers.length ? `${Math.min(...numbers)}–${Math.max(...numbers)}` : '(empty)';
    this.flag('rating_as_single', at, name, `Question "${name}": a rating ${range} became a single-choice question.`, range);
    const map = new Map<string, string>();
    const pool = new IdPool('v');
    const options = points.map((p, i) => {
      const value = pool.claim(`v${p.source.replace(/[^0-9]/g, '_')}`);
      map.set(p.source, value);
      return { value, label: (p.text === undefined ? undefined : this.text(p.text, `${at}.rateValues[${i}]`, name)) ?? sameEverywhere(p.source) };
    });
    this.remember(name, { kind: 'choice', id, values: map });
    return [{ ...base, id, type: 'single', options }];
  }

  private matrix(raw: Json, at: string, name: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>): Item[] {
    const split: string[] = [];
    const columns = asArray(raw.columns).map((col, c) => {
      const { value, text, fromString } = itemValue(col);
      if (fromString) split.push(String(value));
      return { value: String(value), raw: value, label: this.text(text, `${at}.columns[${c}]`, `${name} › ${String(value)}`), texts: this.texts(text) };
    });
    const rawRows = asArray(raw.rows).map((row) => {
      const { value, text } = itemValue(row);
      return { value: String(value), text };
    });
    this.reportValues(at, name, split, []);
    const required: { required?: true } = raw.isAllRowRequired === true || raw.isRequired === true ? { required: true } : {};
    const matrixId = this.itemIds.claim(name);
    // A "not applicable" / "don't know" column at either end is no point of the scale.
    const naAt = columns.length >= 3 ? (isNotApplicable(columns.at(-1)!.texts) ? columns.length - 1 : isNotApplicable(columns[0]!.texts) ? 0 : -1) : -1;
    const scale = columns.filter((_, i) => i !== naAt);
    if (scale.length >= 2 && scale.length <= 11 && rawRows.length >= 2) {
      const given = this.directions[at];
      const direction = given ? { order: given, by: 'you', conflict: false, unlabelled: false } : scaleDirection(scale.map((c) => ({ value: c.raw as string | number, texts: c.texts })));
      const numeric = scale.every((c) => /^-?\d+(\.\d+)?$/.test(c.value.trim()));
      if (direction.order === 'unclear' && !(direction.unlabelled && !numeric)) {
        this.unclear.push({ at, name, labels: scale.map((c) => c.label?.[this.main] ?? c.value) });
        return [];
      }
      if (direction.order !== 'unclear') return this.scaleMatrix(raw, at, name, base, matrixId, rawRows, scale, direction as { order: 'ascending' | 'descending'; by: string; conflict: boolean }, naAt >= 0 ? columns[naAt]! : undefined, required);
    }
    // Not a scale (its columns say nothing about a direction), or too few or too many columns: one
    // single-choice question per row, with the columns as its options.
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

  /** A matrix whose columns are a scale: stored 1…N from its most negative column to its most positive. */
  private scaleMatrix(
    _raw: Json,
    at: string,
    name: string,
    base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>,
    matrixId: string,
    rawRows: { value: string; text: unknown }[],
    scale: { value: string; raw: unknown; label?: LocalizedText }[],
    direction: { order: 'ascending' | 'descending'; by: string; conflict: boolean },
    na: { value: string; label?: LocalizedText } | undefined,
    required: { required?: true },
  ): Item[] {
    const ordered = direction.order === 'descending' ? [...scale].reverse() : scale;
    const points: ScalePointValue[] = ordered.map((c, i) => ({ source: c.value, ...(/^-?\d+(\.\d+)?$/.test(c.value.trim()) ? { number: Number(c.value) } : {}), stored: i + 1 }));
    if (na) points.push({ source: na.value, stored: 'na' });
    const label = (c: { value: string; label?: LocalizedText }) => c.label?.[this.main] ?? c.value;
    const n = ordered.length;
    if (direction.order === 'descending') {
      this.flag('scale_reversed', at, name, `Question "${name}": its columns run from the most positive ("${label(scale[0]!)}") to the most negative (told by the ${direction.by}); answers are stored so that "${label(scale[0]!)}" is ${n} and "${label(scale.at(-1)!)}" is 1.`, direction.by);
    } else if (direction.by === 'values') {
      this.flag('scale_direction', at, name, `Question "${name}": its labels do not say which end is positive; the values were read as higher = more positive ("${label(scale.at(-1)!)}" is ${n}).`, direction.by);
    }
    if (direction.conflict) this.flag('values_recoded', at, name, `Question "${name}": its values run against its labels; the labels were followed, so "${label(ordered.at(-1)!)}" (value ${ordered.at(-1)!.value}) is stored as ${n}.`, `${ordered.at(-1)!.value} → ${n}`);
    if (na) this.flag('na_column', at, name, `Question "${name}": the column "${label(na)}" became the "not applicable" answer, outside the scale.`, label(na));
    const rowIds = new Map<string, string>();
    const rows = rawRows.map((row, r) => {
      const id = this.itemIds.claim(`${matrixId}_${row.value}`);
      rowIds.set(row.value.toLowerCase(), id);
      return { id, text: this.text(row.text, `${at}.rows[${r}]`, `${name} › ${row.value}`) ?? sameEverywhere(row.value) };
    });
    this.remember(name, { kind: 'matrix', rows: rowIds, points });
    const labels = ordered.map((c) => c.label ?? sameEverywhere(c.value));
    return [{ ...base, ...required, id: matrixId, type: 'matrix', rows, labels, ...(na ? { allowNA: true } : {}) }];
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
      if (parent?.kind === 'matrix' && parent.rows.has(row)) return { kind: 'scale', id: parent.rows.get(row)!, points: parent.points };
      if (parent?.kind === 'rows' && parent.rows.has(row)) return parent.rows.get(row)!;
    }
    throw new Unconvertible(`{${ref}} is not an earlier question that was imported`);
  }
}

const both = (a: Condition | undefined, b: Condition | undefined): Condition | undefined => (a && b ? { and: [a, b] } : (a ?? b));
/** A SurveyJS item value: {value, text}, a plain value, or "value|text" (which SurveyJS reads apart). */
function itemValue(raw: unknown): { value: unknown; text: unknown; fromString: boolean } {
  if (isObject(raw)) return { value: raw.value, text: raw.text ?? raw.value, fromString: false };
  if (typeof raw === 'string' && raw.includes('|')) {
    const bar = raw.indexOf('|');
    return { value: raw.slice(0, bar).trim(), text: raw.slice(bar + 1).trim(), fromString: true };
  }
  return { value: raw, text: raw, fromString: false };
}

/** Every plain (or "default") string of a survey, for guessing the language of a file that gives none. */
function defaultTexts(survey: Json): string[] {
  const out: string[] = [];
  const TEXT_KEYS = new Set(['title', 'description', 'text', 'completedHtml', 'minRateDescription', 'maxRateDescription', 'labelTrue', 'labelFalse', 'otherText', 'noneText']);
  const walk = (value: unknown, key: string | undefined) => {
    if (out.length > 2000) return;
    if (typeof value === 'string') {
      if (key && TEXT_KEYS.has(key)) out.push(stripHtml(value));
      else if (key === 'choices' || key === 'columns' || key === 'rows' || key === 'rateValues') out.push(itemValue(value).text as string);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (isObject(value)) {
      if (key && TEXT_KEYS.has(key) && typeof value.default === 'string') out.push(stripHtml(value.default));
      else for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  walk(survey, undefined);
  return out;
}

/** A 0–10 rating is an NPS question when it asks about recommending (in any of the three languages). */
const RECOMMEND = /recommend|рекоменд|ұсын/i;
const sameEverywhere = (s: string): LocalizedText => ({ kk: s, ru: s, en: s });
const maxLength = (raw: Json) => (Number.isInteger(raw.maxLength) && (raw.maxLength as number) > 0 ? { maxLength: Math.min(5000, raw.maxLength as number) } : {});
