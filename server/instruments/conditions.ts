// Evaluates showIf conditions against answers given so far (the browser has a twin in public/js/respond.js).
import type { Condition } from './schema.js';

export type AnswerValue = string | number | string[] | { choice: string; other?: string } | undefined;
export type Answers = Record<string, AnswerValue>;

function isAnswered(value: AnswerValue): boolean {
  if (value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function scalar(value: AnswerValue): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value.choice;
  if (Array.isArray(value)) return undefined;
  return String(value);
}

export function evaluateCondition(condition: Condition, answers: Answers): boolean {
  if ('not' in condition) return !evaluateCondition(condition.not, answers);
  if ('and' in condition) return condition.and.every((c) => evaluateCondition(c, answers));
  if ('or' in condition) return condition.or.some((c) => evaluateCondition(c, answers));
  const value = answers[condition.item];
  if ('answered' in condition) return isAnswered(value) === condition.answered;
  if ('gte' in condition) {
    // A number, or a scale's number as a form posts it; "na" and choices are not numbers and never pass.
    const given = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
    return given !== undefined && given >= condition.gte;
  }
  const wanted = 'equals' in condition ? [condition.equals] : condition.in;
  const wantedStrings = wanted.map(String);
  if (Array.isArray(value)) return value.some((v) => wantedStrings.includes(v));
  const given = scalar(value);
  return given !== undefined && wantedStrings.includes(given);
}

export function isVisible(item: { showIf?: Condition }, answers: Answers): boolean {
  return !item.showIf || evaluateCondition(item.showIf, answers);
}
