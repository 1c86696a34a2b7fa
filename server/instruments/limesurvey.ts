// The LimeSurvey mapping: a survey structure file (.lss, XML; LimeSurvey 3.x with texts in each row, 4.x–6.x
// with texts in *_l10ns tables) onto our definition format — its languages (kk, ru, en), groups as pages,
// arrays as matrices (their direction read like SurveyJS scales), lists, multiple choice, numerical and text
// questions, relevance equations as skip logic — with the same report of what changed or was left out.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../lib/errors.js';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import { parseRelevance } from './limesurvey-expressions.js';
import { isNotApplicable, scaleDirection } from './scale-direction.js';
import type { Condition, Item, LocalizedText } from './schema.js';
import { Unconvertible, type Known, type ScalePointValue } from './surveyjs-expressions.js';
import { IdPool, LANGUAGE_ALIASES, readLocalized, stripHtml } from './surveyjs-text.js';
import type { SurveyJsConversion, SurveyJsOptions, UnclearScale, UnmappedEntry, UnmappedKind } from './surveyjs.js';
import { definitionWarnings } from './warnings.js';

type Row = Record<string, string>;

/** Question types by LimeSurvey's one-letter codes, as far as we carry them over. */
const TYPE_NAMES: Record<string, string> = {
  L: 'list (radio)', '!': 'list (dropdown)', O: 'list with comment', M: 'multiple choice', P: 'multiple choice with comments', F: 'array',
  A: 'array (5 point choice)', B: 'array (10 point choice)', '5': '5 point choice', N: 'numerical input', S: 'short free text', T: 'long free text',
  U: 'huge free text', Y: 'yes/no', G: 'gender', X: 'text display', D: 'date', C: 'array (yes/no/uncertain)', E: 'array (increase/same/decrease)',
  H: 'array by column', ':': 'array (numbers)', ';': 'array (texts)', '1': 'array dual scale', K: 'multiple numerical input', Q: 'multiple short text',
  R: 'ranking', '|': 'file upload', '*': 'equation', I: 'language switch',
};

const YES: LocalizedText = { kk: 'Иә', ru: 'Да', en: 'Yes' };
const NO: LocalizedText = { kk: 'Жоқ', ru: 'Нет', en: 'No' };
const FEMALE: LocalizedText = { kk: 'Әйел', ru: 'Женский', en: 'Female' };
const MALE: LocalizedText = { kk: 'Ер', ru: 'Мужской', en: 'Male' };

/** Reads the XML into its tables; refuses anything that is not a LimeSurvey survey structure (400). */
export function readLss(xml: string): { tables: Map<string, Row[]>; languages: string[]; dbVersion: number } {
  // A survey structure has no DTD; one with entity declarations is refused rather than expanded.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new AppError(400, 'invalid_limesurvey', 'The file declares a DOCTYPE or entities; a LimeSurvey survey structure (.lss) has neither.');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new AppError(400, 'invalid_limesurvey', `The file is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}).`);
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false, isArray: (name, jpath) => name === 'row' || jpath === 'document.languages.language' });
  const doc = (parser.parse(xml) as { document?: Record<string, unknown> }).document;
  if (!doc || typeof doc !== 'object' || (typeof doc.LimeSurveyDocType === 'string' ? doc.LimeSurveyDocType.trim() : '') !== 'Survey') {
    throw new AppError(400, 'invalid_limesurvey', 'This is not a LimeSurvey survey structure: its <document> has no <LimeSurveyDocType>Survey</LimeSurveyDocType>.');
  }
  const tables = new Map<string, Row[]>();
  for (const [name, value] of Object.entries(doc)) {
    const rows = (value as { rows?: { row?: unknown[] } } | undefined)?.rows?.row;
    if (!Array.isArray(rows)) continue;
    tables.set(
      name,
      rows.map((r) =>
        Object.fromEntries(
          Object.entries(r && typeof r === 'object' ? (r as Record<string, unknown>) : {})
            .filter(([k]) => !k.startsWith('#'))
            .map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '']),
        ),
      ),
    );
  }
  const languages = ((doc.languages as { language?: unknown[] } | undefined)?.language ?? []).map((l) => String(l).trim()).filter(Boolean);
  return { tables, languages, dbVersion: Number(doc.DBVersion) || 0 };
}

export function convertLimeSurvey(xml: string, options: SurveyJsOptions): SurveyJsConversion {
  return new LssConverter(readLss(xml), options).run();
}

