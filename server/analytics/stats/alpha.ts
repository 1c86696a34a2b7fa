// Multi-item scales: Cronbach's alpha (listwise deletion) and respondent-level scale indices with reverse scoring.
import { assertFinite } from './validate.js';

export interface ScaleOptions {
  /** 0-based indexes of reverse-worded items, scored x → (min + max) − x, i.e. 6 − x on a 1–5 scale. */
  reversed?: readonly number[];
  /** Lowest and highest scale point; answers outside are rejected. Defaults 1 and 5. */
  min?: number;
  max?: number;
}

export interface AlphaResult {
  /** Cronbach's alpha; null when k < 2, n < 2 or the total score has zero variance. */
  alpha: number | null;
  /** Items (columns). */
  k: number;
  /** Respondents used: those who answered every item (listwise deletion). */
  n: number;
  /** Respondents dropped for a missing answer. */
  excluded: number;
}

/** A respondent's answers, one per item; null (or a missing entry) = not answered. */
export type ItemAnswers = readonly (number | null | undefined)[];

function checkedScale(k: number, options: ScaleOptions): { reversed: Set<number>; min: number; max: number } {
  const min = options.min ?? 1;
  const max = options.max ?? 5;
  assertFinite('min', min);
  assertFinite('max', max);
  if (min >= max) throw new RangeError(`scale min (${min}) must be below max (${max})`);
  const reversed = new Set(options.reversed ?? []);
  for (const index of reversed) {
    if (!Number.isInteger(index) || index < 0 || index >= k) throw new RangeError(`reversed item index ${index} is not one of the ${k} items`);
  }
  return { reversed, min, max };
}

/** Answers as scored: reversed where asked; null where missing. Throws on a value off the scale. */
function scored(row: ItemAnswers, k: number, scale: { reversed: Set<number>; min: number; max: number }): (number | null)[] {
  if (row.length > k) throw new RangeError(`a respondent has ${row.length} answers for ${k} items`);
  const out: (number | null)[] = [];
  for (let i = 0; i < k; i++) {
    const x = row[i];
    if (x === null || x === undefined) {
      out.push(null);
      continue;
    }
    assertFinite('answer', x);
    if (x < scale.min || x > scale.max) throw new RangeError(`answer ${x} is outside the scale ${scale.min}–${scale.max}`);
    out.push(scale.reversed.has(i) ? scale.min + scale.max - x : x);
  }
  return out;
}

function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  let mean = 0;
  for (const x of values) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of values) ss += (x - mean) * (x - mean);
  return ss / (n - 1);
}

/**
 * Cronbach's alpha for a respondents × items matrix: α = k/(k−1) · (1 − Σ var(item) / var(total)), sample
 * variances. Respondents with any missing answer are dropped (listwise). `k` is the longest row's length unless
 * `items` is given; a shorter row is missing its last answers. Reverse-worded items are scored first.
 */
export function cronbachAlpha(matrix: readonly ItemAnswers[], options: ScaleOptions & { items?: number } = {}): AlphaResult {
  const k = options.items ?? matrix.reduce((m, row) => Math.max(m, row.length), 0);
  const scale = checkedScale(k, options);
  const complete: number[][] = [];
  for (const row of matrix) {
    const answers = scored(row, k, scale);
    if (answers.every((x) => x !== null)) complete.push(answers as number[]);
  }
  const n = complete.length;
  const result = { k, n, excluded: matrix.length - n };
  if (k < 2 || n < 2) return { alpha: null, ...result };
  let itemVariances = 0;
  for (let i = 0; i < k; i++) itemVariances += sampleVariance(complete.map((row) => row[i] as number));
  const totalVariance = sampleVariance(complete.map((row) => row.reduce((s, x) => s + x, 0)));
  // Relative threshold: a total variance that is zero up to rounding means every respondent has the same total.
  if (!(totalVariance > 1e-12 * Math.max(1, itemVariances))) return { alpha: null, ...result };
  return { alpha: (k / (k - 1)) * (1 - itemVariances / totalVariance), ...result };
}

/**
 * One respondent's scale index: mean of the answered items after reverse scoring, or null when fewer than half
 * the items are answered (answered · 2 < k). `items` defaults to the row's length.
 */
export function scaleIndex(answers: ItemAnswers, options: ScaleOptions & { items?: number } = {}): number | null {
  const k = options.items ?? answers.length;
  const values = scored(answers, k, checkedScale(k, options)).filter((x): x is number => x !== null);
  if (k === 0 || values.length * 2 < k) return null;
  return values.reduce((s, x) => s + x, 0) / values.length;
}

/** scaleIndex for every respondent of a matrix; k is the longest row's length unless `items` is given. */
export function scaleIndices(matrix: readonly ItemAnswers[], options: ScaleOptions & { items?: number } = {}): (number | null)[] {
  const items = options.items ?? matrix.reduce((m, row) => Math.max(m, row.length), 0);
  return matrix.map((row) => scaleIndex(row, { ...options, items }));
}
