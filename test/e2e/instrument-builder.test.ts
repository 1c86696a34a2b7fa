// The visual builder in Chromium, by clicking (and typing texts) only: a two-page instrument with a rating
// item and a skip rule that depends on it, on a phone and on a laptop; saved, published, and answered as a
// respondent, with the skip rule working both ways. Also: builder → JSON → builder is exact, undo, the
// keyboard, and no serious accessibility violation (axe).
import { expect } from 'chai';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { getVersion } from '../../server/instruments/service.js';
import { responsesCollection } from '../../server/responses/store.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';

const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const TABLET: BrowserContextOptions = { viewport: { width: 1024, height: 768 }, hasTouch: true };
const shots = process.env.E2E_SCREENSHOTS;

describe('the visual instrument builder in Chromium', () => {
  const env = serverAndBrowser();
  let world: SurveyWorld;
  let adminEmail: string;
  // Collections are emptied before every test: each builds its world and admin again.
  beforeEach(async () => {
    world = await buildSurveyWorld();
    adminEmail = `builder.${Date.now()}@test.pikir.kz`;
    await createUser({ role: 'admin', email: adminEmail });
  });

  async function signIn(options: BrowserContextOptions, bypassCSP = false): Promise<Page> {
    const context = await env.browser.newContext({ ...options, locale: 'en-GB', bypassCSP });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(`${env.srv.url}/login?lang=en`);
    await page.fill('#email', adminEmail);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('main button[type=submit]')]);
    return page;
  }

  const onPhone = (page: Page) => page.viewportSize()!.width < 760;
  /** On a phone the builder shows one part at a time. */
  async function show(page: Page, view: 'outline' | 'editor' | 'preview') {
    if (onPhone(page)) await page.click(`[data-view="${view}"]`);
  }
  async function texts(page: Page, path: string, en: string) {
    await page.fill(`[data-path="${path}.kk"]`, `${en} (қаз.)`);
    await page.fill(`[data-path="${path}.ru"]`, `${en} (рус.)`);
    await page.fill(`[data-path="${path}.en"]`, en);
  }

  for (const [label, size] of [['phone', PHONE], ['laptop', LAPTOP]] as const) {
    it(`builds a two-page instrument with a rating and a skip rule by clicking, publishes it and answers it (${label})`, async () => {
      const page = await signIn(size);
      const id = `built-${label}`;
      await page.goto(`${env.srv.url}/instruments/new?lang=en`);
      await page.fill('#start-id', id);
      await Promise.all([page.waitForURL(`${env.srv.url}/instruments/${id}/v/1/build`), page.click('.start-builder button')]);
      await page.waitForFunction(() => document.querySelector('[data-status]')!.textContent!.includes('No problems'));

      // Page 1: add a rating question after the starter's two.
      await show(page, 'outline');
      await page.selectOption('[data-add-type="0"]', 'rating');
      await page.click('[data-add-item="0"]');
      await show(page, 'editor');
      await texts(page, 'pages.0.items.2.text', 'How would you rate the library?');
      await page.fill('[data-path="pages.0.items.2.max"]', '10');
      await page.click('[data-focus="pages.0.items.2.lowLabel"]');
      await texts(page, 'pages.0.items.2.lowLabel', 'Very poor');

      // Page 2, with a question shown only when the rating is 7 or more.
      await show(page, 'outline');
      await page.click('[data-add-page]');
      await show(page, 'editor');
      await texts(page, 'pages.1.title', 'More about the library');
      await show(page, 'outline');
      await page.click('[data-outline-item="1.0"]');
      await texts(page, 'pages.1.items.0.text', 'I would recommend the library to others.');
      await page.click('[data-focus="pages.1.items.0.showIf.add"]');
      await page.selectOption('[data-focus="pages.1.items.0.showIf.0.item"]', 'q1');
      await page.selectOption('[data-focus="pages.1.items.0.showIf.0.op"]', 'gte');
      await page.selectOption('[data-focus="pages.1.items.0.showIf.0.value"]', '7');
      // Only earlier questions are offered: the starter's two and the rating.
      const offered = await page.locator('[data-focus="pages.1.items.0.showIf.0.item"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(offered).to.deep.equal(['overall', 'comment', 'q1']);
      await page.waitForFunction(() => document.querySelector('[data-status]')!.textContent!.includes('No problems'));

      if (shots) await page.screenshot({ path: `${shots}/builder-${label}-editor.png` });
      // The live preview shows the rating as a respondent sees it.
      await show(page, 'preview');
      await page.locator('[data-preview] #f-q1-10').waitFor();
      if (shots) await page.screenshot({ path: `${shots}/builder-${label}.png`, fullPage: false });

      await page.click('[data-save]');
      await page.waitForFunction(() => document.querySelector('[data-status]')!.textContent!.startsWith('All changes saved'));
      const saved = (await getVersion(SYSTEM_ACTOR, id, 1)).definition;
      expect(saved.pages).to.have.length(2);
      expect(saved.pages[0]!.items[2]).to.deep.include({ id: 'q1', type: 'rating', min: 1, max: 10 });
      expect(saved.pages[1]!.items[0]!.showIf).to.deep.equal({ item: 'q1', gte: 7 });

      // Publish (no warnings: every text is in its language).
      await page.goto(`${env.srv.url}/instruments/${id}/v/1/publish?lang=en`);
      await Promise.all([page.waitForURL(`${env.srv.url}/instruments/${id}?done=published`), page.click('.publish-confirm button[type=submit]')]);
      await page.context().close();

      // Answer it twice as a respondent: a 9 shows page 2, a 3 skips it.
      const campaign = await createCampaign(
        SYSTEM_ACTOR,
        { title: { kk: 'Кітапхана', ru: 'Библиотека', en: `Library ${label}` }, instrument: { id, version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] }, academicYear: '2025-2026', opensAt: new Date(Date.now() - 86_400_000), closesAt: new Date(Date.now() + 86_400_000), openLinkEnabled: true, openLinkCap: 0 },
        'open',
      );
      for (const rating of [9, 3]) {
        const context = await env.browser.newContext({ ...size, locale: 'en-GB' });
        const r = await context.newPage();
        await r.goto(`${env.srv.url}/s/${campaign.linkId}?lang=en`);
        await r.getByRole('button', { name: 'Start' }).click();
        await r.selectOption('#f-programme', world.programmesA[0]!);
        await r.selectOption('#f-cohort', world.cohortsA[0]!);
        await r.getByRole('button', { name: 'Next' }).click();
        await r.locator('#q-overall').getByLabel('Strongly agree').check();
        await r.locator(`label[for="f-q1-${rating}"]`).click();
        // Page 2 depends on this page's rating: the button may say "submit" here and still lead to it.
        await r.getByRole('button', { name: /^(Next|Submit my answers)$/ }).click();
        if (rating >= 7) {
          await r.locator('h1', { hasText: 'More about the library' }).waitFor();
          await r.locator('#q-q2').getByLabel('Agree', { exact: true }).check();
          await r.getByRole('button', { name: 'Submit my answers' }).click();
        }
        await r.locator('h1', { hasText: 'Thank you!' }).waitFor();
        await context.close();
      }
      await waitFor('two stored responses', async () => (await (await responsesCollection(campaign._id)).countDocuments()) === 2);
      const stored = (await (await responsesCollection(campaign._id)).find({}).toArray()).map((d) => d.answers as Record<string, unknown>).sort((a, b) => Number(b.q1) - Number(a.q1));
      expect(stored).to.deep.equal([{ overall: 5, q1: 9, q2: 4 }, { overall: 5, q1: 3 }]);
    });
  }

  it('saves an unchanged instrument exactly as it was, undoes the last change, moves with the keyboard, and passes axe (laptop and tablet)', async () => {
    const page = await signIn(LAPTOP, true);
    // A draft of a library instrument: the builder must give back exactly its JSON.
    const res = await page.request.post(`${env.srv.url}/api/instruments/employer-satisfaction/v/1/clone`, { data: { newId: 'builder-roundtrip' } });
    expect(res.status()).to.equal(201);
    const before = JSON.stringify((await getVersion(SYSTEM_ACTOR, 'builder-roundtrip', 1)).definition);
    await page.goto(`${env.srv.url}/instruments/builder-roundtrip/v/1/build?lang=en`);
    await page.waitForFunction(() => /No problems/.test(document.querySelector('[data-status]')!.textContent!));
    await page.click('[data-save]');
    await page.waitForFunction(() => document.querySelector('[data-status]')!.textContent!.startsWith('All changes saved'));
    expect(JSON.stringify((await getVersion(SYSTEM_ACTOR, 'builder-roundtrip', 1)).definition)).to.equal(before);
    // The JSON editor shows the same definition, and the builder opens it again unchanged.
    await page.goto(`${env.srv.url}/instruments/builder-roundtrip/v/1/edit?lang=en`);
    expect(JSON.parse(await page.inputValue('#definition'))).to.deep.equal(JSON.parse(before));

    await page.goto(`${env.srv.url}/instruments/builder-roundtrip/v/1/build?lang=en`);
    await page.waitForFunction(() => /No problems/.test(document.querySelector('[data-status]')!.textContent!));
    expect(await seriousViolations(page), 'builder: instrument settings').to.deep.equal([]);
    // Keyboard: select the second question of page 1 and move it up with Alt+↑.
    await page.focus('[data-outline-item="0.1"]');
    await page.keyboard.press('Enter');
    const moved = await page.locator('[data-outline-item="0.1"] .outline__text').textContent();
    await page.focus('[data-outline-item="0.1"]');
    await page.keyboard.press('Alt+ArrowUp');
    expect(await page.locator('[data-outline-item="0.0"] .outline__text').textContent()).to.equal(moved);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-outline-item'))).to.equal('0.0');
    expect(await seriousViolations(page), 'builder: a matrix question').to.deep.equal([]);
    // Undo brings the order back; a problem is shown next to its field.
    await page.click('[data-undo]');
    expect(await page.locator('[data-outline-item="0.1"] .outline__text').textContent()).to.equal(moved);
    await page.click('[data-outline-item="0.1"]');
    await page.fill('[data-path="pages.0.items.1.text.kk"]', '');
    await page.waitForFunction(() => document.querySelector('[data-problem-for="pages.0.items.1.text.kk"]') !== null);
    expect(await page.getAttribute('[data-path="pages.0.items.1.text.kk"]', 'aria-invalid')).to.equal('true');
    if (shots) await page.screenshot({ path: `${shots}/builder-laptop-problem.png` });
    await page.setViewportSize(TABLET.viewport!);
    if (shots) await page.screenshot({ path: `${shots}/builder-tablet.png` });
    expect(await seriousViolations(page), 'builder on a tablet, with a problem shown').to.deep.equal([]);
    await page.context().close();
  });
});