interface Question {
  qid: string;
  gid: string;
  type: string;
  code: string;
  order: number;
  mandatory: boolean;
  other: boolean;
  relevance: string;
  texts: Record<string, string>;
  help: Record<string, string>;
  /** The question a subquestion belongs to ("0" for a question). */
  parent: string;
  /** Dual-scale arrays have two answer scales; we read scale 0. */
  scale: string;
}

class LssConverter {
  readonly unmapped: UnmappedEntry[] = [];
  private readonly main: Lang;
  private readonly itemIds = new IdPool('q');
  private readonly pageIds = new IdPool('p');
  private readonly known = new Map<string, Known>();
  private readonly unclear: UnclearScale[] = [];
  private readonly dropped = new Map<string, number>();
  private readonly t: Map<string, Row[]>;

  constructor(
    private readonly lss: ReturnType<typeof readLss>,
    private readonly options: SurveyJsOptions,
  ) {
    this.t = lss.tables;
    const survey = this.rows('surveys')[0] ?? {};
    const base = (survey.language ?? lss.languages[0] ?? 'en').toLowerCase();
    this.main = LANGUAGE_ALIASES[base] ?? 'en';
    if (!LANGUAGE_ALIASES[base]) this.flag('locale', 'survey', 'survey', `The survey's base language "${base}" is not kk, ru or en; its texts were taken as English.`, base);
  }

  private rows(table: string): Row[] {
    return this.t.get(table) ?? [];
  }

  private flag(kind: UnmappedKind, at: string, name: string, message: string, detail?: string, extra: Partial<UnmappedEntry> = {}): void {
    this.unmapped.push({ at, name, kind, ...(detail === undefined ? {} : { detail }), ...extra, message });
  }

  /** Texts by LimeSurvey language code → {kk, ru, en}, missing ones filled (and reported), others dropped. */
  private text(byLang: Record<string, string>, at: string, name: string, clean = stripHtml): LocalizedText | undefined {
    const read = readLocalized(byLang, this.main, clean);
    if (read?.from) this.flag('translation_filled', at, name, `"${name}": no ${read.missing.join(', ')} text; filled from ${read.from}.`, undefined, { langs: read.missing, from: read.from });
    for (const lang of read?.dropped ?? []) this.dropped.set(lang, (this.dropped.get(lang) ?? 0) + 1);
    return read?.text;
  }

  /** Every language's text, for reading a scale's direction from its labels. */
  private texts(byLang: Record<string, string>): string[] {
    return Object.entries(byLang)
      .filter(([l]) => LANGUAGE_ALIASES[l.toLowerCase()])
      .map(([, v]) => stripHtml(v))
      .filter(Boolean);
  }

  /** One row per language (3.x) or one row plus *_l10ns rows (4.x–6.x): texts of an entity by language. */
  private l10n(table: string, key: string, id: string, field: string, rowsOfEntity: Row[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of rowsOfEntity) if (r.language && r[field] !== undefined) out[r.language] = r[field];
    for (const r of this.rows(table)) if (r[key] === id && r.language && r[field] !== undefined) out[r.language] = r[field];
    return out;
  }

  private questions(table: string): Question[] {
    const byQid = new Map<string, Row[]>();
    for (const r of this.rows(table)) byQid.set(r.qid ?? '', [...(byQid.get(r.qid ?? '') ?? []), r]);
    return [...byQid.entries()].map(([qid, rows]) => {
      const r = rows[0]!;
      return {
        qid,
        gid: r.gid ?? '',
        type: r.type ?? '',
        code: r.title ?? qid,
        order: Number(r.question_order) || 0,
        mandatory: r.mandatory === 'Y',
        other: r.other === 'Y',
        relevance: r.relevance ?? '',
        texts: this.l10n('question_l10ns', 'qid', qid, 'question', rows),
        help: this.l10n('question_l10ns', 'qid', qid, 'help', rows),
        parent: r.parent_qid ?? '0',
        scale: r.scale_id ?? '0',
      };
    });
  }

