// Net Promoter Score from 0–10 answer counts, with a Wald interval from the multinomial variance of pP − pD.
import { assertCount, assertZ } from './validate.js';

/** Counts indexed by score 0..10: an array of 11 numbers or an object with keys "0".."10"; a missing score counts 0. */
export type NpsCounts = Readonly<Partial<Record<number, number>>> | readonly number[];

export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Shares on the 0..1 scale. */
  promoterShare: number;
  passiveShare: number;
  detractorShare: number;
  /** 100 · (promoterShare − detractorShare), on −100..100. */
  nps: number;
  /** Standard error on the −100..100 scale: 100 · √((pP(1−pP) + pD(1−pD) + 2·pP·pD)/n). */
  se: number;
  /** nps ∓ z·se, clipped to −100..100. */
  low: number;
  high: number;
}

/** NPS = %promoters (9–10) − %detractors (0–6). Returns null when n = 0. */
export function netPromoterScore(counts: NpsCounts, z = 1.96): NpsResult | null {
  assertZ(z);
  const byScore = counts as Readonly<Record<string, number | undefined>>;
  for (const key of Object.keys(byScore)) {
    if (!/^(?:[0-9]|10)$/.test(key)) throw new RangeError(`NPS scores run from 0 to 10 (got key "${key}")`);
  }
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (let score = 0; score <= 10; score++) {
    const c = byScore[String(score)] ?? 0;
    assertCount(`count of score ${score}`, c);
    if (score >= 9) promoters += c;
    else if (score >= 7) passives += c;
    else detractors += c;
  }
  const n = promoters + passives + detractors;
  if (n === 0) return null;
  const pP = promoters / n;
  const pD = detractors / n;
  const variance = (pP * (1 - pP) + pD * (1 - pD) + 2 * pP * pD) / n;
  const nps = 100 * (pP - pD);
  const se = 100 * Math.sqrt(Math.max(0, variance));
  return {
    n,
    promoters,
    passives,
    detractors,
    promoterShare: pP,
    passiveShare: passives / n,
    detractorShare: pD,
    nps,
    se,
    low: Math.max(-100, nps - z * se),
    high: Math.min(100, nps + z * se),
  };
}
