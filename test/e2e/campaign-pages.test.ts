// The campaign's pages in Chromium at 390 px and 1280 px (issue 19, points 7, 8, 10, 14): dates in the
// university's days and one format per language (charts too), a draft's link that says it is a draft, one
// primary next step, "copy link", closing that asks first, slips in the students' language with the code
// never broken, and the public summary shown before it is published.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { academicYearOf } from '../../server/campaigns/dates.js';
import { Campaign } from '../../server/campaigns/model.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { formatDay, localDay, startOfDay, endOfDay } from '../../server/lib/dates.js';
import { seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser } from '../support/factories.js';
import { screenshot, sidewaysOverflow, signedIn, SIZES } from '../support/staff-e2e.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const DAY = 86_400_000;

describe('campaign pages in Chromium (phone 390 px, laptop 1280 px)', () => {
  const env = serverAndBrowser();

  /** A university day `days` from today, as the campaign form would store it. */
  const dayFromToday = (days: number) => localDay(new Date(Date.now() + days * DAY));

  async function draftCampaign(world: SurveyWorld, opensOn: string, closesOn: string) {
    return createCampaign(SYSTEM_ACTOR, {
      title: { kk: 'Жоба сауалнама', ru: 'Черновой опрос', en: 'Draft survey' },
      instrument: { id: 'student-satisfaction', version: 1 },
      audience: { kind: 'faculty', ids: [world.facultyA] },
      academicYear: academicYearOf(startOfDay(opensOn)),
      opensAt: startOfDay(opensOn),
      closesAt: endOfDay(closesOn),
      // No targetSize: a student survey's target is the enrolment of the cohorts it asks.
      openLinkEnabled: true,
      openLinkCap: 0,
    });
  }

  async function respond(world: SurveyWorld, n: number, day: string) {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(7);
    const [c1] = world.cohortsA as [string];
    const answers = Array.from({ length: n }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: c1 }, day }));
    await env.srv.services.submissions.storeAccepted(world.campaign, def, answers);
    await env.srv.services.writer.flush();
  }

  const primaryButtons = (page: Page) => page.locator('.campaign-actions--head .button:not(.button--secondary)').allTextContents();

  for (const [label, size] of SIZES) {
    it(`tells a student a draft is a draft, with the university's first day, not the UTC day before (${label})`, async () => {
      const world = await buildSurveyWorld();
      const opensOn = dayFromToday(10);
      const closesOn = dayFromToday(30);
      const draft = await draftCampaign(world, opensOn, closesOn);
      // Stored at the university's midnight: 19:00 UTC the evening before, in Asia/Almaty.
      expect(draft.opensAt.toISOString().slice(0, 10)).not.to.equal(opensOn);
      const context = await env.browser.newContext({ ...size, bypassCSP: true });
      const page = await context.newPage();
      const res = await page.goto(`${env.srv.url}/s/${draft.linkId}?lang=ru`);
      expect(res!.status()).to.equal(403);
      expect(await page.locator('h1').textContent()).to.equal('Опрос ещё не открыт');
      const text = await page.locator('.respond-status p:not(.respond__campaign)').textContent();
      expect(text).to.include(`${formatDay(opensOn, 'ru')} – ${formatDay(closesOn, 'ru')}`);
      expect(text).to.match(/^Организаторы подготовили опрос, но ещё не открыли/);
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, `draft-link-${label}`);

      // Opened but not started yet: "opens on", with the same day, written the English way in English.
      await setCampaignStatus(SYSTEM_ACTOR, draft._id, 'open');
      await page.goto(`${env.srv.url}/s/${draft.linkId}?lang=en`);
      expect(await page.locator('h1').textContent()).to.equal('This survey is not open yet');
      expect(await page.locator('.respond-status p:not(.respond__campaign)').textContent()).to.equal(`It opens on ${formatDay(opensOn, 'en')}. Please come back then.`);
      expect(formatDay(opensOn, 'en')).to.match(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
      await context.close();
    });
  }

  it('writes dates one way per language on the staff pages and on the response chart', async () => {
    const world = await buildSurveyWorld();
    await respond(world, 6, '2025-10-02');
    const admin = await createUser({ role: 'admin' });
    const context = await signedIn(env.browser, env.srv, admin, SIZES[1][1]);
    const page = await context.newPage();
    const opens = localDay(world.campaign.opensAt);
    for (const lang of ['kk', 'ru', 'en'] as const) {
      await page.goto(`${env.srv.url}/campaigns/${world.campaign._id}?lang=${lang}`);
      expect(await page.locator('.details').textContent()).to.include(formatDay(opens, lang));
      await page.goto(`${env.srv.url}/results/${world.campaign._id}?lang=${lang}`);
      const labels = await page.waitForFunction(() => {
        const canvas = document.querySelector('canvas[data-chart="daily"]');
        const chart = canvas && (window as unknown as { Chart: { getChart(c: Element): { data: { labels: string[] } } | undefined } }).Chart.getChart(canvas);
        return chart ? chart.data.labels : undefined;
      });
      expect(await labels.jsonValue()).to.deep.equal([{ kk: '02.10.2025', ru: '02.10.2025', en: '2 Oct 2025' }[lang]]);
    }
    await context.close();
  });

  for (const [label, size] of SIZES) {
    it(`makes the next step the one primary button, copies the link, and asks before closing (${label})`, async () => {
      const world = await buildSurveyWorld();
      const draft = await draftCampaign(world, dayFromToday(-1), dayFromToday(20));
      const admin = await createUser({ role: 'admin' });
      const context = await signedIn(env.browser, env.srv, admin, size);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.srv.url });
      const page = await context.newPage();

      // A draft: "Open campaign" is the one primary action; no results yet, nothing to read.
      await page.goto(`${env.srv.url}/campaigns/${draft._id}?lang=en`);
      expect(await primaryButtons(page)).to.deep.equal(['Open campaign']);
      expect(await page.locator(`a[href="/results/${draft._id}"]`).count()).to.equal(0);
      // Closing looks destructive (red, outlined) and sits apart, under its own heading.
      const close = page.locator('.danger-zone a.button');
      expect(await close.textContent()).to.equal('Close without running…');
      expect(await close.evaluate((e) => getComputedStyle(e).color)).to.equal('rgb(164, 22, 26)');
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, `campaign-draft-${label}`);

      await Promise.all([page.waitForURL(/done=opened/), page.click('.campaign-actions--head button:has-text("Open campaign")')]);
      // Open, no answers yet: the next step is to share the link.
      expect(await primaryButtons(page)).to.deep.equal(['Copy link']);
      expect(await page.locator('.campaign-actions--head a.button--secondary', { hasText: 'Results' }).count()).to.equal(1);
      await page.click('.campaign-actions--head [data-copy-link]');
      // The clipboard answers asynchronously: wait for the status line rather than read it at once.
      await page.locator('[data-copy-status]', { hasText: 'The survey link is copied' }).waitFor({ timeout: 10_000 });
      expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(`${env.srv.url}/s/${draft.linkId}`);
      await screenshot(page, `campaign-open-empty-${label}`);

      // Closing asks first, on its own page; "Cancel" changes nothing.
      await Promise.all([page.waitForURL(/\/close$/), page.click('.danger-zone a.button')]);
      expect(await page.locator('h1').textContent()).to.equal('Close “Draft survey” now?');
      expect(await page.locator('.consequences').textContent()).to.include('This cannot be undone');
      expect(await page.locator('button.button--danger').evaluate((e) => getComputedStyle(e).backgroundColor)).to.equal('rgb(164, 22, 26)');
      expect(await seriousViolations(page)).to.deep.equal([]);
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      await screenshot(page, `campaign-close-confirm-${label}`);
      await Promise.all([page.waitForURL(new RegExp(`/campaigns/${draft._id}$`)), page.click('text=Cancel, keep it as it is')]);
      expect((await Campaign.findById(draft._id).lean())!.status).to.equal('open');

      // With answers, Results is the primary button.
      await page.goto(`${env.srv.url}/campaigns/${world.campaign._id}?lang=en`);
      expect(await primaryButtons(page)).to.deep.equal(['Copy link']);
      await respond(world, 3, localDay(new Date()));
      await page.reload();
      expect(await primaryButtons(page)).to.deep.equal(['Results']);
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, `campaign-with-responses-${label}`);

      // Without JavaScript the confirmation page is the only way to close, and it closes.
      const noJs = await signedIn(env.browser, env.srv, admin, { ...size, javaScriptEnabled: false });
      const plain = await noJs.newPage();
      await plain.goto(`${env.srv.url}/campaigns/${draft._id}/close?lang=en`);
      await Promise.all([plain.waitForURL(/done=closed/), plain.click('button.button--danger')]);
      expect((await Campaign.findById(draft._id).lean())!.status).to.equal('closed');
      await noJs.close();
      await context.close();
    });
  }

  for (const [label, size] of SIZES) {
    it(`prints slips in the students' language, without the cohort's size, the code never split (${label})`, async () => {
      const world = await buildSurveyWorld();
      const admin = await createUser({ role: 'admin' });
      const context = await signedIn(env.browser, env.srv, admin, size);
      const page = await context.newPage();
      await page.goto(`${env.srv.url}/campaigns/${world.campaign._id}?lang=en`);
      // The page's options still show sizes (to choose how many slips); the slips will not.
      expect(await page.locator('#f-cohort option', { hasText: '(55)' }).count()).to.equal(1);
      await page.selectOption('#f-cohort', world.cohortsA[1]!);
      await page.selectOption('#f-slip-lang', 'kk');
      await page.fill('#f-count', '6');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/slips"] button[type=submit]')]);
      expect(await page.locator('h1').textContent()).to.equal('Slips to print');
      const slips = page.locator('.slip');
      expect(await slips.count()).to.equal(6);
      expect(await page.locator('.slip-grid').getAttribute('lang')).to.equal('kk');
      expect(await slips.first().locator('.slip__title').textContent()).to.equal('Student satisfaction 2025 (kk)');
      expect(await slips.first().locator('.slip__group').textContent()).to.equal('6B06101 Informatics (kk) — 2024');
      expect(await page.locator('.slip-grid').textContent()).not.to.match(/\(\d+\)/);
      expect(await slips.first().locator('.slip__label').textContent()).to.equal('Сіздің бір реттік кодыңыз');
      expect(await slips.first().locator('.slip__note').textContent()).to.include(formatDay(world.campaign.opensAt, 'kk'));
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, `slips-${label}`);

      // The code stays on one line on screen and on A4 paper, even where the address has to wrap:
      // a long university address is put in (as a real BASE_URL could be).
      const codeLines = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('.slip__url-code, .slip__token')).map((e) => {
            const rects = e.getClientRects();
            return rects.length === 1 ? 1 : new Set(Array.from(rects).map((r) => Math.round(r.top))).size;
          }),
        );
      // Addresses of every length from one that fits to one that wraps, so that any break inside the code would show.
      const withBase = async (extra: number) => {
        await page.evaluate((n) => document.querySelectorAll('.slip__base').forEach((e) => (e.textContent = `https://survey.${'q'.repeat(n)}.example-university.edu.kz/t/`)), extra);
        return codeLines();
      };
      for (let extra = 0; extra <= 24; extra += 1) expect(await withBase(extra), `address + ${extra}`).to.deep.equal(Array(12).fill(1));
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      for (let extra = 0; extra <= 24; extra += 1) expect(await withBase(extra), `print, address + ${extra}`).to.deep.equal(Array(12).fill(1));
      await withBase(12);
      await screenshot(page, `slips-print-${label}`);
      await context.close();
    });
  }

  for (const [label, size] of SIZES) {
    it(`shows what will be public before publishing, and warns when nothing would be (${label})`, async () => {
      const world = await buildSurveyWorld();
      // 12 answers of 155 invited: every group below the published threshold or the 50 % response rate.
      await respond(world, 12, '2025-10-02');
      await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
      const admin = await createUser({ role: 'admin' });
      const context = await signedIn(env.browser, env.srv, admin, size);
      const page = await context.newPage();
      await page.goto(`${env.srv.url}/campaigns/${world.campaign._id}?lang=en`);
      await Promise.all([page.waitForURL(/\/publish$/), page.click('text=See what will be public…')]);
      expect(await page.locator('h1').textContent()).to.equal('Before publishing: what the public will see');
      expect(await page.locator('.publish-preview [role=alert]').textContent()).to.include('Nothing would be public');
      expect(await page.locator('.publish-preview__counts').textContent()).to.include('0 of');
      // The public page below, as it will look: its own groups list, nothing shown.
      expect(await page.locator('.published-groups').count()).to.equal(1);
      expect(await seriousViolations(page)).to.deep.equal([]);
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      await screenshot(page, `publish-preview-empty-${label}`);
      // Publishing an empty summary needs the box ticked (the browser refuses the form without it).
      await page.click('.publish-preview button[type=submit]');
      expect(page.url()).to.match(/\/publish$/);
      expect((await Campaign.findById(world.campaign._id).lean())!.publishedAt ?? null).to.equal(null);
      await page.check('input[name="confirmEmpty"]');
      await Promise.all([page.waitForURL(/done=published/), page.click('.publish-preview button[type=submit]')]);
      expect((await Campaign.findById(world.campaign._id).lean())!.publishedAt).to.be.instanceOf(Date);
      await context.close();
    });
  }

  it('counts the groups that will be public when there are some', async () => {
    const world = await buildSurveyWorld();
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(3);
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];
    const group = (programme: string, cohort: string, n: number) => Array.from({ length: n }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, programme, cohort }, day: '2025-10-02' }));
    // 40 of 60, 30 of 55, 8 of 40: the third cohort is below 10.
    await env.srv.services.submissions.storeAccepted(world.campaign, def, [...group(pA1, c1, 40), ...group(pA1, c2, 30), ...group(pA2, c3, 8)]);
    await env.srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const admin = await createUser({ role: 'admin' });
    const context = await signedIn(env.browser, env.srv, admin, SIZES[1][1]);
    const page = await context.newPage();
    await page.goto(`${env.srv.url}/campaigns/${world.campaign._id}/publish?lang=ru`);
    expect(await page.locator('.publish-preview [role=alert]').count()).to.equal(0);
    const counts = await page.locator('.publish-preview__counts').textContent();
    expect(counts).to.match(/Будут опубликованы [1-9]\d* из \d+ групп\./);
    expect(counts).to.include('меньше 10 ответивших');
    expect(await page.locator('input[name="confirmEmpty"]').count()).to.equal(0);
    await screenshot(page, 'publish-preview-some');
    // A council member cannot see it; an open campaign has nothing to preview yet.
    const council = await createUser({ role: 'council', faculties: [world.facultyA] });
    const other = await signedIn(env.browser, env.srv, council, SIZES[1][1]);
    const res = await (await other.newPage()).goto(`${env.srv.url}/campaigns/${world.campaign._id}/publish`);
    expect(res!.status()).to.equal(403);
    await other.close();
    await context.close();
  });
});
