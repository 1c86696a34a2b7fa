// Reference values: Newcombe RG (1998) "Two-sided confidence intervals for the single proportion", Stat Med 17:857–872,
// Table I, method 3 (Wilson score without continuity correction), printed to 4 decimals; more digits from the
// closed form evaluated independently in Python (numpy) with z = 1.96.
import { expect } from 'chai';
import fc from 'fast-check';
import { wilsonInterval } from '../../../server/analytics/stats/proportion.js';
import { must } from './helpers.js';

describe('stats: Wilson interval', () => {
  it('mid case 81/263 → 0.2553–0.3662 (Newcombe 1998)', () => {
    const r = must(wilsonInterval(81, 263));
    expect(r.p).to.be.closeTo(81 / 263, 1e-12);
    expect(r.low).to.be.closeTo(0.2552876130636696, 1e-9);
    expect(r.high).to.be.closeTo(0.36621068405342155, 1e-9);
  });

  it('15/148 → 0.0624–0.1605 and 1/29 → 0.0061–0.1718 (Newcombe 1998)', () => {
    const a = must(wilsonInterval(15, 148));
    expect(a.low).to.be.closeTo(0.06238584514033465, 1e-9);
    expect(a.high).to.be.closeTo(0.1604885186703734, 1e-9);
    const b = must(wilsonInterval(1, 29));
    expect(b.low).to.be.closeTo(0.006113056614032261, 1e-9);
    expect(b.high).to.be.closeTo(0.1717589106470025, 1e-9);
  });

  it('0/n has low = 0 exactly (Newcombe 1998: 0/20 → 0–0.1611)', () => {
    const r = must(wilsonInterval(0, 20));
    expect(r.p).to.equal(0);
    expect(r.low).to.equal(0);
    expect(r.high).to.be.closeTo(0.16113012549493322, 1e-9);
  });

  it('n/n has high = 1 exactly (29/29 → 0.8830–1, by symmetry with 0/29)', () => {
    const r = must(wilsonInterval(29, 29));
    expect(r.p).to.equal(1);
    expect(r.high).to.equal(1);
    expect(r.low).to.be.closeTo(0.8830264055344442, 1e-9);
    // symmetric: low(x/n) = 1 − high((n−x)/n)
    expect(r.low).to.be.closeTo(1 - must(wilsonInterval(0, 29)).high, 1e-12);
  });

  it('n = 1 gives a wide but valid interval (1/1 → 0.2065–1; numpy closed form)', () => {
    const r = must(wilsonInterval(1, 1));
    expect(r.low).to.be.closeTo(0.2065432914738929, 1e-9);
    expect(r.high).to.equal(1);
  });

  it('n = 0 returns null, not NaN', () => {
    expect(wilsonInterval(0, 0)).to.equal(null);
  });

  it('a larger z widens the interval', () => {
    const r95 = must(wilsonInterval(40, 100));
    const r99 = must(wilsonInterval(40, 100, 2.576));
    expect(r99.low).to.be.below(r95.low);
    expect(r99.high).to.be.above(r95.high);
  });

  it('rejects impossible input', () => {
    expect(() => wilsonInterval(5, 4)).to.throw(RangeError);
    expect(() => wilsonInterval(-1, 4)).to.throw(RangeError);
    expect(() => wilsonInterval(1.5, 4)).to.throw(RangeError);
    expect(() => wilsonInterval(1, 4, 0)).to.throw(RangeError);
  });
});

describe('stats: Wilson interval properties (fast-check)', () => {
  it('always lies in 0..1 and contains p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([x, n]) => {
          const r = must(wilsonInterval(x, n));
          return r.low >= 0 && r.high <= 1 && r.low <= r.p + 1e-12 && r.p <= r.high + 1e-12;
        },
      ),
    );
  });
});
