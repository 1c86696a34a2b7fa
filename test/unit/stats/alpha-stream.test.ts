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

  it('gives the same alpha and index from the summed counters of one accumulator per respondent (the aggregates path)', () => {
    const answer = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.array(answer, { minLength: k, maxLength: k }), { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: k, maxLength: k }))), ([k, rows, rev]) => {
        const whole = new ScaleAccumulator(k, rev);
        const summed: Record<string, number> = {};
        for (const row of rows) {
          whole.add(row);
          const one = new ScaleAccumulator(k, rev);
          one.add(row);
          for (const [name, value] of Object.entries(one.toCounters())) summed[name] = (summed[name] ?? 0) + value;
        }
        const rebuilt = ScaleAccumulator.fromCounters(k, summed);
        expect(rebuilt.respondents).to.equal(whole.respondents);
        expect(rebuilt.alpha().n).to.equal(whole.alpha().n);
        expect(rebuilt.alpha().excluded).to.equal(whole.alpha().excluded);
        const [a, b] = [rebuilt.alpha().alpha, whole.alpha().alpha];
        if (b === null) expect(a).to.equal(null);
        else expect(a).to.be.closeTo(b, 1e-9);
        expect(rebuilt.index().n).to.equal(whole.index().n);
        if (whole.index().mean !== null) expect(rebuilt.index().mean).to.be.closeTo(whole.index().mean!, 1e-9);
      }),
    );
  });
});
