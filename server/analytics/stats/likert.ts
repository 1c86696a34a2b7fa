// Summary of a 5-point agreement item from its answer counts: distribution, top-two / bottom-two boxes, mean and SD.
import { meanIntervalFromSums, type MeanInterval } from './mean.js';
import { wilsonInterval, type ProportionInterval } from './proportion.js';
import { assertCount } from './validate.js';

export type LikertLevel = 1 | 2 | 3 | 4 | 5;
export const LIKERT_LEVELS: readonly LikertLevel[] = [1, 2, 3, 4, 5];

/** Answer counts per level (1 = strongly disagree … 5 = strongly agree) and "not applicable"; a missing key counts 0. */
export type LikertCounts = Partial<Record<LikertLevel | 'na', number>>;

export interface LikertSummary {
  /** Answers on the scale (1–5); NA is excluded from every figure below except `na` and `total`. */
  n: number;
  /** "Not applicable / don't know" answers, counted apart. */
  na: number;
  /** n + na: everyone who answered the item. */
  total: number;
  /** Count of each level. */
  counts: Record<LikertLevel, number>;
  /** Share of each level among the n scale answers (0..1); null when n = 0. */
  distribution: Record<LikertLevel, number> | null;
  /** Share answering 4 or 5 (top two boxes), with its Wilson interval; null when n = 0. */
  agree: ProportionInterval | null;
  /** Share answering 1 or 2 (bottom two boxes), with its Wilson interval; null when n = 0. */
  disagree: ProportionInterval | null;
  /** Mean of the 1–5 scores, sample SD and mean ± z·SE. */
  mean: MeanInterval;
}

/** Summarise a 5-point agreement item from its counts. Unknown keys are rejected. */
export function likertSummary(counts: Readonly<LikertCounts>, z = 1.96): LikertSummary {
  for (const key of Object.keys(counts)) {
    if (!['1', '2', '3', '4', '5', 'na'].includes(key)) throw new RangeError(`unknown Likert level "${key}"`);
  }
  const levelCounts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<LikertLevel, number>;
  let n = 0;
  let sum = 0;
  let sumOfSquares = 0;
  for (const level of LIKERT_LEVELS) {
    const c = counts[level] ?? 0;
    assertCount(`count of level ${level}`, c);
    levelCounts[level] = c;
    n += c;
    sum += level * c;
    sumOfSquares += level * level * c;
  }
  const na = counts.na ?? 0;
  assertCount('count of NA', na);
  const distribution =
    n === 0 ? null : ({ 1: levelCounts[1] / n, 2: levelCounts[2] / n, 3: levelCounts[3] / n, 4: levelCounts[4] / n, 5: levelCounts[5] / n } as Record<LikertLevel, number>);
  return {
    n,
    na,
    total: n + na,
    counts: levelCounts,
    distribution,
    agree: wilsonInterval(levelCounts[4] + levelCounts[5], n, z),
    disagree: wilsonInterval(levelCounts[1] + levelCounts[2], n, z),
    mean: meanIntervalFromSums(n, sum, sumOfSquares, z),
  };
}
