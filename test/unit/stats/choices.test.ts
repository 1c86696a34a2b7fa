// Reference values: Wilson intervals from the closed form evaluated in Python (numpy), z = 1.96:
// 12/50 → 0.14297252401872207–0.3741294937519236, 30/50 → 0.4618118910275937–0.7239181021375425,
// 8/50 → 0.08337321362087698–0.2851448096176598, 30/40 → 0.598057409330299–0.8581303210445048,
// 12/40 → 0.18074670915695293–0.45430310654320405, 0/40 → 0–0.08762453925039232.
import { expect } from 'chai';
import {
  multipleChoiceShares,
  singleChoiceShares,
  tallyMultipleChoice,
  tallySingleChoice,
} from '../../../server/analytics/stats/choices.js';
import { must } from './helpers.js';

describe('stats: choice shares', () => {
  it('single choice: shares of the respondents who answered, summing to 1', () => {
    const r = singleChoiceShares({ A: 12, B: 30, C: 8 });
    expect(r.n).to.equal(50);
    expect(r.options.map((o) => o.option)).to.deep.equal(['A', 'B', 'C']);
    const [a, b, c] = r.options.map((o) => must(o.share));
    expect(a?.p).to.equal(0.24);
    expect(a?.low).to.be.closeTo(0.14297252401872207, 1e-9);
    expect(a?.high).to.be.closeTo(0.3741294937519236, 1e-9);
    expect(b?.low).to.be.closeTo(0.4618118910275937, 1e-9);
    expect(b?.high).to.be.closeTo(0.7239181021375425, 1e-9);
    expect(c?.low).to.be.closeTo(0.08337321362087698, 1e-9);
    expect(c?.high).to.be.closeTo(0.2851448096176598, 1e-9);
    expect(r.options.reduce((s, o) => s + must(o.share).p, 0)).to.be.closeTo(1, 1e-12);
  });

  it('multiple choice: share of respondents choosing each option, denominator = respondents', () => {
    const r = multipleChoiceShares(new Map([['x', 30], ['y', 12], ['z', 0]]), 40);
    expect(r.n).to.equal(40);
    const [x, y, z] = r.options.map((o) => must(o.share));
    expect(x?.p).to.equal(0.75);
    expect(x?.low).to.be.closeTo(0.598057409330299, 1e-9);
    expect(x?.high).to.be.closeTo(0.8581303210445048, 1e-9);
    expect(y?.low).to.be.closeTo(0.18074670915695293, 1e-9);
    expect(y?.high).to.be.closeTo(0.45430310654320405, 1e-9);
    expect(z?.low).to.equal(0);
    expect(z?.high).to.be.closeTo(0.08762453925039232, 1e-9);
  });

  it('n = 0: options listed with null shares', () => {
    const r = singleChoiceShares({ A: 0, B: 0 });
    expect(r.n).to.equal(0);
    expect(r.options.map((o) => o.share)).to.deep.equal([null, null]);
    expect(multipleChoiceShares({ A: 0 }, 0).options[0]?.share).to.equal(null);
  });

  it('rejects a multiple-choice count above the respondents', () => {
    expect(() => multipleChoiceShares({ A: 5 }, 4)).to.throw(RangeError);
    expect(() => singleChoiceShares({ A: -1 })).to.throw(RangeError);
  });

  it('tallies single-choice answers, listed options first with zeros kept', () => {
    const counts = tallySingleChoice(['b', null, 'a', 'b', 'other'], ['a', 'b', 'c']);
    expect([...counts]).to.deep.equal([['a', 1], ['b', 2], ['c', 0], ['other', 1]]);
  });

  it('tallies multiple-choice answers: empty or null = not answered, repeats within one answer count once', () => {
    const { counts, respondents } = tallyMultipleChoice([['a', 'b'], null, [], ['b', 'b'], ['c']], ['a', 'b', 'c', 'd']);
    expect(respondents).to.equal(3);
    expect([...counts]).to.deep.equal([['a', 1], ['b', 2], ['c', 1], ['d', 0]]);
    const r = multipleChoiceShares(counts, respondents);
    expect(must(r.options[1]?.share).p).to.be.closeTo(2 / 3, 1e-12);
  });
});