  run(): SurveyJsConversion {
    const all = [...this.questions('questions'), ...this.questions('subquestions')];
    const parents = all.filter((q) => q.parent === '0' || q.parent === '');
    const subs = all.filter((q) => !parents.includes(q));
    const subsOf = (qid: string, scale = '0') => subs.filter((s) => s.parent === qid && s.scale === scale).sort((a, b) => a.order - b.order);
    const answersOf = (qid: string, scale = '0') => this.answers(qid, scale);

    const groups = this.groups();
    const pages: Record<string, unknown>[] = [];
    groups.forEach((group, g) => {
      const at = `groups[${g}]`;
      const groupCondition = this.condition(group.relevance, `${at}.grelevance`, group.name);
      const items: Item[] = [];
      parents
        .filter((q) => q.gid === group.gid)
        .sort((a, b) => a.order - b.order)
        .forEach((q) => items.push(...this.question(q, `questions[${q.code}]`, groupCondition, subsOf, answersOf)));
      if (!items.length) {
        this.flag('empty_page', at, group.name, `Group "${group.name}" had no question that could be imported and was left out.`);
        return;
      }
      const title = this.text(group.names, `${at}.group_name`, group.name, (s) => s.trim()) ?? { kk: `${g + 1}-бөлім`, ru: `Раздел ${g + 1}`, en: `Part ${g + 1}` };
      const intro = this.text(group.descriptions, `${at}.description`, group.name);
      pages.push({ id: this.pageIds.claim(group.name || `page${g + 1}`), title, ...(intro ? { intro } : {}), items });
    });
    if (this.unclear.length) {
      const names = this.unclear.map((u) => `"${u.name}" (${u.labels.join(' / ')})`).join(', ');
      throw new AppError(422, 'scale_direction_unclear', `The direction of these scales cannot be told from their labels or codes: ${names}. Say for each which end is the most negative.`, this.unclear);
    }
    if (!pages.length) throw new AppError(422, 'nothing_to_import', 'Nothing in this survey can be imported: no group has a question of a supported type.', this.unmapped);

    const settings = this.rows('surveys_languagesettings');
    const byLang = (field: string) => Object.fromEntries(settings.filter((r) => r[field]).map((r) => [r.surveyls_language ?? '', r[field]!]));
    const title = this.text(byLang('surveyls_title'), 'surveys_languagesettings.surveyls_title', 'title', (s) => s.trim()) ?? { kk: this.options.id, ru: this.options.id, en: this.options.id };
    const description = this.text(byLang('surveyls_description'), 'surveys_languagesettings.surveyls_description', 'description') ?? this.text(byLang('surveyls_welcometext'), 'surveys_languagesettings.surveyls_welcometext', 'description') ?? title;
    const afterword = this.text(byLang('surveyls_endtext'), 'surveys_languagesettings.surveyls_endtext', 'afterword');
    for (const [lang, count] of this.dropped) this.flag('language_dropped', 'survey', 'survey', `${count} texts in "${lang}" were left out: Pikir keeps kk, ru and en.`, lang);

    const itemCount = pages.reduce((n, p) => n + (p.items as unknown[]).length, 0);
    const definition: Record<string, unknown> = {
      id: this.options.id,
      version: 1,
      title,
      description,
      audience: this.options.audience,
      estimatedMinutes: this.options.estimatedMinutes ?? Math.min(120, Math.max(1, Math.round(itemCount * 0.4))),
      ...(afterword ? { afterword } : {}),
      scales: [],
      pages,
    };
    for (const w of definitionWarnings(definition)) {
      if (w.kind === 'personal_data' && w.owner) this.flag('personal_data', w.path, w.owner, `Question "${w.owner}" asks for ${w.asks}; responses are anonymous and an answer would tell who the respondent is.`, w.asks);
    }
    return { definition, unmapped: this.unmapped };
  }

  private groups(): { gid: string; name: string; order: number; relevance: string; names: Record<string, string>; descriptions: Record<string, string> }[] {
    const byGid = new Map<string, Row[]>();
    for (const r of this.rows('groups')) byGid.set(r.gid ?? '', [...(byGid.get(r.gid ?? '') ?? []), r]);
    return [...byGid.entries()]
      .map(([gid, rows]) => {
        const names = this.l10n('group_l10ns', 'gid', gid, 'group_name', rows);
        return { gid, name: names[this.mainCode()] ?? Object.values(names)[0] ?? `group${gid}`, order: Number(rows[0]!.group_order) || 0, relevance: rows[0]!.grelevance ?? '', names, descriptions: this.l10n('group_l10ns', 'gid', gid, 'description', rows) };
      })
      .sort((a, b) => a.order - b.order);
  }

  private mainCode(): string {
    return (this.rows('surveys')[0]?.language ?? '').toLowerCase();
  }

