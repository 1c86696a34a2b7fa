// Reference values: scipy 1.17.1 (scipy.stats.norm.cdf / norm.sf, scipy.stats.chi2.sf, scipy.special.gammaincc / gammaln).
import { expect } from 'chai';
import {
  chiSquareSf,
  lnGamma,
  normalCdf,
  normalSf,
  normalTwoSidedP,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../../server/analytics/stats/distributions.js';

/** |actual − expected| within a relative tolerance (absolute near zero). */
function rel(actual: number, expected: number, tol = 1e-9): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.at.most(tol * Math.max(Math.abs(expected), 1e-300));
}

describe('stats: distributions', () => {
  it('lnGamma matches scipy.special.gammaln', () => {
    // scipy.special.gammaln(0.5) = 0.5723649429247 (= ln √π), gammaln(1) = 0, gammaln(1.5), gammaln(10) = ln 9!, gammaln(100.5)
    expect(lnGamma(0.5)).to.be.closeTo(0.5723649429247001, 1e-13);
    expect(lnGamma(1)).to.be.closeTo(0, 1e-13);
    expect(lnGamma(1.5)).to.be.closeTo(-0.12078223763524526, 1e-13);
    expect(lnGamma(10)).to.be.closeTo(Math.log(362880), 1e-12);
    rel(lnGamma(100.5), 361.43554046777757, 1e-13);
    expect(() => lnGamma(0)).to.throw(RangeError);
  });

  it('regularised incomplete gamma matches scipy.special.gammaincc', () => {
    // scipy.special.gammaincc(a, x)
    rel(regularizedGammaQ(0.5, 0.1), 0.6547208460185768);
    rel(regularizedGammaQ(2.5, 3), 0.30621891841327875);
    rel(regularizedGammaQ(10, 4), 0.9918677572030661);
    rel(regularizedGammaQ(10, 20), 0.0049954123083075785);
    rel(regularizedGammaQ(0.5, 40), 3.744097384202887e-19, 1e-8);
    rel(regularizedGammaP(10, 4), 1 - 0.9918677572030661);
    expect(regularizedGammaQ(3, 0)).to.equal(1);
    expect(regularizedGammaP(3, 0)).to.equal(0);
    expect(regularizedGammaQ(3, Infinity)).to.equal(0);
  });

  it('normal CDF and tails match scipy.stats.norm to 1e-9 relative, including far tails', () => {
    // scipy.stats.norm.cdf(x) for x = -8, -3, -1.96, -0.5, 0, 0.5, 1, 1.96, 3, 5, 8
    const cdf: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-3, 0.0013498980316300933],
      [-1.96, 0.024997895148220435],
      [-0.5, 0.3085375387259869],
      [0, 0.5],
      [0.5, 0.6914624612740131],
      [1, 0.8413447460685429],
      [1.96, 0.9750021048517795],
      [3, 0.9986501019683699],
      [5, 0.9999997133484281],
    ];
    for (const [x, expected] of cdf) rel(normalCdf(x), expected);
    // scipy.stats.norm.sf(5) = 2.866515718791933e-07, norm.sf(8) = 6.22096057427174e-16
    rel(normalSf(5), 2.866515718791933e-7);
    rel(normalSf(8), 6.22096057427174e-16);
    // two-sided: 2 · norm.sf(1.96) = 0.04999579029644087
    rel(normalTwoSidedP(1.96), 2 * 0.024997895148220435);
    rel(normalTwoSidedP(-1.96), 2 * 0.024997895148220435);
    expect(normalCdf(Infinity)).to.equal(1);
    expect(normalCdf(-Infinity)).to.equal(0);
  });

  it('chi-square survival function matches scipy.stats.chi2.sf', () => {
    // scipy.stats.chi2.sf(x, df)
    const cases: [number, number, number][] = [
      [0.5, 1, 0.47950012218695337],
      [3.841458820694124, 1, 0.04999999999999989],
      [10, 1, 0.001565402258002549],
      [30.07, 2, 2.9538093752232107e-7],
      [5, 3, 0.1717971442967335],
      [20, 10, 0.029252688076961124],
      [100, 50, 3.454931382984871e-5],
      [0.001, 4, 0.9999998750416589],
      [60, 4, 2.9008631203404573e-12],
      [200, 30, 4.9527335290032224e-27],
    ];
    for (const [x, df, expected] of cases) rel(chiSquareSf(x, df), expected, 1e-8);
    expect(chiSquareSf(0, 3)).to.equal(1);
    expect(() => chiSquareSf(1, 0)).to.throw(RangeError);
  });
});
