// Reference values: scipy 1.17.1 — scipy.stats.chi2_contingency(table, correction=False) for χ², p, dof and
// expected_freq; scipy.stats.contingency.association(table, method='cramer') for Cramér's V. The first table is
// Agresti (2007) An Introduction to Categorical Data Analysis, Table 2.5 (gender × party identification): X² = 30.1, df = 2.
import { expect } from 'chai';
import { chiSquareIndependence } from '../../../server/analytics/stats/chi-square.js';
import { must } from './helpers.js';

describe('stats: chi-square test of independence', () => {
  it('Agresti (2007) Table 2.5: χ² = 30.070149095754672, df = 2, p = 2.9535891832117595e-07, V = 0.10443580235646777', () => {
    const r = must(chiSquareIndependence([[762, 327, 468], [484, 239, 477]]));
    expect(r.n).to.equal(2757);
    expect(r.statistic).to.be.closeTo(30.070149095754672, 1e-9);
    expect(r.df).to.equal(2);
    expect(r.p).to.be.closeTo(2.9535891832117595e-7, 1e-14);
    expect(r.cramersV).to.be.closeTo(0.10443580235646777, 1e-9);
    expect(r.lowExpected).to.equal(false);
    expect(r.cellsExpectedBelow5).to.equal(0);
  });

  it('3 × 3 with small expected counts: χ² = 14.647398773750986, p = 0.005491287173996078, V = 0.39061115007114955, flagged', () => {
    const r = must(chiSquareIndependence([[10, 4, 1], [6, 8, 2], [3, 5, 9]]));
    expect(r.statistic).to.be.closeTo(14.647398773750986, 1e-9);
    expect(r.df).to.equal(4);
    expect(r.p).to.be.closeTo(0.005491287173996078, 1e-9);
    expect(r.cramersV).to.be.closeTo(0.39061115007114955, 1e-9);
    expect(r.minExpected).to.be.closeTo(3.75, 1e-12); // min of expected_freq
    expect(r.cellsExpectedBelow5).to.equal(3); // (expected_freq < 5).sum()
    expect(r.shareExpectedBelow5).to.be.closeTo(3 / 9, 1e-12);
    expect(r.lowExpected).to.equal(true);
  });

  it('2 × 2 without Yates correction: χ² = 5.215686274509804, p = 0.022384010692177766, V = 0.3704792868174742', () => {
    const r = must(chiSquareIndependence([[12, 5], [7, 14]]));
    expect(r.statistic).to.be.closeTo(5.215686274509804, 1e-9);
    expect(r.p).to.be.closeTo(0.022384010692177766, 1e-9);
    expect(r.cramersV).to.be.closeTo(0.3704792868174742, 1e-9);
    expect(r.expected[0]?.[0]).to.be.closeTo((17 * 19) / 38, 1e-12);
  });

  it('drops all-zero rows and columns (same result as the table without them)', () => {
    const r = must(chiSquareIndependence([[12, 0, 5], [0, 0, 0], [7, 0, 14]]));
    expect(r.rows).to.deep.equal([0, 2]);
    expect(r.columns).to.deep.equal([0, 2]);
    expect(r.df).to.equal(1);
    expect(r.statistic).to.be.closeTo(5.215686274509804, 1e-9);
  });

  it('perfect independence: χ² = 0, p = 1, V = 0', () => {
    const r = must(chiSquareIndependence([[10, 20], [5, 10]]));
    expect(r.statistic).to.be.closeTo(0, 1e-12);
    expect(r.p).to.be.closeTo(1, 1e-12);
    expect(r.cramersV).to.be.closeTo(0, 1e-6);
  });

  it('fewer than two non-empty rows or columns, or no data, gives null', () => {
    expect(chiSquareIndependence([[3, 4, 5]])).to.equal(null);
    expect(chiSquareIndependence([[3], [4]])).to.equal(null);
    expect(chiSquareIndependence([[0, 0], [0, 0]])).to.equal(null);
    expect(chiSquareIndependence([])).to.equal(null);
  });

  it('rejects ragged tables and non-count cells', () => {
    expect(() => chiSquareIndependence([[1, 2], [3]])).to.throw(RangeError);
    expect(() => chiSquareIndependence([[1, 2.5], [3, 4]])).to.throw(RangeError);
  });
});
