import { expect } from 'chai';
import fc from 'fast-check';
import { unitIncrements } from '../../server/analytics/aggregates/increments.js';
import { scaleKey, scaleMembers } from '../../server/analytics/item-figures.js';
import { ScaleAccumulator } from '../../server/analytics/stats/index.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { loadLibrary } from '../../server/instruments/library.js';

describe('scale counters on the write path', () => {
  it("property: one response's scale counters are the accumulator's statistics of that response", () => {
    const definitions = loadLibrary().filter((d) => scaleMembers(d).length > 0);
    expect(definitions.length).to.be.greaterThan(2);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: definitions.length - 1 }), fc.integer(), fc.double({ min: 1, max: 5, noNaN: true }), (which, seed, climate) => {
        const def = definitions[which]!;
        const answers = syntheticAnswers(def, seededRandom(seed), climate);
        const inc = unitIncrements(def, answers);
        for (const scale of scaleMembers(def)) {
          const acc = new ScaleAccumulator(scale.members.length, scale.reversed, scale.reflect);
          const values = scale.members.map((m) => (typeof answers[m.id] === 'number' ? (answers[m.id] as number) : null));
          if (values.some((v) => v !== null)) acc.add(values);
          const expected = Object.fromEntries(Object.entries(acc.toCounters()).filter(([, v]) => v !== 0));
          const prefix = `items.${scaleKey(scale.id)}.`;
          const got = Object.fromEntries([...inc].filter(([path, v]) => path.startsWith(prefix) && v !== 0).map(([path, v]) => [path.slice(prefix.length), v]));
          expect(got, scale.id).to.deep.equal(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
