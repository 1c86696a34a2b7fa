// A student on a phone: QR link, Kazakh, a skipped page, reload and resume, submit — with and without
// JavaScript; a used token; and no serious accessibility violation on the respondent pages.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens } from '../../server/campaigns/tokens.js';
import { responsesCollection } from '../../server/responses/store.js';
import { Draft } from '../../server/respond/drafts.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

describe('respondent pages in Chromium', () => {
  const env = serverAndBrowser();
  let world: SurveyWorld;
  beforeEach(async () => {
    world = await buildSurveyWorld({ instrument: 'skip-test' });
  });

  async function walkThrough(page: Page, options: { js: boolean }) {
    await page.goto(`${env.srv.url}/s/${world.campaign.linkId}`);
    // The link opens in the browser's language (English here); the student switches to Kazakh.
    await page.getByRole('link', { name: 'Қазақша' }).click();
    expect(await page.locator('html').getAttribute('lang')).to.equal('kk');
    await page.getByRole('button', { name: 'Бастау' }).click();

    // About you: programme and year of entry.
    await page.selectOption('#f-programme', world.programmesA[0]!);
    await page.selectOption('#f-cohort', world.cohortsA[0]!);
    await page.getByRole('button', { name: 'Келесі' }).click();

    // Page 1: "No" skips the library page.
    expect(await page.locator('h1').textContent()).to.equal('Кітапхана');
    await page.getByLabel('Жоқ').check();
    await page.getByRole('button', { name: 'Келесі' }).click();
    expect(await page.locator('h1').textContent()).to.equal('Жалпы баға');
    expect(await page.locator('progress').getAttribute('max')).to.equal('3');

    // Reload: still here, still in Kazakh; back shows the earlier answer kept.
    await page.reload();
    expect(await page.locator('h1').textContent()).to.equal('Жалпы баға');
    await page.getByRole('button', { name: 'Артқа' }).click();
    expect(await page.getByLabel('Жоқ').isChecked()).to.equal(true);
    await page.getByRole('button', { name: 'Келесі' }).click();

    // Submitting without the required answer shows the message next to the field.
    await page.getByRole('button', { name: 'Жауаптарымды жіберу' }).click();
    expect(await page.locator('#e-overall').textContent()).to.equal('Осы сұраққа жауап беріңіз.');

    // The comment box depends on an answer on the same page: hidden with JavaScript until "Yes".
    const comment = page.locator('#q-comment');
    if (options.js) {
      expect(await comment.isVisible()).to.equal(false);
      await page.locator('#q-wants_more').getByLabel('Иә').check();
      expect(await comment.isVisible()).to.equal(true);
    } else {
      await page.locator('#q-wants_more').getByLabel('Иә').check();
    }
    await page.locator('#f-comment').fill('Кітапханада жаңа әдебиет жетіспейді.');
    await page.getByLabel('Толық келісемін').check();
    await page.getByRole('button', { name: 'Жауаптарымды жіберу' }).click();
    expect(await page.locator('h1').textContent()).to.equal('Рақмет!');
  }

  async function expectOneStoredResponse() {
    const stored = await (await responsesCollection(world.campaign._id)).find({}).toArray();
    expect(stored).to.have.length(1);
    expect(stored[0]!.answers).to.deep.equal({ used_library: 'no', overall: 5, wants_more: 'yes', comment: 'Кітапханада жаңа әдебиет жетіспейді.' });
    expect(stored[0]!.segment).to.deep.equal({ programme: world.programmesA[0], cohort: world.cohortsA[0], faculty: world.facultyA });
    // Answered on a Kazakh page, and the language is not kept (it could pair a response with an invitation's).
    expect(Object.keys(stored[0]!).sort()).to.deep.equal(['_id', 'answers', 'campaign', 'day', 'segment']);
    expect(await Draft.countDocuments()).to.equal(0);
    await env.srv.services.writer.flush();
  }

  it('lets a student answer on a phone in Kazakh, skipping a page, resuming after a reload', async () => {
    const context = await env.browser.newContext({ ...PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    await walkThrough(page, { js: true });
    await expectOneStoredResponse();
    await context.close();
  });

  it('works the same with JavaScript disabled', async () => {
    const context = await env.browser.newContext({ ...PHONE, locale: 'en-GB', javaScriptEnabled: false });
    const page = await context.newPage();
    await walkThrough(page, { js: false });
    await expectOneStoredResponse();
    await context.close();
  });

  it('shows "already answered" for a used token', async () => {
    const [token] = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] });
    const res = await fetch(`${env.srv.url}/api/respond/${world.campaign.linkId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submissionId: 'tok-used-0000000001', lang: 'en', answers: { used_library: 'no', overall: 4 }, token }),
    });
    expect(res.status).to.equal(201);
    const context = await env.browser.newContext({ ...PHONE, locale: 'ru-RU' });
    const page = await context.newPage();
    const response = await page.goto(`${env.srv.url}/t/${token}`);
    expect(response?.status()).to.equal(409);
    expect(await page.locator('h1').textContent()).to.equal('Ответ уже получен');
    await context.close();
  });

  it('has no serious or critical accessibility violations on respondent pages', async () => {
    const context = await env.browser.newContext({ ...PHONE, bypassCSP: true, locale: 'kk-KZ' });
    const page = await context.newPage();
    const pages: Record<string, unknown> = {};
    await page.goto(`${env.srv.url}/s/${world.campaign.linkId}`);
    pages.intro = await seriousViolations(page);
    await page.getByRole('button', { name: 'Бастау' }).click();
    pages.about = await seriousViolations(page);
    await page.selectOption('#f-programme', world.programmesA[0]!);
    await page.selectOption('#f-cohort', world.cohortsA[0]!);
    await page.getByRole('button', { name: 'Келесі' }).click();
    await page.getByRole('button', { name: 'Келесі' }).click(); // required answer missing: the error state
    pages.errors = await seriousViolations(page);
    await page.getByLabel('Иә').check();
    await page.getByRole('button', { name: 'Келесі' }).click();
    pages.likert = await seriousViolations(page);
    await page.getByLabel('Келісемін', { exact: true }).check();
    await page.getByRole('button', { name: 'Келесі' }).click();
    await page.getByLabel('Келісемін', { exact: true }).check();
    await page.getByRole('button', { name: 'Жауаптарымды жіберу' }).click();
    pages.thanks = await seriousViolations(page);
    expect(await page.locator('h1').textContent()).to.equal('Рақмет!');
    for (const [name, violations] of Object.entries(pages)) expect(violations, name).to.deep.equal([]);
    await context.close();
  });
});
