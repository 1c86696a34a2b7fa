// Dates: the university's calendar day in its time zone (TIME_ZONE), and one written form per language on
// the server and in the browser (public/js/dates.js, which the charts use).
import { expect } from 'chai';
import { ConfigError, parseEnv } from '../../server/config.js';
import { DEFAULT_TIME_ZONE, endOfDay, formatDateTime, formatDay, formatDayRange, isTimeZone, localDay, setTimeZone, startOfDay, timeZone } from '../../server/lib/dates.js';

// A plain ES module for the browser: loaded by path so TypeScript does not try to type-check it.
const browserPath = '../../public/js/dates.js';
const browser = (await import(browserPath)) as { formatDay: (iso: string, lang: string) => string };

describe('university dates', () => {
  afterEach(() => setTimeZone(DEFAULT_TIME_ZONE));

  it('reads days in Asia/Almaty by default: 01.12.2026 starts at 19:00 UTC the day before', () => {
    expect(timeZone()).to.equal('Asia/Almaty');
    expect(startOfDay('2026-12-01').toISOString()).to.equal('2026-11-30T19:00:00.000Z');
    expect(endOfDay('2026-12-20').toISOString()).to.equal('2026-12-20T18:59:59.000Z');
    expect(localDay(new Date('2026-11-30T19:00:00Z'))).to.equal('2026-12-01');
    expect(localDay(new Date('2026-11-30T18:59:59Z'))).to.equal('2026-11-30');
  });

  it('follows another zone, daylight-saving changes included', () => {
    setTimeZone('Europe/Berlin');
    // Winter: UTC+1; summer: UTC+2 (the clocks go forward on 29 March 2026, back on 25 October 2026).
    expect(startOfDay('2026-01-15').toISOString()).to.equal('2026-01-14T23:00:00.000Z');
    expect(startOfDay('2026-07-15').toISOString()).to.equal('2026-07-14T22:00:00.000Z');
    expect(startOfDay('2026-03-29').toISOString()).to.equal('2026-03-28T23:00:00.000Z');
    expect(endOfDay('2026-03-29').toISOString()).to.equal('2026-03-29T21:59:59.000Z');
    expect(startOfDay('2026-10-26').toISOString()).to.equal('2026-10-25T23:00:00.000Z');
    setTimeZone('America/New_York');
    expect(localDay(new Date('2026-12-01T03:00:00Z'))).to.equal('2026-11-30');
    for (const day of ['2026-03-08', '2026-11-01', '2026-06-30']) expect(localDay(startOfDay(day))).to.equal(day);
  });

  it('writes a day one way per language, on the server and in the browser alike', () => {
    const days = ['2026-12-01', '2026-01-09', '2027-08-31', '2026-05-20'];
    const expected: Record<string, string[]> = {
      kk: ['01.12.2026', '09.01.2026', '31.08.2027', '20.05.2026'],
      ru: ['01.12.2026', '09.01.2026', '31.08.2027', '20.05.2026'],
      en: ['1 Dec 2026', '9 Jan 2026', '31 Aug 2027', '20 May 2026'],
    };
    for (const lang of ['kk', 'ru', 'en'] as const) {
      expect(days.map((d) => formatDay(d, lang))).to.deep.equal(expected[lang]);
      expect(days.map((d) => browser.formatDay(d, lang))).to.deep.equal(expected[lang]);
    }
    // An instant is first taken to the university's day and time.
    expect(formatDay(new Date('2026-11-30T20:00:00Z'), 'ru')).to.equal('01.12.2026');
    expect(formatDateTime(new Date('2026-11-30T20:05:00Z'), 'en')).to.equal('1 Dec 2026, 01:05');
    expect(formatDayRange(startOfDay('2026-12-01'), endOfDay('2026-12-20'), 'kk')).to.equal('01.12.2026 – 20.12.2026');
  });

  it('takes TIME_ZONE from the environment and refuses a zone Intl does not know', () => {
    expect(parseEnv({}).TIME_ZONE).to.equal('Asia/Almaty');
    expect(parseEnv({ TIME_ZONE: 'Asia/Aqtobe' }).TIME_ZONE).to.equal('Asia/Aqtobe');
    expect(() => parseEnv({ TIME_ZONE: 'Mars/Olympus' })).to.throw(ConfigError, /^Configuration error: TIME_ZONE must be a time zone name such as Asia\/Almaty/);
    expect(isTimeZone('UTC')).to.equal(true);
    expect(isTimeZone('')).to.equal(false);
    expect(() => setTimeZone('Nowhere/Land')).to.throw(RangeError);
  });
});
