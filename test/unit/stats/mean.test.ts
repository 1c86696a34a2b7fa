// Reference values: numpy/scipy 1.17.1 — for v = [3,4,5,4,2,5,4,3,3,1]: np.mean = 3.4, np.std(ddof=1) = 1.2649110640673518,
// scipy.stats.sem = 0.4, interval 3.4 ∓ 1.96·0.4 = 2.616 … 4.184 (exact by hand).
import { expect } from 'chai';
import { meanInterval, meanIntervalFromSums } from '../../../server/analytics/stats/mean.js';
import { near } from './helpers.js';

const V = [3, 4, 5, 4, 2, 5, 4, 3, 3, 1];

describe('stats: mean interval', () => {
  it('computes mean, sample SD, SE and mean ± 1.96·SE from raw values', () => {
    const r = meanInterval(V);
    expect(r.n).to.equal(10);
    near(r.mean, 3.4, 1e-12);
    near(r.sd, 1.2649110640673518, 1e-12);
    near(r.se, 0.4, 1e-12);
    near(r.low, 2.616, 1e-12);
    near(r.high, 4.184, 1e-12);
  });

  it('gives the same figures from sufficient statistics (n, Σx, Σx²)', () => {
    const sum = V.reduce((s, x) => s + x, 0); // 34
    const sumOfSquares = V.reduce((s, x) => s + x * x, 0); // 130
    const r = meanIntervalFromSums(10, sum, sumOfSquares);
    near(r.mean, 3.4, 1e-12);
    near(r.sd, 1.2649110640673518, 1e-12);
    near(r.low, 2.616, 1e-12);
    near(r.high, 4.184, 1e-12);
  });

  it('skips null (missing) values in the raw form', () => {
    const r = meanInterval([null, ...V, null]);
    expect(r.n).to.equal(10);
    near(r.mean, 3.4, 1e-12);
  });

  it('stays accurate with a large offset (two-pass): [1e9+1, 1e9+2, 1e9+3] → SD 1 (numpy)', () => {
    const r = meanInterval([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    near(r.mean, 1e9 + 2, 1e-6);
    near(r.sd, 1, 1e-9);
  });

  it('n = 0: everything null', () => {
    expect(meanInterval([])).to.deep.equal({ n: 0, mean: null, sd: null, se: null, low: null, high: null });
    expect(meanIntervalFromSums(0, 0, 0)).to.deep.equal({ n: 0, mean: null, sd: null, se: null, low: null, high: null });
  });

  it('n = 1: a mean but no SD or interval', () => {
    expect(meanInterval([4])).to.deep.equal({ n: 1, mean: 4, sd: null, se: null, low: null, high: null });
    expect(meanIntervalFromSums(1, 4, 16)).to.deep.equal({ n: 1, mean: 4, sd: null, se: null, low: null, high: null });
  });

  it('all values equal: SD 0 and a zero-width interval (never NaN)', () => {
    const r = meanInterval([3, 3, 3, 3]);
    expect(r).to.deep.equal({ n: 4, mean: 3, sd: 0, se: 0, low: 3, high: 3 });
    // Σx² − (Σx)²/n can round to a tiny negative: taken as 0
    const s = meanIntervalFromSums(3, 0.3, 0.03);
    near(s.sd, 0, 1e-8);
  });

  it('rejects non-finite values and impossible sums', () => {
    expect(() => meanInterval([1, NaN])).to.throw(RangeError);
    expect(() => meanIntervalFromSums(2, 3, -1)).to.throw(RangeError);
    expect(() => meanIntervalFromSums(1.5, 3, 5)).to.throw(RangeError);
  });
});
