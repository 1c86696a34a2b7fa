// Cronbach's alpha and scale-index means accumulated one respondent at a time (sufficient statistics),
// so a campaign of 100,000 responses is summarised in one pass without holding its answers. The
// statistics are sums, so they also travel as counters (toCounters/fromCounters): one response's
// counters are added to the aggregates on the write path like any item's, and a group's are their sum.
import { meanIntervalFromSums, type MeanInterval } from './mean.js';
import type { AlphaResult } from './alpha.js';

/** Counter names: respondents who answered any item (r), complete (c) — the excluded are r − c — index
 *  n/sum/sum of squares (in, is, iq), total sum/sum of squares (t, tt), the items' squares summed over items
 *  (q), and per item i its sum (s<i>). aggregates/increments.ts writes one response's share directly on the write path. */
export type ScaleCounters = Record<string, number>;

export class ScaleAccumulator {
  private answeredAny = 0;
  private complete = 0;
  private excluded = 0;
  private itemSum: number[];
  /** Σ over items of Σ x²: alpha needs the items' variances only summed, so one number stands for k. */
  private itemSumSq = 0;
  private totalSum = 0;
  private totalSumSq = 0;
  private indexN = 0;
  private indexSum = 0;
  private indexSumSq = 0;

  /**
   * `reflect[i]` is min + max of item i's range (6 on a 1–5 scale, the default): a reverse-scored answer x
   * counts as reflect[i] − x, which maps any integer range onto itself end for end.
   */
  constructor(
    readonly k: number,
    private readonly reversed: readonly boolean[],
    private readonly reflect: readonly number[] = new Array<number>(k).fill(6),
  ) {
    this.itemSum = new Array<number>(k).fill(0);
  }

  /** One respondent's answers to the scale's items (points of their range, or null when not answered / not applicable). */
  add(answers: readonly (number | null)[]): void {
    const scored = answers.map((x, i) => (x === null ? null : this.reversed[i] ? this.reflect[i]! - x : x));
    const answered = scored.filter((x): x is number => x !== null);
    if (answered.length > 0) this.answeredAny++;
    if (answered.length * 2 >= this.k && answered.length > 0) {
      const index = answered.reduce((s, x) => s + x, 0) / answered.length;
      this.indexN++;
      this.indexSum += index;
      this.indexSumSq += index * index;
    }
    if (answered.length < this.k) {
      if (answered.length > 0) this.excluded++;
      return;
    }
    this.complete++;
    let total = 0;
    scored.forEach((x, i) => {
      this.itemSum[i]! += x!;
      this.itemSumSq += x! * x!;
      total += x!;
    });
    this.totalSum += total;
    this.totalSumSq += total * total;
  }

  alpha(): AlphaResult {
    const n = this.complete;
    const base = { k: this.k, n, excluded: this.excluded };
    if (this.k < 2 || n < 2) return { ...base, alpha: null };
    const variance = (sum: number, sumSq: number) => (sumSq - (sum * sum) / n) / (n - 1);
    // Σ var(item i) = (Σ_i Σ x² − Σ_i (Σ x)² / n) / (n − 1)
    const itemVariances = (this.itemSumSq - this.itemSum.reduce((s, sum) => s + (sum * sum) / n, 0)) / (n - 1);
    const totalVariance = variance(this.totalSum, this.totalSumSq);
    if (!(totalVariance > 1e-12)) return { ...base, alpha: null };
    return { ...base, alpha: (this.k / (this.k - 1)) * (1 - itemVariances / totalVariance) };
  }

  /** Mean of the respondent-level index (mean of answered items, at least half answered) with its interval. */
  index(): MeanInterval {
    return meanIntervalFromSums(this.indexN, this.indexSum, this.indexSumSq);
  }

  /** Respondents who answered at least one item of the scale (every counter they touched moves with them). */
  get respondents(): number {
    return this.answeredAny;
  }

  toCounters(): ScaleCounters {
    const out: ScaleCounters = { r: this.answeredAny, c: this.complete, in: this.indexN, is: this.indexSum, iq: this.indexSumSq, t: this.totalSum, tt: this.totalSumSq, q: this.itemSumSq };
    this.itemSum.forEach((sum, i) => {
      out[`s${i}`] = sum;
    });
    return out;
  }

  static fromCounters(k: number, counters: ScaleCounters): ScaleAccumulator {
    const acc = new ScaleAccumulator(k, new Array<boolean>(k).fill(false));
    const c = (name: string) => counters[name] ?? 0;
    acc.answeredAny = c('r');
    acc.complete = c('c');
    acc.excluded = c('r') - c('c');
    acc.indexN = c('in');
    acc.indexSum = c('is');
    acc.indexSumSq = c('iq');
    acc.totalSum = c('t');
    acc.totalSumSq = c('tt');
    acc.itemSumSq = c('q');
    for (let i = 0; i < k; i++) acc.itemSum[i] = c(`s${i}`);
    return acc;
  }
}
