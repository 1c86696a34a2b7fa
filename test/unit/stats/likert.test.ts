// Reference values: the counts {1:5, 2:10, 3:20, 4:40, 5:25, NA:7} expanded to 100 raw scores in numpy/scipy 1.17.1:
// mean 3.7, np.std(ddof=1) = 1.1055415967851332, mean ∓ 1.96·scipy.stats.sem = 3.483313847030114 … 3.9166861529698864;
// Wilson (closed form, numpy) 65/100 → 0.5525426042919797–0.7363589534652197, 15/100 → 0.09305903191162296–0.23283733332157835.
import { expect } from 'chai';
import { likertSummary } from '../../../server/analytics/stats/likert.js';
import { must, near } from './helpers.js';

describe('stats: Likert item summary', () => {
  const r = likertSummary({ 1: 5, 2: 10, 3: 20, 4: 40, 5: 25, na: 7 });

  it('counts n without NA and reports NA apart', () => {
    expect(r.n).to.equal(100);
    expect(r.na).to.equal(7);
    expect(r.total).to.equal(107);
    expect(r.counts).to.deep.equal({ 1: 5, 2: 10, 3: 20, 4: 40, 5: 25 });
  });

  it('gives each level’s share of n (NA excluded)', () => {
    const d = must(r.distribution);
    expect([d[1], d[2], d[3], d[4], d[5]]).to.deep.equal([0.05, 0.1, 0.2, 0.4, 0.25]);
  });

  it('% agree = top two boxes and % disagree = bottom two, with Wilson intervals', () => {
    const agree = must(r.agree);
    expect(agree.p).to.be.closeTo(0.65, 1e-12);
    expect(agree.low).to.be.closeTo(0.5525426042919797, 1e-9);
    expect(agree.high).to.be.closeTo(0.7363589534652197, 1e-9);
    const disagree = must(r.disagree);
    expect(disagree.p).to.be.closeTo(0.15, 1e-12);
    expect(disagree.low).to.be.closeTo(0.09305903191162296, 1e-9);
    expect(disagree.high).to.be.closeTo(0.23283733332157835, 1e-9);
  });

  it('mean and SD of the 1–5 scores with mean ± 1.96·SE', () => {
    near(r.mean.mean, 3.7, 1e-12);
    near(r.mean.sd, 1.1055415967851332, 1e-9);
    near(r.mean.low, 3.483313847030114, 1e-9);
    near(r.mean.high, 3.9166861529698864, 1e-9);
  });

  it('missing levels count as 0; only NA answers → n = 0 and null figures', () => {
    const onlyNa = likertSummary({ na: 4 });
    expect(onlyNa.n).to.equal(0);
    expect(onlyNa.total).to.equal(4);
    expect(onlyNa.distribution).to.equal(null);
    expect(onlyNa.agree).to.equal(null);
    expect(onlyNa.disagree).to.equal(null);
    expect(onlyNa.mean.mean).to.equal(null);
    expect(likertSummary({}).n).to.equal(0);
  });

  it('all answers equal: 100% agree with high = 1, SD 0', () => {
    const all5 = likertSummary({ 5: 12 });
    expect(must(all5.agree).p).to.equal(1);
    expect(must(all5.agree).high).to.equal(1);
    expect(must(all5.disagree).low).to.equal(0);
    expect(all5.mean.sd).to.equal(0);
  });

  it('rejects unknown levels and bad counts', () => {
    expect(() => likertSummary({ 6: 1 } as never)).to.throw(RangeError);
    expect(() => likertSummary({ 3: -1 })).to.throw(RangeError);
  });
});
