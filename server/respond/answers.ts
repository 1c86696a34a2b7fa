// Reading and checking answers: from a page's form fields or a JSON body into typed values.
// Answers of items hidden by showIf are dropped; every value is checked against its item.
import { scoreRange, type Definition, type Item } from '../instruments/schema.js';
import { isVisible, type Answers } from '../instruments/conditions.js';
import { answerIds, itemsOf, otherKey } from '../instruments/items.js';
import type { StoredAnswers } from '../responses/answers.js';

export interface AnswerError {
  item: string;
  /** An interface catalogue key under respond.errors */
  code: 'required' | 'invalid' | 'too_long' | 'out_of_range' | 'too_many' | 'cohort_mismatch';
  params?: Record<string, number>;
}

const TEXT_LIMIT = 5000;
const OTHER_LIMIT = 300;

type Raw = unknown;

function asString(raw: Raw): string | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return undefined;
}

/** A point on an integer scale min–max (or "na" where allowed); undefined when not answered, null when invalid. */
function scaleValue(raw: Raw, allowNA: boolean, min = 1, max = 5): number | 'na' | undefined | null {
  const s = asString(raw)?.trim();
  if (s === undefined || s === '') return raw === undefined || raw === '' ? undefined : null;
  if (s === 'na') return allowNA ? 'na' : null;
  if (!/^-?\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/**
 * Reads the answers to `items` from `source` (field name → raw value). `fieldName` maps an answer id to
 * the key in source: form pages use "q_<id>", the JSON API uses the id itself.
 */
export function readAnswers(items: Item[], source: Record<string, Raw>, fieldName: (id: string) => string, known: Answers): { answers: StoredAnswers; errors: AnswerError[] } {
  const answers: StoredAnswers = {};
  const errors: AnswerError[] = [];
  const context: Answers = { ...known };
  for (const item of items) {
    if (!isVisible(item, context)) continue;
    const missing = () => item.required && errors.push({ item: item.id, code: 'required' });
    switch (item.type) {
      case 'likert':
      case 'rating':
      case 'matrix': {
        const rows = item.type === 'matrix' ? item.rows.map((r) => r.id) : [item.id];
        const { min, max } = scoreRange(item)!;
        let answered = 0;
        for (const id of rows) {
          const v = scaleValue(source[fieldName(id)], Boolean(item.allowNA), min, max);
          if (v === null) errors.push({ item: id, code: 'invalid' });
          else if (v !== undefined) {
            answers[id] = v;
            answered++;
          } else if (item.required && item.type === 'matrix') errors.push({ item: id, code: 'required' });
        }
        if (item.type !== 'matrix' && answered === 0 && !errors.some((e) => e.item === item.id)) missing();
        break;
      }
      case 'nps': {
        const s = asString(source[fieldName(item.id)])?.trim();
        if (s === undefined || s === '') {
          if (source[fieldName(item.id)] !== undefined && asString(source[fieldName(item.id)]) === undefined) errors.push({ item: item.id, code: 'invalid' });
          else missing();
        } else if (/^(10|[0-9])$/.test(s)) answers[item.id] = Number(s);
        else errors.push({ item: item.id, code: 'out_of_range', params: { min: 0, max: 10 } });
        break;
      }
      case 'single': {
        const raw = source[fieldName(item.id)];
        const s = asString(raw)?.trim();
        if (s === undefined || s === '') {
          if (raw !== undefined && raw !== '') errors.push({ item: item.id, code: 'invalid' });
          else missing();
        } else if (item.options.some((o) => o.value === s) || (item.other && s === 'other')) {
          answers[item.id] = s;
          if (s === 'other') readOther(item.id);
        } else errors.push({ item: item.id, code: 'invalid' });
        break;
      }
      case 'multiple': {
        const raw = source[fieldName(item.id)];
        const list = raw === undefined || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
        if (!list.every((v) => typeof v === 'string')) {
          errors.push({ item: item.id, code: 'invalid' });
          break;
        }
        const chosen = [...new Set(list as string[])];
        const allowed = new Set([...item.options.map((o) => o.value), ...(item.other ? ['other'] : [])]);
        if (chosen.some((v) => !allowed.has(v))) errors.push({ item: item.id, code: 'invalid' });
        else if (item.maxChoices && chosen.length > item.maxChoices) errors.push({ item: item.id, code: 'too_many', params: { max: item.maxChoices } });
        else if (chosen.length === 0) missing();
        else {
          answers[item.id] = chosen;
          if (chosen.includes('other')) readOther(item.id);
        }
        break;
      }
      case 'text': {
        const raw = source[fieldName(item.id)];
        const s = asString(raw);
        const limit = item.maxLength ?? TEXT_LIMIT;
        if (raw !== undefined && s === undefined) errors.push({ item: item.id, code: 'invalid' });
        else if (s === undefined || s.trim() === '') missing();
        else if ([...s].length > limit) errors.push({ item: item.id, code: 'too_long', params: { max: limit } });
        else answers[item.id] = s.trim().replace(/\r\n/g, '\n');
        break;
      }
      case 'number': {
        const raw = source[fieldName(item.id)];
        const s = asString(raw)?.trim().replace(',', '.');
        if (s === undefined || s === '') {
          if (raw !== undefined && raw !== '' && asString(raw) === undefined) errors.push({ item: item.id, code: 'invalid' });
          else missing();
          break;
        }
        const n = Number(s);
        if (!/^-?\d+(\.\d+)?$/.test(s) || !Number.isFinite(n) || (item.integer && !Number.isInteger(n))) errors.push({ item: item.id, code: 'invalid' });
        else if (n < item.min || n > item.max) errors.push({ item: item.id, code: 'out_of_range', params: { min: item.min, max: item.max } });
        else answers[item.id] = n;
        break;
      }
    }
    for (const id of answerIds(item)) if (answers[id] !== undefined) context[id] = answers[id] as Answers[string];
  }
  return { answers, errors };

  function readOther(itemId: string) {
    const s = asString(source[fieldName(otherKey(itemId))])?.trim();
    if (s) {
      if ([...s].length > OTHER_LIMIT) errors.push({ item: itemId, code: 'too_long', params: { max: OTHER_LIMIT } });
      else answers[otherKey(itemId)] = s;
    }
  }
}

/** Drops answers whose item is hidden given the other answers (after a back-and-forth change). */
export function pruneHidden(def: Definition, answers: StoredAnswers): StoredAnswers {
  const kept: StoredAnswers = {};
  for (const { item } of itemsOf(def)) {
    if (!isVisible(item, kept as Answers)) continue;
    for (const id of answerIds(item)) if (answers[id] !== undefined) kept[id] = answers[id]!;
    const other = otherKey(item.id);
    if (answers[other] !== undefined) kept[other] = answers[other]!;
  }
  return kept;
}

/** Checks a whole response (all pages) — used by the JSON API and on final submit. */
export function readAllAnswers(def: Definition, source: Record<string, Raw>, fieldName: (id: string) => string): { answers: StoredAnswers; errors: AnswerError[] } {
  return readAnswers(itemsOf(def).map((x) => x.item), source, fieldName, {});
}
