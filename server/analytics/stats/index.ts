// Public API of the statistics module (pure functions, no I/O) and the rules for computing and rounding each figure.
/*
 * ROUNDING AND DEFINITIONS
 * ========================
 * Compute on unrounded numbers; round once, at display time, with the helpers in format.ts (decimal rounding,
 * half away from zero, of the shortest decimal form; locale decimal separator). A figure that does not exist
 * (null) is shown as "—". Never round an input to a later computation (e.g. an interval bound from a rounded mean).
 *
 * | Figure                               | How it is computed                                                                 | Display                          |
 * |--------------------------------------|------------------------------------------------------------------------------------|----------------------------------|
 * | Share / percentage (any option,      | successes / n, n = respondents who answered the item (NA excluded for Likert).      | percent, 1 decimal: "45.3%"      |
 * |   % agree, % disagree, distribution) | 95% Wilson score interval, z = 1.96, no continuity correction; null when n = 0.     | bounds too: "39.8–51.0%"         |
 * | % agree / % disagree (Likert 1–5)    | (count 4 + count 5) / n and (count 1 + count 2) / n; NA reported apart as a count.  | percent, 1 decimal               |
 * | Multiple-choice share                | respondents choosing the option / respondents who chose anything; may sum > 100%.   | percent, 1 decimal               |
 * | Rating (any integer range min–max)   | distribution over its points and mean ± 1.96·SE, n = answers on the points (NA apart);| as shares and means              |
 * |                                      | matrices with other than five columns are analysed the same way on 1–N.            |                                  |
 * | Mean, SD, SE, mean interval          | mean = Σx/n; SD with divisor n − 1; SE = SD/√n; interval mean ± 1.96·SE (normal     | 2 decimals: "3.46"               |
 * |                                      | approximation, as reported in the field); SD and interval null when n < 2.         |                                  |
 * | NPS                                  | 100·(share 9–10 − share 0–6), −100..100; SE = 100·√((pP(1−pP)+pD(1−pD)+2pPpD)/n);  | points, 1 decimal: "12.3"        |
 * |                                      | interval NPS ± 1.96·SE clipped to −100..100; null when n = 0.                       |                                  |
 * | Cronbach's alpha                     | k/(k−1)·(1 − Σ var(item)/var(total)), sample variances, reverse items as            | 2 decimals, with its n           |
 * |                                      | (min + max) − x on the item's range (6 − x on 1–5; one range per scale),            |                                  |
 * |                                      | listwise deletion (n used reported); null when k < 2, n < 2 or var(total) = 0.      |                                  |
 * | Scale index (per respondent)         | mean of the answered items after reverse scoring; null if fewer than half answered. | 2 decimals (as a mean)           |
 * | Mann–Whitney U                       | U of group 1 (ties ½); z with tie-corrected σ and continuity correction ½;          | U: 1 decimal; z: 2 decimals      |
 * |                                      | two-sided normal p; r = |z|/√N; rank-biserial = (U1 − U2)/(n1·n2).                 | r, rank-biserial: 2 decimals     |
 * | Kruskal–Wallis H                     | tie-corrected H, df = k − 1, p = P(χ²(df) ≥ H); ε² = H/(N − 1); empty groups left   | H, ε²: 2 decimals; df integer    |
 * |                                      | out; null statistic when all values tie.                                          |                                  |
 * | Chi-square independence              | Pearson Σ(O−E)²/E, no continuity correction, df = (r−1)(c−1) after dropping empty   | χ², V: 2 decimals; df integer    |
 * |                                      | rows/columns; Cramér's V = √(χ²/(n·min(r−1, c−1))); flag when any E < 5.           | flag shown as a footnote         |
 * | p-value (every test)                 | from distributions.ts (normal tail / regularised incomplete gamma, ~1e-14).        | 3 decimals: "0.046"; below 0.001 |
 * |                                      |                                                                                    | "< 0.001"                        |
 * | Counts (n, option counts, NA)        | whole numbers.                                                                     | integer                          |
 */

export { wilsonInterval, type ProportionInterval } from './proportion.js';
export { meanInterval, meanIntervalFromSums, type MeanInterval } from './mean.js';
export { likertSummary, LIKERT_LEVELS, type LikertCounts, type LikertLevel, type LikertSummary } from './likert.js';
export { netPromoterScore, type NpsCounts, type NpsResult } from './nps.js';
export {
  singleChoiceShares,
  multipleChoiceShares,
  tallySingleChoice,
  tallyMultipleChoice,
  type ChoiceShare,
  type ChoiceShares,
  type OptionCounts,
} from './choices.js';
export { cronbachAlpha, scaleIndex, scaleIndices, type AlphaResult, type ItemAnswers, type ScaleOptions } from './alpha.js';
export { mannWhitneyU, kruskalWallis, type MannWhitneyResult, type KruskalWallisResult } from './rank-tests.js';
export { midRanks, type Ranking } from './ranks.js';
export { chiSquareIndependence, type ChiSquareResult } from './chi-square.js';
export { mannWhitneyFromCounts, kruskalWallisFromCounts } from './rank-counts.js';
export { ScaleAccumulator } from './alpha-stream.js';
export { lnGamma, regularizedGammaP, regularizedGammaQ, normalCdf, normalSf, normalTwoSidedP, chiSquareSf } from './distributions.js';
export { roundTo, formatPercent, formatPoints, formatMean, formatStatistic, formatP, MISSING } from './format.js';