  private answers(qid: string, scale: string): { code: string; order: number; texts: Record<string, string>; assessment: string }[] {
    const byCode = new Map<string, { code: string; order: number; texts: Record<string, string>; assessment: string }>();
    for (const r of this.rows('answers')) {
      if (r.qid !== qid || (r.scale_id ?? '0') !== scale) continue;
      const code = r.code ?? '';
      const entry = byCode.get(code) ?? { code, order: Number(r.sortorder) || 0, texts: {}, assessment: r.assessment_value ?? '' };
      if (r.language && r.answer !== undefined) entry.texts[r.language] = r.answer;
      // 4.x–6.x: the texts live in answer_l10ns, joined on the answer's aid.
      if (r.aid) for (const l of this.rows('answer_l10ns')) if (l.aid === r.aid && l.language) entry.texts[l.language] = l.answer ?? '';
      byCode.set(code, entry);
    }
    return [...byCode.values()].sort((a, b) => a.order - b.order);
  }

  private condition(expression: string, at: string, name: string): Condition | undefined {
    try {
      return parseRelevance(expression, (ref) => this.resolve(ref));
    } catch (err) {
      if (!(err instanceof Unconvertible)) throw err;
      this.flag('expression', at, name, `"${name}": the relevance equation ${JSON.stringify(expression)} could not be converted (${err.message}); it is shown always.`, expression);
      return undefined;
    }
  }

  private resolve(ref: string): Known {
    const key = ref.trim().toLowerCase();
    const direct = this.known.get(key);
    if (direct) return direct;
    const bar = key.lastIndexOf('_');
    if (bar > 0) {
      const parent = this.known.get(key.slice(0, bar));
      const sub = key.slice(bar + 1);
      if (parent?.kind === 'rows' && parent.rows.has(sub)) return parent.rows.get(sub)!;
      if (parent?.kind === 'matrix' && parent.rows.has(sub)) return { kind: 'scale', id: parent.rows.get(sub)!, points: parent.points };
    }
    throw new Unconvertible(`${ref} is not an earlier question that was imported`);
  }

