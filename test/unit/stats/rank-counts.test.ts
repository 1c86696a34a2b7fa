import { expect } from 'chai';
import fc from 'fast-check';
import { kruskalWallis, kruskalWallisFromCounts, mannWhitneyFromCounts, mannWhitneyU } from '../../../server/analytics/stats/index.js';

const expand = (counts: number[]) => counts.flatMap((c, l) => Array.from({ length: c }, () => l + 1));
const close = (a: number | null, b: number | null) => (a === null ? b === null : b !== null && Math.abs(a - b) < 1e-9);

describe('stats: rank tests from level counts', () => {
  it('equal the array-based Mann–Whitney for random 5-level data', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { minLength: 5, maxLength: 5 }), fc.array(fc.nat(30), { minLength: 5, maxLength: 5 }), (a, b) => {
        const fromCounts = mannWhitneyFromCounts(a, b);
        const fromArrays = mannWhitneyU(expand(a), expand(b));
        if (!fromArrays) {
          expect(fromCounts).to.equal(null);
          return;
        }
        expect(fromCounts!.u1).to.be.closeTo(fromArrays.u1, 1e-9);
        expect(close(fromCounts!.p, fromArrays.p)).to.equal(true);
        expect(close(fromCounts!.z, fromArrays.z)).to.equal(true);
      }),
    );
  });

  it('equal the array-based Kruskal–Wallis for random groups', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(20), { minLength: 5, maxLength: 5 }), { minLength: 2, maxLength: 5 }), (groups) => {
        const fromCounts = kruskalWallisFromCounts(groups);
        const fromArrays = kruskalWallis(groups.map(expand));
        if (!fromArrays) {
          expect(fromCounts).to.equal(null);
          return;
        }
        expect(close(fromCounts!.h, fromArrays.h)).to.equal(true);
        expect(close(fromCounts!.p, fromArrays.p)).to.equal(true);
      }),
    );
  });
});
