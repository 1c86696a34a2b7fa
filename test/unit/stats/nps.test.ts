// Reference values: counts for scores 0..10 = [2,1,0,3,2,5,7,10,20,25,25] (n = 100): promoters 50, passives 30,
// detractors 20 → NPS = 30 (by hand). SE computed in Python two ways that agree: the brief's formula
// 100·√((pP(1−pP) + pD(1−pD) + 2pPpD)/n) = 7.810249675906656, and 100·√(var(s, ddof=0)/n) of the per-respondent
// score s ∈ {+1, 0, −1} (numpy); interval 30 ∓ 1.96·7.8102… = 14.691910635222955 … 45.30808936477705.
import { expect } from 'chai';
import { netPromoterScore } from '../../../server/analytics/stats/nps.js';
import { must } from './helpers.js';

describe('stats: Net Promoter Score', () => {
  it('computes NPS and its interval for a known distribution (array input)', () => {
    const r = must(netPromoterScore([2, 1, 0, 3, 2, 5, 7, 10, 20, 25, 25]));
    expect(r.n).to.equal(100);
    expect([r.promoters, r.passives, r.detractors]).to.deep.equal([50, 30, 20]);
    expect(r.promoterShare).to.equal(0.5);
    expect(r.passiveShare).to.equal(0.3);
    expect(r.detractorShare).to.equal(0.2);
    expect(r.nps).to.be.closeTo(30, 1e-12);
    expect(r.se).to.be.closeTo(7.810249675906656, 1e-9);
    expect(r.low).to.be.closeTo(14.691910635222955, 1e-9);
    expect(r.high).to.be.closeTo(45.30808936477705, 1e-9);
  });

  it('accepts an object keyed by score, missing scores counting 0', () => {
    const r = must(netPromoterScore({ 10: 3, 8: 1, 0: 1 }));
    expect(r.n).to.equal(5);
    expect(r.nps).to.be.closeTo(40, 1e-12); // (3 − 1)/5 by hand
  });

  it('all promoters: NPS 100 with a zero-width interval; all detractors: −100', () => {
    const top = must(netPromoterScore({ 9: 4, 10: 6 }));
    expect([top.nps, top.se, top.low, top.high]).to.deep.equal([100, 0, 100, 100]);
    const bottom = must(netPromoterScore({ 0: 2, 6: 3 }));
    expect([bottom.nps, bottom.low, bottom.high]).to.deep.equal([-100, -100, -100]);
  });

  it('clips the interval to −100..100', () => {
    const r = must(netPromoterScore({ 10: 3, 0: 1 })); // NPS 50, SE large
    expect(r.high).to.be.at.most(100);
    expect(r.low).to.be.at.least(-100);
  });

  it('n = 0 returns null', () => {
    expect(netPromoterScore({})).to.equal(null);
    expect(netPromoterScore([0, 0, 0])).to.equal(null);
  });

  it('rejects scores outside 0..10 and bad counts', () => {
    expect(() => netPromoterScore({ 11: 1 })).to.throw(RangeError);
    expect(() => netPromoterScore([1, -2])).to.throw(RangeError);
  });
});