  private question(
    q: Question,
    at: string,
    inherited: Condition | undefined,
    subsOf: (qid: string, scale?: string) => Question[],
    answersOf: (qid: string, scale?: string) => ReturnType<LssConverter['answers']>,
  ): Item[] {
    const name = q.code;
    const kind = TYPE_NAMES[q.type] ?? q.type;
    const supported = ['L', '!', 'O', 'M', 'P', 'F', 'A', 'B', '5', 'N', 'S', 'T', 'U', 'Y', 'G'];
    if (!supported.includes(q.type)) {
      this.flag('unsupported_type', at, name, `Question "${name}": the type "${kind}" is not supported and was left out.`, kind);
      return [];
    }
    const own = this.condition(q.relevance, `${at}.relevance`, name);
    const showIf = inherited && own ? { and: [inherited, own] } : (inherited ?? own);
    const text = this.text(q.texts, `${at}.question`, name) ?? { kk: name, ru: name, en: name };
    const help = this.text(q.help, `${at}.help`, name);
    const base = { text, ...(help ? { help } : {}), ...(q.mandatory ? { required: true as const } : {}), ...(showIf ? { showIf } : {}) };
    const id = this.itemIds.claim(name);
    switch (q.type) {
      case 'L':
      case '!':
      case 'O': {
        if (q.type === 'O') this.flag('property_dropped', at, name, `Question "${name}": the comment box of a "list with comment" was not carried over.`, 'comment');
        const pool = new IdPool('v');
        pool.claim('other');
        const values = new Map<string, string>();
        const options = answersOf(q.qid).map((a) => {
          const value = pool.claim(a.code);
          values.set(a.code, value);
          return { value, label: this.text(a.texts, `${at}.answers[${a.code}]`, `${name} › ${a.code}`) ?? { kk: a.code, ru: a.code, en: a.code } };
        });
        this.renamed(at, name, values);
        if (q.other) values.set('-oth-', 'other');
        this.known.set(name.toLowerCase(), { kind: 'choice', id, values });
        if (options.length < 2) return this.leftOut(at, name, 'fewer than two answers');
        return [{ ...base, id, type: 'single', options, ...(q.other ? { other: true } : {}) }];
      }
      case 'M':
      case 'P': {
        if (q.type === 'P') this.flag('property_dropped', at, name, `Question "${name}": the comment boxes of "multiple choice with comments" were not carried over.`, 'comments');
        const pool = new IdPool('v');
        pool.claim('other');
        const rows = new Map<string, Known>();
        const options = subsOf(q.qid).map((s) => {
          const value = pool.claim(s.code);
          rows.set(s.code.toLowerCase(), { kind: 'option', id, value });
          return { value, label: this.text(s.texts, `${at}.subquestions[${s.code}]`, `${name} › ${s.code}`) ?? { kk: s.code, ru: s.code, en: s.code } };
        });
        if (q.other) rows.set('other', { kind: 'option', id, value: 'other' });
        this.known.set(name.toLowerCase(), { kind: 'rows', rows });
        if (options.length < 2) return this.leftOut(at, name, 'fewer than two options');
        return [{ ...base, id, type: 'multiple', options, ...(q.other ? { other: true } : {}) }];
      }
      case 'F':
      case 'A':
      case 'B':
        return this.array(q, at, id, base, subsOf(q.qid), answersOf(q.qid));
      case '5':
        this.known.set(name.toLowerCase(), { kind: 'scale', id, points: [1, 2, 3, 4, 5].map((n) => ({ source: String(n), number: n, stored: n })) });
        return [{ ...base, id, type: 'rating', min: 1, max: 5 }];
      case 'N': {
        const attr = this.attributes(q.qid);
        const min = Number(attr.min_num_value_n);
        const max = Number(attr.max_num_value_n);
        if (attr.min_num_value_n && attr.max_num_value_n && Number.isFinite(min) && Number.isFinite(max) && min < max) {
          const integer = attr.num_value_int_only === '1';
          this.known.set(name.toLowerCase(), { kind: 'number', id, integer });
          return [{ ...base, id, type: 'number', min, max, ...(integer ? { integer: true } : {}) }];
        }
        this.flag('number_as_text', at, name, `Question "${name}": a numerical input without a minimum and maximum became a text field.`);
        this.known.set(name.toLowerCase(), { kind: 'text', id });
        return [{ ...base, id, type: 'text' }];
      }
      case 'S':
      case 'T':
      case 'U':
        this.known.set(name.toLowerCase(), { kind: 'text', id });
        return [{ ...base, id, type: 'text', ...(q.type !== 'S' ? { long: true } : {}) }];
      case 'Y':
        this.known.set(name.toLowerCase(), { kind: 'choice', id, values: new Map([['Y', 'yes'], ['N', 'no']]) });
        return [{ ...base, id, type: 'single', options: [{ value: 'yes', label: YES }, { value: 'no', label: NO }] }];
      default:
        // G: LimeSurvey's gender question (F / M).
        this.known.set(name.toLowerCase(), { kind: 'choice', id, values: new Map([['F', 'female'], ['M', 'male']]) });
        return [{ ...base, id, type: 'single', options: [{ value: 'female', label: FEMALE }, { value: 'male', label: MALE }] }];
    }
  }

  private leftOut(at: string, name: string, why: string): Item[] {
    this.flag('unsupported_type', at, name, `Question "${name}": ${why}; it was left out.`, why);
    return [];
  }

  private renamed(at: string, name: string, values: Map<string, string>): void {
    const renamed = [...values].filter(([a, b]) => a !== b).map(([a, b]) => `${a} → ${b}`);
    if (renamed.length) this.flag('values_renamed', at, name, `Question "${name}": answer codes were renamed to valid ids: ${renamed.slice(0, 8).join(', ')}${renamed.length > 8 ? ', …' : ''}.`, renamed.slice(0, 8).join(', '));
  }

  private attributes(qid: string): Record<string, string> {
    return Object.fromEntries(this.rows('question_attributes').filter((r) => r.qid === qid && r.attribute).map((r) => [r.attribute!, r.value ?? '']));
  }

