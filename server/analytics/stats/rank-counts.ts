// Mann–Whitney and Kruskal–Wallis from counts per ordinal level (e.g. answers 1–5 of several groups),
// the same statistics as rank-tests.ts without expanding thousands of answers into arrays.
import { chiSquareSf, normalTwoSidedP } from './distributions.js';
import type { KruskalWallisResult, MannWhitneyResult } from './rank-tests.js';

/** counts[g][l] = answers of group g at level l (levels in ascending order). */
type LevelCounts = readonly (readonly number[])[];

function rankStructure(groups: LevelCounts) {
  const levels = Math.max(0, ...groups.map((g) => g.length));
  const totals = Array.from({ length: levels }, (_, l) => groups.reduce((s, g) => s + (g[l] ?? 0), 0));
  const n = totals.reduce((s, t) => s + t, 0);
  const midRank: number[] = [];
  let before = 0;
  let tieTerm = 0;
  for (const t of totals) {
    midRank.push(before + (t + 1) / 2);
    before += t;
    tieTerm += t * t * t - t;
  }
  const rankSums = groups.map((g) => g.reduce((s, c, l) => s + c * midRank[l]!, 0));
  const sizes = groups.map((g) => g.reduce((s, c) => s + c, 0));
  return { n, tieTerm, rankSums, sizes };
}

export function mannWhitneyFromCounts(a: readonly number[], b: readonly number[]): MannWhitneyResult | null {
  const { n, tieTerm, rankSums, sizes } = rankStructure([a, b]);
  const [n1, n2] = sizes as [number, number];
  if (n1 === 0 || n2 === 0) return null;
  const r1 = rankSums[0]!;
  const r2 = rankSums[1]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const base = { n1, n2, u1, u2, meanRank1: r1 / n1, meanRank2: r2 / n2, rankBiserial: (u1 - u2) / (n1 * n2) };
  if (!(variance > 1e-12)) return { ...base, z: null, p: null, r: null };
  const z = (Math.sign(u1 - mu) * Math.max(Math.abs(u1 - mu) - 0.5, 0)) / Math.sqrt(variance);
  return { ...base, z, p: Math.min(1, normalTwoSidedP(z)), r: Math.abs(z) / Math.sqrt(n) };
}

export function kruskalWallisFromCounts(groups: LevelCounts): KruskalWallisResult | null {
  const { n, tieTerm, rankSums, sizes } = rankStructure(groups);
  const k = sizes.filter((s) => s > 0).length;
  if (k < 2) return null;
  let sumSq = 0;
  const summary = sizes.map((size, i) => {
    if (size > 0) sumSq += (rankSums[i]! * rankSums[i]!) / size;
    return { n: size, meanRank: size > 0 ? rankSums[i]! / size : null };
  });
  const df = k - 1;
  const correction = 1 - tieTerm / (n * n * n - n);
  if (!(correction > 1e-12)) return { k, n, groups: summary, h: null, df, p: null, epsilonSquared: null };
  const h = Math.max(0, ((12 / (n * (n + 1))) * sumSq - 3 * (n + 1)) / correction);
  return { k, n, groups: summary, h, df, p: chiSquareSf(h, df), epsilonSquared: h / (n - 1) };
}
