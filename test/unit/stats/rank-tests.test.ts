// Reference values: scipy 1.17.1. Mann–Whitney: scipy.stats.mannwhitneyu(a, b, use_continuity=True,
// alternative='two-sided', method='asymptotic'); |z| = scipy.stats.norm.isf(p/2); mean ranks from scipy.stats.rankdata.
// Kruskal–Wallis: scipy.stats.kruskal (tie-corrected); ε² = H/(N−1).
import { expect } from 'chai';
import fc from 'fast-check';
import { kruskalWallis, mannWhitneyU } from '../../../server/analytics/stats/rank-tests.js';
import { midRanks } from '../../../server/analytics/stats/ranks.js';
import { must, near } from './helpers.js';

// Two groups of 5-point answers with many ties.
const A = [3, 4, 4, 5, 5, 5, 2, 4, 3, 5, 4, 4];
const B = [2, 3, 3, 4, 2, 1, 3, 3, 4, 2];

describe('stats: mid-ranks', () => {
  it('averages the ranks of tied values and sums t³ − t (scipy.stats.rankdata([3,1,3,2,3]) = [4,1,4,2,4])', () => {
    const { ranks, tieTerm } = midRanks([3, 1, 3, 2, 3]);
    expect(ranks).to.deep.equal([4, 1, 4, 2, 4]);
    expect(tieTerm).to.equal(24);
  });
});

describe('stats: Mann–Whitney U', () => {
  it('scipy documentation example (no ties): U = 17, asymptotic p = 0.11134688653314041', () => {
    // males = [19, 22, 16, 29, 24], females = [20, 11, 17, 12] (scipy.stats.mannwhitneyu docs)
    const r = must(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]));
    expect(r.u1).to.equal(17);
    expect(r.u2).to.equal(3);
    near(r.p, 0.11134688653314041, 1e-9);
  });

  it('with ties: U = 99.5, p = 0.007903367775237922, |z| = 2.65617035670821, r = 0.5662974228127277', () => {
    const r = must(mannWhitneyU(A, B));
    expect([r.n1, r.n2]).to.deep.equal([12, 10]);
    expect(r.u1).to.equal(99.5);
    expect(r.u2).to.equal(20.5);
    near(r.p, 0.007903367775237922, 1e-9);
    near(r.z, 2.65617035670821, 1e-9); // positive: group 1 tends higher
    near(r.r, 0.5662974228127277, 1e-9);
    // rank-biserial 2·U1/(n1n2) − 1 = 0.6583333…; mean ranks from rankdata
    expect(r.rankBiserial).to.be.closeTo(0.6583333333333334, 1e-12);
    expect(r.meanRank1).to.be.closeTo(14.791666666666666, 1e-12);
    expect(r.meanRank2).to.be.closeTo(7.55, 1e-12);
  });

  it('is symmetric: swapping the groups flips z and the rank-biserial, keeps p', () => {
    const ab = must(mannWhitneyU(A, B));
    const ba = must(mannWhitneyU(B, A));
    expect(ba.u1).to.equal(ab.u2);
    near(ba.z, -must(ab.z), 1e-12);
    near(ba.p, must(ab.p), 1e-12);
    expect(ba.rankBiserial).to.be.closeTo(-ab.rankBiserial, 1e-12);
  });

  it('identical distributions: z = 0 after continuity correction, p = 1', () => {
    const r = must(mannWhitneyU([1, 2, 3], [1, 2, 3]));
    expect(r.z).to.equal(0);
    expect(r.p).to.equal(1);
    expect(r.rankBiserial).to.equal(0);
  });

  it('all values equal: no test (z, p, r null; scipy would report p = 1 from a 0/0)', () => {
    const r = must(mannWhitneyU([3, 3, 3], [3, 3]));
    expect(r.u1).to.equal(3);
    expect([r.z, r.p, r.r]).to.deep.equal([null, null, null]);
    expect(r.rankBiserial).to.equal(0);
  });

  it('an empty group gives null', () => {
    expect(mannWhitneyU([], [1, 2])).to.equal(null);
    expect(mannWhitneyU([1], [])).to.equal(null);
    expect(() => mannWhitneyU([NaN], [1])).to.throw(RangeError);
  });
});

