// Proportions with a Wilson score interval (Wilson 1927; Newcombe 1998, method 3), the interval used for every share.
import { assertCount, assertZ } from './validate.js';

/** A proportion on the 0..1 scale and its interval. */
export interface ProportionInterval {
  p: number;
  low: number;
  high: number;
}

/**
 * Wilson score interval for `successes` out of `n`, without continuity correction:
 * centre = (p + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²).
 * Returns null when n = 0 (no proportion exists). 0/n gives low = 0 exactly, n/n gives high = 1 exactly.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): ProportionInterval | null {
  assertCount('successes', successes);
  assertCount('n', n);
  assertZ(z);
  if (successes > n) throw new RangeError(`successes (${successes}) cannot exceed n (${n})`);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
