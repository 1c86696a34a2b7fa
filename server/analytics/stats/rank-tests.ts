// Rank tests between groups: Mann–Whitney U (two groups) and Kruskal–Wallis H (k groups), tie-corrected, with effect sizes.
import { chiSquareSf, normalTwoSidedP } from './distributions.js';
import { midRanks } from './ranks.js';
import { assertFinite } from './validate.js';

export interface MannWhitneyResult {
  n1: number;
  n2: number;
  /** U of the first group: pairs (a, b) with a > b, ties counting ½ (scipy's `statistic`). u1 + u2 = n1·n2. */
  u1: number;
  u2: number;
  meanRank1: number;
  meanRank2: number;
  /**
   * z = sign(u1 − μ) · max(|u1 − μ| − ½, 0) / σ, μ = n1n2/2, σ² = n1n2/12 · ((N+1) − Σ(t³−t)/(N(N−1))).
   * Positive when the first group tends to be higher. z, p and r are null when σ = 0 (every value tied).
   */
  z: number | null;
  /** Two-sided p from the normal approximation with continuity correction. */
  p: number | null;
  /** Effect size r = |z| / √N. */
  r: number | null;
  /** Rank-biserial correlation (u1 − u2) / (n1·n2), in −1..1; positive when the first group tends to be higher. */
  rankBiserial: number;
}

function checkGroup(name: string, values: readonly number[]): void {
  for (const x of values) assertFinite(`${name} value`, x);
}

/** Mann–Whitney U test (Wilcoxon rank-sum) for two independent groups. Returns null when either group is empty. */
export function mannWhitneyU(group1: readonly number[], group2: readonly number[]): MannWhitneyResult | null {
  checkGroup('group1', group1);
  checkGroup('group2', group2);
  const n1 = group1.length;
  const n2 = group2.length;
  if (n1 === 0 || n2 === 0) return null;
  const n = n1 + n2;
  const { ranks, tieTerm } = midRanks([...group1, ...group2]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number;
  const r2 = (n * (n + 1)) / 2 - r1;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const base = { n1, n2, u1, u2, meanRank1: r1 / n1, meanRank2: r2 / n2, rankBiserial: (u1 - u2) / (n1 * n2) };
  if (!(variance > 1e-12)) return { ...base, z: null, p: null, r: null };
  const sigma = Math.sqrt(variance);
  const z = (Math.sign(u1 - mu) * Math.max(Math.abs(u1 - mu) - 0.5, 0)) / sigma;
  const p = Math.min(1, normalTwoSidedP(z));
  return { ...base, z, p, r: Math.abs(z) / Math.sqrt(n) };
}

export interface KruskalWallisResult {
  /** Non-empty groups compared (empty groups are left out). */
  k: number;
  /** Total observations. */
  n: number;
  /** Size and mean rank of each input group, in input order; meanRank is null for an empty group. */
  groups: { n: number; meanRank: number | null }[];
  /** Tie-corrected H = [12/(N(N+1)) Σ Rᵢ²/nᵢ − 3(N+1)] / [1 − Σ(t³−t)/(N³−N)]; null when every value is tied. */
  h: number | null;
  df: number;
  /** P(χ²(df) ≥ H); null with h. */
  p: number | null;
  /** ε² = H / (N − 1); null with h. */
  epsilonSquared: number | null;
}

/** Kruskal–Wallis H test for k independent groups. Returns null when fewer than two groups have values. */
export function kruskalWallis(groups: readonly (readonly number[])[]): KruskalWallisResult | null {
  groups.forEach((g, i) => checkGroup(`group ${i + 1}`, g));
  const nonEmpty = groups.filter((g) => g.length > 0);
  const k = nonEmpty.length;
  if (k < 2) return null;
  const pooled = groups.flat();
  const n = pooled.length;
  const { ranks, tieTerm } = midRanks(pooled);
  let offset = 0;
  let sumOfSquaredRankSums = 0;
  const summary = groups.map((g) => {
    let rankSum = 0;
    for (let i = 0; i < g.length; i++) rankSum += ranks[offset + i] as number;
    offset += g.length;
    if (g.length > 0) sumOfSquaredRankSums += (rankSum * rankSum) / g.length;
    return { n: g.length, meanRank: g.length > 0 ? rankSum / g.length : null };
  });
  const df = k - 1;
  const correction = 1 - tieTerm / (n * n * n - n);
  if (!(correction > 1e-12)) return { k, n, groups: summary, h: null, df, p: null, epsilonSquared: null };
  const h = Math.max(0, ((12 / (n * (n + 1))) * sumOfSquaredRankSums - 3 * (n + 1)) / correction);
  return { k, n, groups: summary, h, df, p: chiSquareSf(h, df), epsilonSquared: h / (n - 1) };
}