describe('stats: Kruskal–Wallis H', () => {
  it('scipy documentation example (ties across groups): H = 0.37837837837837834, p = 0.8276299132500708', () => {
    const r = must(kruskalWallis([[1, 3, 5, 7, 9], [2, 4, 6, 8, 10], [1, 3, 5, 7, 9]]));
    near(r.h, 0.37837837837837834, 1e-9);
    near(r.p, 0.8276299132500708, 1e-9);
    expect(r.df).to.equal(2);
  });

  it('with many ties: H = 9.248424117848579, p = 0.00981138278242132, ε² = 0.48675916409729364', () => {
    const r = must(kruskalWallis([[2, 3, 3, 4, 5, 5, 4], [1, 2, 2, 3, 3], [4, 5, 5, 5, 4, 3, 5, 4]]));
    expect([r.k, r.n, r.df]).to.deep.equal([3, 20, 2]);
    near(r.h, 9.248424117848579, 1e-9);
    near(r.p, 0.00981138278242132, 1e-9);
    near(r.epsilonSquared, 0.48675916409729364, 1e-9);
    expect(r.groups.map((g) => g.n)).to.deep.equal([7, 5, 8]);
    near(r.groups[0]?.meanRank, 10.857142857142858, 1e-12);
    near(r.groups[1]?.meanRank, 4.2, 1e-12);
    near(r.groups[2]?.meanRank, 14.125, 1e-12);
  });

  it('two groups: H equals z² of Mann–Whitney without continuity correction (scipy.stats.kruskal(A, B): H = 7.237304216867475, p = 0.007140411033145816)', () => {
    const r = must(kruskalWallis([A, B]));
    near(r.h, 7.237304216867475, 1e-9);
    near(r.p, 0.007140411033145816, 1e-9);
    expect(r.df).to.equal(1);
  });

  it('leaves empty groups out of k and df but keeps them in the group list', () => {
    const r = must(kruskalWallis([[1, 2, 3], [], [4, 5, 6]]));
    expect([r.k, r.df]).to.deep.equal([2, 1]);
    expect(r.groups[1]).to.deep.equal({ n: 0, meanRank: null });
    // scipy.stats.kruskal([1,2,3],[4,5,6]) → H = 3.857142857142854, p = 0.049534613435626915
    near(r.h, 3.857142857142854, 1e-9);
    near(r.p, 0.049534613435626915, 1e-9);
  });

  it('a single group (or none) gives null', () => {
    expect(kruskalWallis([[1, 2, 3]])).to.equal(null);
    expect(kruskalWallis([[1, 2], []])).to.equal(null);
    expect(kruskalWallis([])).to.equal(null);
  });

  it('all values equal: H, p and ε² null', () => {
    const r = must(kruskalWallis([[4, 4], [4, 4, 4]]));
    expect([r.h, r.p, r.epsilonSquared]).to.deep.equal([null, null, null]);
  });
});

describe('stats: rank test properties (fast-check)', () => {
  const likert = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 40 });

  it('Mann–Whitney: u1 + u2 = n1·n2, p in 0..1, rank-biserial in −1..1', () => {
    fc.assert(
      fc.property(likert, likert, (a, b) => {
        const r = must(mannWhitneyU(a, b));
        const pOk = r.p === null || (r.p >= 0 && r.p <= 1);
        return Math.abs(r.u1 + r.u2 - a.length * b.length) < 1e-9 && pOk && Math.abs(r.rankBiserial) <= 1;
      }),
    );
  });

  it('Kruskal–Wallis: H >= 0 and p in 0..1; group order does not matter', () => {
    fc.assert(
      fc.property(likert, likert, likert, (a, b, c) => {
        const r = must(kruskalWallis([a, b, c]));
        const s = must(kruskalWallis([c, a, b]));
        if (r.h === null) return s.h === null;
        return r.h >= 0 && r.p !== null && r.p >= 0 && r.p <= 1 && Math.abs(r.h - (s.h ?? NaN)) < 1e-9;
      }),
    );
  });
});
