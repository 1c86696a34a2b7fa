import { expect } from 'chai';
import { academicYearOf, endOfDay, isAcademicYear, localDay, localMonth, monthsOf, startOfDay, yearChoices } from '../../server/campaigns/dates.js';
import { campaignForm, checkForm } from '../../server/campaigns/form.js';
import { groupToken } from '../../server/campaigns/routes.js';
import { progressView } from '../../server/campaigns/view-model.js';
import { normaliseToken } from '../../server/lib/ids.js';

describe('campaign dates (university time, academic years)', () => {
  it('reads days and months in Kazakhstan time, not UTC', () => {
    expect(localDay(new Date('2025-09-30T19:00:00Z'))).to.equal('2025-10-01');
    expect(localDay(new Date('2025-09-30T18:59:59Z'))).to.equal('2025-09-30');
    expect(localMonth(new Date('2025-12-31T19:30:00Z'))).to.equal('2026-01');
  });

  it('opens a form\u2019s first day at local midnight and closes at the end of its last day', () => {
    expect(startOfDay('2025-10-01').toISOString()).to.equal('2025-09-30T19:00:00.000Z');
    expect(endOfDay('2025-10-31').toISOString()).to.equal('2025-10-31T18:59:59.000Z');
    expect(localDay(endOfDay('2025-10-31'))).to.equal('2025-10-31');
  });

  it('starts the academic year in September', () => {
    expect(academicYearOf(new Date('2025-08-31T12:00:00Z'))).to.equal('2024-2025');
    expect(academicYearOf(new Date('2025-08-31T19:30:00Z'))).to.equal('2025-2026');
    expect(academicYearOf(new Date('2026-02-10T00:00:00Z'))).to.equal('2025-2026');
    expect(monthsOf('2025-2026')).to.deep.equal(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
  });

  it('accepts only consecutive years as an academic year', () => {
    expect(isAcademicYear('2025-2026')).to.equal(true);
    expect(isAcademicYear('2025-2027')).to.equal(false);
    expect(isAcademicYear('2025')).to.equal(false);
    expect(isAcademicYear('{"$gt":""}')).to.equal(false);
    expect(yearChoices('2025-2026', ['2019-2020', 'junk'])).to.deep.equal(['2019-2020', '2023-2024', '2024-2025', '2025-2026', '2026-2027', '2027-2028']);
  });
});

describe('campaign form', () => {
  const published = new Set(['student-satisfaction@1']);
  const body = {
    title_kk: ' Атауы ',
    title_ru: 'Название',
    title_en: 'Title',
    instrument: 'student-satisfaction@1',
    audienceKind: 'programme',
    units_programme: ['prg_a', 'prg_b'],
    units_faculty: 'fac_ignored',
    academicYear: '2025-2026',
    opensOn: '2025-10-01',
    closesOn: '2025-10-01',
    targetSize: '120',
    openLinkCap: '',
  };

  it('turns a posted form into the service input, using only the units of the chosen kind', () => {
    const { input, errors } = checkForm(campaignForm.parse(body), published);
    expect(errors).to.deep.equal({});
    expect(input).to.deep.include({ academicYear: '2025-2026', targetSize: 120, openLinkEnabled: false, openLinkCap: 0 });
    expect(input?.title).to.deep.equal({ kk: 'Атауы', ru: 'Название', en: 'Title' });
    expect(input?.audience).to.deep.equal({ kind: 'programme', ids: ['prg_a', 'prg_b'] });
    expect(input?.instrument).to.deep.equal({ id: 'student-satisfaction', version: 1 });
    expect(input!.closesAt.getTime() - input!.opensAt.getTime()).to.equal(24 * 3600_000 - 1000);
  });

  it('names each bad field with a catalogue key', () => {
    const { input, errors } = checkForm(
      campaignForm.parse({ ...body, title_ru: '', instrument: 'x@1', audienceKind: 'everyone', opensOn: '2025-02-30', closesOn: 'soon', targetSize: '-3', openLinkCap: '1e3' }),
      published,
    );
    expect(input).to.equal(undefined);
    expect(errors).to.deep.equal({
      title_ru: 'campaigns.errors.required',
      instrument: 'campaigns.errors.notPublished',
      audienceKind: 'campaigns.errors.chooseAudience',
      opensOn: 'campaigns.errors.date',
      closesOn: 'campaigns.errors.date',
      targetSize: 'campaigns.errors.targetSize',
      openLinkCap: 'campaigns.errors.cap',
    });
  });

  it('refuses values that are not text (a crafted body), naming the field', () => {
    const crafted = campaignForm.safeParse({ title_en: { $gt: '' }, units_cohort: ['coh_x'] });
    expect(crafted.success).to.equal(false);
    expect(crafted.error?.issues[0]?.path).to.deep.equal(['title_en']);
    expect(campaignForm.safeParse({ units_cohort: [{ $ne: 1 }, 'coh_x'] }).success).to.equal(false);
    const repeated = campaignForm.parse({ audienceKind: ['cohort', 'faculty'], units_cohort: ['coh_x', ''] });
    expect(repeated.audienceKind).to.equal('cohort');
    expect(repeated.units.cohort).to.deep.equal(['coh_x']);
  });
});

describe('slip codes and rates', () => {
  it('groups a code by four for typing, and the grouped code still reads as the token', () => {
    expect(groupToken('abcd2345efgh')).to.equal('abcd-2345-efgh');
    expect(normaliseToken('ABCD-2345-EFGH')).to.equal('abcd2345efgh');
  });

  it('shows a rate as a rounded percentage and caps the meter at 1', () => {
    expect(progressView({ n: 42, target: 155, targetFrom: 'enrolment', rate: 42 / 155 })).to.deep.equal({ n: 42, target: 155, percent: '27%', meter: 42 / 155, over: false, fromEnrolment: true });
    expect(progressView({ n: 12, target: 10, targetFrom: 'explicit', rate: 1.2 })).to.deep.include({ percent: '120%', meter: 1, over: true, fromEnrolment: false });
    expect(progressView({ n: 3, target: 0, targetFrom: 'enrolment', rate: null })).to.deep.include({ percent: '—', meter: 0 });
  });
});
