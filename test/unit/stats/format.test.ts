// Display rounding rules from server/analytics/stats/index.ts; expected strings worked out by hand.
import { expect } from 'chai';
import { formatMean, formatP, formatPercent, formatPoints, MISSING, roundTo } from '../../../server/analytics/stats/format.js';

describe('stats: display rounding', () => {
  it('rounds half away from zero on the decimal value, not the binary one', () => {
    expect(roundTo(1.005, 2)).to.equal(1.01); // Math.round(1.005 * 100) / 100 gives 1
    expect(roundTo(0.0455, 3)).to.equal(0.046);
    expect(roundTo(-2.5, 0)).to.equal(-3);
    expect(roundTo(-0.00001, 2)).to.equal(0); // never −0
    expect(roundTo(1e-7, 3)).to.equal(0);
    expect(roundTo(123.456, 1)).to.equal(123.5);
  });

  it('percentages to 1 decimal with the locale’s sign and separator', () => {
    expect(formatPercent(0.4532)).to.equal('45.3%');
    expect(formatPercent(0.12345)).to.equal('12.3%');
    expect(formatPercent(0.00045)).to.equal('0.0%');
    expect(formatPercent(1)).to.equal('100.0%');
    expect(formatPercent(0.4532, 'ru')).to.match(/^45,3\s?%$/);
    expect(formatPercent(null)).to.equal(MISSING);
  });

  it('means to 2 decimals, NPS points to 1 decimal', () => {
    expect(formatMean(3.456)).to.equal('3.46');
    expect(formatMean(3.7)).to.equal('3.70');
    expect(formatMean(-0.001)).to.equal('0.00');
    expect(formatMean(2.675, 'kk')).to.equal('2,68');
    expect(formatPoints(-12.35)).to.equal('-12.4');
    expect(formatMean(null)).to.equal(MISSING);
  });

  it('p to 3 decimals, "< 0.001" below 0.001', () => {
    expect(formatP(0.04549)).to.equal('0.045');
    expect(formatP(0.0455)).to.equal('0.046');
    expect(formatP(0.001)).to.equal('0.001');
    expect(formatP(0.00099)).to.equal('< 0.001');
    expect(formatP(2.95e-7)).to.equal('< 0.001');
    expect(formatP(1)).to.equal('1.000');
    expect(formatP(0.0004, 'ru')).to.equal('< 0,001');
    expect(formatP(null)).to.equal(MISSING);
  });
});
