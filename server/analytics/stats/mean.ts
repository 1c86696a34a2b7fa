// Means with sample SD and a normal-approximation interval mean ± z·SE, from raw values or sufficient statistics.
import { assertCount, assertFinite, assertZ } from './validate.js';

/** A mean and its spread. sd is the sample SD (divisor n − 1); se = sd/√n; low/high = mean ∓ z·se. */
export interface MeanInterval {
  n: number;
  /** null when n = 0. */
  mean: number | null;
  /** sd, se, low and high are null when n < 2. */
  sd: number | null;
  se: number | null;
  low: number | null;
  high: number | null;
}

function fromMeanAndSumOfSquaredDeviations(n: number, mean: number | null, ssd: number, z: number): MeanInterval {
  if (n < 2 || mean === null) return { n, mean, sd: null, se: null, low: null, high: null };
  const sd = Math.sqrt(Math.max(0, ssd) / (n - 1));
  const se = sd / Math.sqrt(n);
  return { n, mean, sd, se, low: mean - z * se, high: mean + z * se };
}

/**
 * Mean, sample SD, SE and interval mean ± z·SE from raw values. null entries (missing answers) are skipped
 * and not counted in n. Uses two passes (mean, then squared deviations) for numerical stability.
 */
export function meanInterval(values: readonly (number | null)[], z = 1.96): MeanInterval {
  assertZ(z);
  const present: number[] = [];
  for (const value of values) {
    if (value === null) continue;
    assertFinite('value', value);
    present.push(value);
  }
  const n = present.length;
  if (n === 0) return { n: 0, mean: null, sd: null, se: null, low: null, high: null };
  let sum = 0;
  for (const x of present) sum += x;
  const mean = sum / n;
  let ssd = 0;
  for (const x of present) ssd += (x - mean) * (x - mean);
  return fromMeanAndSumOfSquaredDeviations(n, mean, ssd, z);
}

/**
 * The same figures from sufficient statistics (n, Σx, Σx²), e.g. from a database aggregation:
 * mean = Σx/n, sd = √((Σx² − (Σx)²/n)/(n − 1)) (a tiny negative from rounding is taken as 0).
 */
export function meanIntervalFromSums(n: number, sum: number, sumOfSquares: number, z = 1.96): MeanInterval {
  assertCount('n', n);
  assertFinite('sum', sum);
  assertFinite('sumOfSquares', sumOfSquares);
  assertZ(z);
  if (sumOfSquares < 0) throw new RangeError(`sumOfSquares cannot be negative (got ${sumOfSquares})`);
  if (n === 0) return { n: 0, mean: null, sd: null, se: null, low: null, high: null };
  const mean = sum / n;
  return fromMeanAndSumOfSquaredDeviations(n, mean, sumOfSquares - (sum * sum) / n, z);
}