  /** Arrays: rows are the subquestions; columns the answers (F), 1–5 (A) or 1–10 (B). */
  private array(q: Question, at: string, id: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>, subs: Question[], answers: ReturnType<LssConverter['answers']>): Item[] {
    const name = q.code;
    const columns =
      q.type === 'F'
        ? answers.map((a) => ({ code: a.code, texts: a.texts }))
        : Array.from({ length: q.type === 'A' ? 5 : 10 }, (_, i) => ({ code: String(i + 1), texts: {} as Record<string, string> }));
    if (subs.length < 2) return this.leftOut(at, name, 'an array with fewer than two rows');
    const naAt = columns.length >= 3 ? (isNotApplicable(this.texts(columns.at(-1)!.texts)) ? columns.length - 1 : -1) : -1;
    const scale = columns.filter((_, i) => i !== naAt);
    const given = this.options.directions?.[at];
    const direction = given ? { order: given, by: 'you', conflict: false, unlabelled: false } : scaleDirection(scale.map((c) => ({ value: c.code, texts: this.texts(c.texts) })));
    // Codes like A1…A5 are no numbers; the answers' order as LimeSurvey shows them is their only order.
    if (direction.order === 'unclear' || scale.length > 11 || scale.length < 2) {
      if (!direction.unlabelled && direction.order === 'unclear') {
        this.unclear.push({ at, name, labels: scale.map((c) => this.texts(c.texts)[0] ?? c.code) });
        return [];
      }
      return this.splitArray(q, at, base, subs, columns);
    }
    const ordered = direction.order === 'descending' ? [...scale].reverse() : scale;
    const points: ScalePointValue[] = ordered.map((c, i) => ({ source: c.code, ...(/^-?\d+$/.test(c.code) ? { number: Number(c.code) } : {}), stored: i + 1 }));
    if (naAt >= 0) points.push({ source: columns[naAt]!.code, stored: 'na' });
    const label = (c: { code: string; texts: Record<string, string> }) => this.texts(c.texts)[0] ?? c.code;
    if (direction.order === 'descending') this.flag('scale_reversed', at, name, `Question "${name}": its answers run from the most positive ("${label(scale[0]!)}") to the most negative; they are stored so that "${label(scale[0]!)}" is ${scale.length}.`, direction.by);
    else if (direction.by === 'values' && q.type === 'F') this.flag('scale_direction', at, name, `Question "${name}": its labels do not say which end is positive; the codes were read as higher = more positive.`, direction.by);
    if (direction.conflict) this.flag('values_recoded', at, name, `Question "${name}": its codes run against its labels; the labels were followed.`, ordered.map((c) => c.code).join(' < '));
    if (naAt >= 0) this.flag('na_column', at, name, `Question "${name}": the answer "${label(columns[naAt]!)}" became "not applicable", outside the scale.`, label(columns[naAt]!));
    const rowIds = new Map<string, string>();
    const rows = subs.map((s) => {
      const rowId = this.itemIds.claim(`${name}_${s.code}`);
      rowIds.set(s.code.toLowerCase(), rowId);
      return { id: rowId, text: this.text(s.texts, `${at}.subquestions[${s.code}]`, `${name} › ${s.code}`) ?? { kk: s.code, ru: s.code, en: s.code } };
    });
    this.known.set(name.toLowerCase(), { kind: 'matrix', rows: rowIds, points });
    const labels = ordered.map((c) => this.text(c.texts, `${at}.answers[${c.code}]`, `${name} › ${c.code}`) ?? { kk: c.code, ru: c.code, en: c.code });
    return [{ ...base, id, type: 'matrix', rows, labels, ...(naAt >= 0 ? { allowNA: true } : {}) }];
  }

  /** An array whose answers are no scale: one single-choice question per row. */
  private splitArray(q: Question, at: string, base: Pick<Item, 'text' | 'help' | 'required' | 'showIf'>, subs: Question[], columns: { code: string; texts: Record<string, string> }[]): Item[] {
    this.flag('matrix_split', at, q.code, `Question "${q.code}": an array with ${columns.length} answers became one single-choice question per row.`, String(columns.length));
    const known = new Map<string, Known>();
    const items = subs.map((s): Item => {
      const id = this.itemIds.claim(`${q.code}_${s.code}`);
      const pool = new IdPool('v');
      const values = new Map<string, string>();
      const options = columns.map((c) => {
        const value = pool.claim(c.code);
        values.set(c.code, value);
        return { value, label: this.text(c.texts, `${at}.answers[${c.code}]`, `${q.code} › ${c.code}`) ?? { kk: c.code, ru: c.code, en: c.code } };
      });
      known.set(s.code.toLowerCase(), { kind: 'choice', id, values });
      const rowText = this.text(s.texts, `${at}.subquestions[${s.code}]`, `${q.code} › ${s.code}`) ?? { kk: s.code, ru: s.code, en: s.code };
      const text = LANGUAGES.reduce((t, l) => ({ ...t, [l]: `${base.text[l]} — ${rowText[l]}` }), {} as LocalizedText);
      return { ...base, text, id, type: 'single', options };
    });
    this.known.set(q.code.toLowerCase(), { kind: 'rows', rows: known });
    return items;
  }
}
