// A council secretary records a meeting from meeting mode, in headless Chromium, on a projector and on a
// phone: the slide on screen goes onto the agenda with its figures frozen, then attendance, the decision
// and the minutes are recorded on the meeting page. Every page passes axe and none scrolls sideways.
import { expect } from 'chai';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import { saveCouncil } from '../../server/councils/council-service.js';
import { createAction } from '../../server/councils/actions-service.js';
import { createMeeting } from '../../server/councils/meetings-service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { PHONE, PROJECTOR, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, sessionCookie } from '../support/factories.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

describe('a council secretary records a meeting from meeting mode', () => {
  const env = serverAndBrowser({ SUPPRESSION_K: '5' }, { realtime: true });
  let world: SurveyWorld;
  let secretaryCookie: string;
  let meetingId: string;

  beforeEach(async () => {
    world = await buildSurveyWorld();
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(17);
    const [c1] = world.cohortsA as [string];
    const [pA1] = world.programmesA as [string];
    await env.srv.services.submissions.storeAccepted(world.campaign, def, Array.from({ length: 30 }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, programme: pA1, cohort: c1 }, day: '2026-10-01' })));
    await env.srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const secretary = await createUser({ role: 'council', faculties: [world.facultyA], name: 'Айгерім Секретарь', lang: 'en' });
    secretaryCookie = sessionCookie(env.srv.config, secretary);
    await saveCouncil(SYSTEM_ACTOR, world.facultyA, {
      quorum: 0.5,
      members: [
        { name: 'Асқаров Ерлан', group: 'teacher', role: 'chair' },
        { name: 'Айгерім Секретарь', userId: secretary._id, group: 'academic_staff', role: 'secretary' },
        { name: 'Иванова Мария', group: 'teacher', role: 'member' },
        { name: 'Сапаров Дәурен', group: 'student_bachelor', role: 'member' },
      ],
    });
    meetingId = (await createMeeting(SYSTEM_ACTOR, world.facultyA, { date: new Date().toISOString().slice(0, 10), title: 'Кеңес отырысы: сауалнама нәтижелері', lang: 'kk' }))._id;
  });

  async function pageAt(viewport: BrowserContextOptions): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const context = await env.browser.newContext({ ...viewport, bypassCSP: true, locale: 'en-US' });
    const url = new URL(env.srv.url);
    const [name, value] = secretaryCookie.split('=') as [string, string];
    await context.addCookies([{ name, value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    return { page, problems, close: () => context.close() };
  }

  async function checkPage(page: Page, label: string, width: number): Promise<void> {
    expect(await seriousViolations(page), `axe on ${label}`).to.deep.equal([]);
    const wide = await page.evaluate((w) => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`), width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label} scrolls sideways: ${wide.join(', ')}`).to.be.at.most(width);
    // No untranslated key leaks into the page.
    expect(await page.evaluate(() => document.body.innerText), label).to.not.match(/\b(councils|accounts|results|nav)\.[a-z]+[A-Za-z.]*\b/);
  }

  for (const [size, viewport] of [['projector', PROJECTOR], ['phone', PHONE]] as const) {
    it(`on a ${size}: adds the slide on screen to the agenda, records attendance and the decision, and prints minutes in the meeting's language`, async () => {
      const width = viewport.viewport!.width;
      const { page, problems, close } = await pageAt(viewport);
      try {
        await page.goto(`${env.srv.url}/results/${world.campaign._id}/present?unit=faculty~${world.facultyA}&lang=en`);
        await checkPage(page, 'meeting mode', width);
        // Move to the first question's slide and put it on the agenda.
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        const item = await page.locator('[data-agenda-item]').inputValue();
        expect(item).to.not.equal('');
        await page.locator('#agenda-meeting').selectOption(meetingId);
        await page.screenshot({ path: `/tmp/e2e-council-present-${size}.png` });
        await Promise.all([page.waitForURL(/present/), page.locator('[data-agenda-add]').click()]);
        const added = page.locator('.presenter__added');
        await added.waitFor();
        expect(await added.innerText()).to.include('Added');

        await page.goto(`${env.srv.url}/meetings/${meetingId}?lang=en`);
        const agendaTitle = await page.locator('.agenda-item h3, [id^="item-"] h3').first().innerText();
        // Titled from the question in the meeting's language (Kazakh).
        expect(agendaTitle).to.match(/[әғқңөұүһі]/i);
        // The frozen figures show with their n.
        expect(await page.locator('.snapshot__table').first().innerText()).to.match(/\b30\b/);

        // Attendance: three of four present; quorum reached.
        const boxes = page.locator('input[name="present"]');
        for (let i = 0; i < 3; i++) await boxes.nth(i).check();
        await Promise.all([page.waitForURL(/meetings/), page.getByRole('button', { name: 'Save attendance' }).click()]);
        expect(await page.locator('[data-quorum]').innerText()).to.include('3 of 4');

        // The decision on the item.
        await page.locator('input[name="kind"][value="update_programme"]').first().check();
        await page.locator('textarea[name="rationale"]').first().fill('Студенттер пікірінің ескерілетінін көрмейді.');
        await page.locator('input[name="for"]').first().fill('3');
        await page.locator('input[name="against"]').first().fill('0');
        await page.locator('input[name="abstain"]').first().fill('0');
        await Promise.all([page.waitForURL(/meetings/), page.locator('.decision-form form button[type="submit"]').first().click()]);
        expect(await page.locator('.decision').first().innerText()).to.include('Студенттер пікірінің ескерілетінін көрмейді.');
        await checkPage(page, 'meeting page', width);
        await page.screenshot({ path: `/tmp/e2e-council-meeting-${size}.png`, fullPage: true });

        // Minutes: in Kazakh, the meeting's language, whatever the interface language.
        await page.goto(`${env.srv.url}/meetings/${meetingId}/minutes?lang=en`);
        expect(await page.locator('html').getAttribute('lang')).to.equal('kk');
        const minutes = await page.locator('main').innerText();
        expect(minutes).to.include('кеңес отырысының хаттамасы');
        expect(minutes).to.include('Қатысқандар');
        expect(minutes).to.include('Студенттер пікірінің ескерілетінін көрмейді.');
        await checkPage(page, 'minutes', width);
        await page.screenshot({ path: `/tmp/e2e-council-minutes-${size}.png`, fullPage: true });
        expect(problems).to.deep.equal([]);
      } finally {
        await close();
      }
    });
  }

  it('every council page passes axe, is translated and fits a phone, a laptop and a projector', async function () {
    this.timeout(240_000);
    const secretary = (await saveCouncil(SYSTEM_ACTOR, world.facultyA, { quorum: 0.5, members: [{ name: 'Chair', group: 'teacher', role: 'chair' }] }), world.facultyA);
    const owner = (await createUser({ role: 'council', faculties: [secretary] }))._id;
    const overdue = await createAction(SYSTEM_ACTOR, world.facultyA, { title: 'Overdue: meet employers', kind: 'preventive', owner, dueOn: '2026-01-15', status: 'in_progress', targets: [{ campaign: world.campaign._id, unit: `faculty~${world.facultyA}`, item: 'challenge' }], esg: ['1.2'] });
    const paths = ['/councils', `/councils/${world.facultyA}`, `/councils/${world.facultyA}/members`, `/councils/${world.facultyA}/indicators`, `/councils/${world.facultyA}/actions/new`, `/actions/${overdue._id}`, `/meetings/${meetingId}`, `/meetings/${meetingId}/minutes`, `/esg?faculty=${world.facultyA}`, '/calendar', '/'];
    // Kazakh (the longest words) and English on the phone, Russian on a laptop, English on the projector.
    for (const [viewport, langs] of [[PHONE, ['kk', 'en']], [{ viewport: { width: 1280, height: 800 } }, ['ru']], [PROJECTOR, ['en']]] as const) {
      const { page, problems, close } = await pageAt(viewport);
      try {
        for (const lang of langs) {
          for (const path of paths) {
            const res = await page.goto(`${env.srv.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
            expect(res?.status(), path).to.equal(200);
            await checkPage(page, `${path} (${lang}, ${viewport.viewport!.width} px)`, viewport.viewport!.width);
          }
        }
        // The overdue action is flagged on the faculty page and on the home page.
        await page.goto(`${env.srv.url}/councils/${world.facultyA}?lang=en`);
        expect(await page.locator('.badge--overdue').count()).to.be.greaterThan(0);
        await page.goto(`${env.srv.url}/?lang=en`);
        expect(await page.locator('main').innerText()).to.include('Overdue: meet employers');
        await page.screenshot({ path: `/tmp/e2e-council-home-${viewport.viewport!.width}.png`, fullPage: true });
        expect(problems).to.deep.equal([]);
      } finally {
        await close();
      }
    }
  });
});
