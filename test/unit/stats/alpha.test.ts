// Reference values: Cronbach's alpha computed in Python (numpy) two independent ways that agree —
// k/(k−1)·(1 − Σ var(item, ddof=1) / var(total, ddof=1)) and k/(k−1)·(1 − trace(C)/ΣC) with C = np.cov(X, rowvar=False):
// the 8 × 4 matrix X below → 0.9415584415584416 (= 145/154 exactly); the 4 × 2 matrix Y → −45.333333333333… (= −136/3).
import { expect } from 'chai';
import { cronbachAlpha, scaleIndex, scaleIndices } from '../../../server/analytics/stats/alpha.js';
import { near } from './helpers.js';

const X = [
  [4, 5, 4, 3],
  [3, 4, 3, 3],
  [5, 5, 4, 5],
  [2, 3, 2, 2],
  [4, 4, 5, 4],
  [3, 3, 3, 4],
  [5, 4, 5, 5],
  [1, 2, 2, 1],
];

describe('stats: Cronbach’s alpha and scale indices', () => {
  it('matches the direct formula on a small known data set', () => {
    const r = cronbachAlpha(X);
    near(r.alpha, 145 / 154, 1e-12);
    expect([r.k, r.n, r.excluded]).to.deep.equal([4, 8, 0]);
  });

  it('scores reverse-worded items as 6 − x before computing', () => {
    const stored = X.map((row) => row.map((x, i) => (i === 1 ? 6 - x : x)));
    near(cronbachAlpha(stored, { reversed: [1] }).alpha, 145 / 154, 1e-12);
    // without reversing, the stored data give a much lower alpha (numpy: 0.44607843137254877)
    near(cronbachAlpha(stored).alpha, 0.44607843137254877, 1e-12);
  });

  it('uses listwise deletion and reports the n used', () => {
    const r = cronbachAlpha([...X, [3, null, 4, 4], [2, 2, 3]]);
    near(r.alpha, 145 / 154, 1e-12);
    expect([r.k, r.n, r.excluded]).to.deep.equal([4, 8, 2]);
  });

  it('can be negative (inconsistent items): −136/3 on a 2-item example', () => {
    near(cronbachAlpha([[1, 5], [2, 4], [3, 4], [5, 1]]).alpha, -136 / 3, 1e-9);
  });

  it('is null when the total has zero variance, with fewer than 2 items or fewer than 2 complete respondents', () => {
    expect(cronbachAlpha([[3, 3, 3], [3, 3, 3], [3, 3, 3]]).alpha).to.equal(null);
    expect(cronbachAlpha([[1, 5], [5, 1], [2, 4]]).alpha).to.equal(null); // totals all 6
    expect(cronbachAlpha([[1], [2], [3]]).alpha).to.equal(null);
    expect(cronbachAlpha([[1, 2, 3]]).alpha).to.equal(null);
    expect(cronbachAlpha([]).alpha).to.equal(null);
    expect(cronbachAlpha([[1, null], [null, 2]])).to.deep.equal({ alpha: null, k: 2, n: 0, excluded: 2 });
  });

  it('rejects answers off the scale and reversed indexes that are not items', () => {
    expect(() => cronbachAlpha([[1, 6], [2, 3]])).to.throw(RangeError);
    expect(() => cronbachAlpha(X, { reversed: [4] })).to.throw(RangeError);
    expect(cronbachAlpha([[1, 7], [2, 6], [4, 4]], { min: 1, max: 7 }).k).to.equal(2);
  });

  it('scale index: mean of answered items after reverse scoring (by hand)', () => {
    // [5 reversed → 1, 4, 3, missing] → (1 + 4 + 3)/3
    near(scaleIndex([5, 4, 3, null], { reversed: [0] }), 8 / 3, 1e-12);
    // exactly half answered is enough: [4, missing, 2 reversed → 4, missing] → 4
    near(scaleIndex([4, null, 2, null], { reversed: [2] }), 4, 1e-12);
  });

  it('scale index: null when fewer than half the items are answered', () => {
    expect(scaleIndex([4, null, null, null])).to.equal(null);
    expect(scaleIndex([4, null, null, null, 5])).to.equal(null); // 2 of 5 < half
    expect(scaleIndex([])).to.equal(null);
  });

  it('scale indices for a matrix, short rows counting as missing answers', () => {
    expect(scaleIndices([[5, 4, 3, 2], [1, 2], [3]], { reversed: [3] })).to.deep.equal([4, 1.5, null]);
  });
});
