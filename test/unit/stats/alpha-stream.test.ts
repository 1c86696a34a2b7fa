import { expect } from 'chai';
import fc from 'fast-check';
import { cronbachAlpha, scaleIndices, meanInterval, ScaleAccumulator } from '../../../server/analytics/stats/index.js';

describe('stats: streaming alpha and scale index', () => {
  it('equals the matrix Cronbach alpha and index mean for random data with gaps and reversed items', () => {
    const answer = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.array(answer, { minLength: k, maxLength: k }), { minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { minLength: k, maxLength: k }))), ([k, rows, rev]) => {
        const acc = new ScaleAccumulator(k, rev);
        for (const row of rows) acc.add(row);
        const reversed = rev.flatMap((r, i) => (r ? [i] : []));
        const expected = cronbachAlpha(rows, { reversed });
        const got = acc.alpha();
        expect(got.n).to.equal(expected.n);
        if (expected.alpha === null) expect(got.alpha).to.equal(null);
        else expect(got.alpha).to.be.closeTo(expected.alpha, 1e-9);
        const indexMean = meanInterval(scaleIndices(rows, { reversed }));
        if (indexMean.mean === null) expect(acc.index().mean).to.equal(null);
        else expect(acc.index().mean).to.be.closeTo(indexMean.mean, 1e-9);
      }),
    );
  });
});
