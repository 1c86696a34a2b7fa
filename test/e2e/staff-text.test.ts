// Staff pages that must read right (issue 19, points 1, 9, 11, 13), in Chromium on a phone (390×844) and a
// desktop (1280×800): comment word lists by the language each comment is written in, with names masked
// and repeats counted once; the audit log in words; counts in their plural forms, the results list with n,
// rate and dates, the instrument list's wording, campaign titles from the instrument; trends that compare
// like with like, and a clone that says it starts a new trend. Every page: no serious or critical axe
// violation, no sideways scrolling. Screenshots go to $E2E_SCREENSHOTS when it is set.
import { expect } from 'chai';
import { createRequire } from 'node:module';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { SYSTEM_ACTOR, type Actor } from '../../server/accounts/actor.js';
import { Campaign } from '../../server/campaigns/model.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import { issueSlips } from '../../server/campaigns/slips.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { InstrumentVersion } from '../../server/instruments/model.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { translate } from '../../server/lib/i18n/index.js';
import type { UserDoc } from '../../server/accounts/model.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const SIZES = [['phone', PHONE], ['desktop', DESKTOP]] as const;
const SHOTS = process.env.E2E_SCREENSHOTS;

/** A fixed set of comments in three languages, as students write them (the issue's examples among them). */
const COMMENTS = [
  'The teachers are helpful and answer questions quickly.',
  'The Wi-Fi in building B does not work in the afternoons.',
  'The Wi-Fi in building B does not work in the afternoons.',
  'the Wi-Fi in building B does not work in the afternoons',
  'Практика өте пайдалы болды, рақмет.',
  'Асқаров Ерлан сабақты өте жақсы түсіндіреді.',
  'Кітапханада жаңа әдебиет жетіспейді, кітапхана кішкентай.',
  'Преподаватель Иванов И.И. часто опаздывает на лекции.',
  'Расписание часто меняется, лекции переносят.',
  'Спасибо Сапаровой Айгуль за интересный курс!',
  'More practical classes with real cases, please.',
  'Оқытушылар сабақты қызықты өткізеді.',
];

describe('staff pages that read right, in Chromium', () => {
  const env = serverAndBrowser();

  async function signedIn(size: BrowserContextOptions, user: UserDoc, options: { js?: boolean } = {}): Promise<Page> {
    const context = await env.browser.newContext({ ...size, bypassCSP: true, javaScriptEnabled: options.js ?? true });
    const [name, value] = sessionCookie(env.srv.config, user).split('=') as [string, string];
    await context.addCookies([{ name, value, url: env.srv.url }]);
    return context.newPage();
  }

  /**
   * Axe's serious and critical findings (in `within` only, if given: the dashboard's other sections are being
   * rebuilt elsewhere), and whether the page scrolls sideways.
   */
  async function problemsOf(page: Page, label: string, within?: string): Promise<string[]> {
    const violations = within ? await sectionViolations(page, within) : await seriousViolations(page);
    const found = violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (wide > 0) found.push(`${label}: scrolls sideways by ${wide} px`);
    return found;
  }

  async function sectionViolations(page: Page, selector: string): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(async (include) => {
      const axe = (window as unknown as { axe: { run: (ctx: object, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      return axe.run({ include: [[include]] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    }, selector);
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }

  async function shot(page: Page, name: string, selector?: string): Promise<void> {
    if (!SHOTS) return;
    if (selector) await page.locator(selector).screenshot({ path: `${SHOTS}/${name}.png` });
    else await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }

  /** `count` responses in the first cohort of faculty A; the open comment answer taken from `comments` in turn. */
  async function respond(world: SurveyWorld, campaign: CampaignDoc, count: number, options: { comments?: string[]; day?: string; seed?: number } = {}): Promise<void> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(options.seed ?? 7);
    const segment = { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: world.cohortsA[0]! };
    const responses = Array.from({ length: count }, (_, i) => {
      const answers = syntheticAnswers(def, random, 3.8);
      delete answers.change;
      const comment = options.comments?.[i];
      // The interface language each was written from is deliberately not the comment's language.
      return { answers: comment ? { ...answers, change: comment } : answers, segment, lang: (['kk', 'en', 'ru'] as const)[i % 3]!, day: options.day ?? '2026-10-01' };
    });
    await env.srv.services.submissions.storeAccepted(campaign, def, responses);
    await env.srv.services.writer.flush();
  }

  for (const [label, size] of SIZES) {
    it(`groups comment words by the language each comment is written in, masks names, shows repeats once (${label})`, async () => {
      const world = await buildSurveyWorld({ liveResults: 'figures' });
      await respond(world, world.campaign, 14, { comments: COMMENTS });
      await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
      const admin = await createUser({ role: 'admin' });
      const page = await signedIn(size, admin);
      await page.goto(`${env.srv.url}/results/${world.campaign._id}?lang=en#comments`);
      const section = page.locator('#comments');
      const lists = Object.fromEntries(
        await Promise.all(
          ['kk', 'ru', 'en'].map(async (lang) => [lang, await section.locator(`ol.words[lang="${lang}"] li span:first-child`).allTextContents()] as const),
        ),
      );
      // Each list holds its own language's words; no stop words; Kazakh nouns counted with their endings.
      expect(lists.kk).to.include.members(['кітапхана', 'сабақты']);
      expect(lists.kk!.join(' ')).not.to.match(/[a-z]/i);
      expect(lists.kk).not.to.include.members(['өте', 'болды']);
      expect(lists.en).to.include.members(['wi-fi', 'building', 'afternoons', 'teachers']);
      expect(lists.en!.join(' ')).not.to.match(/[а-яәғқңөұүһі]/i);
      for (const stop of ['the', 'and', 'are', 'does', 'not', 'in']) expect(lists.en, stop).not.to.include(stop);
      expect(lists.ru).to.include.members(['лекции', 'часто']);
      // Names are masked in the comments and never reach a word list; ordinary words stay.
      const text = (await section.textContent())!;
      for (const name of ['Асқаров', 'Ерлан', 'Иванов', 'Сапаровой', 'Айгуль']) expect(text, name).not.to.include(name);
      expect(text).to.include('[name] сабақты өте жақсы түсіндіреді.');
      expect(text).to.include('The Wi-Fi in building B does not work in the afternoons.');
      expect(text).not.to.include('[name]-Fi');
      // The same comment three times (case and final punctuation aside) is shown once, with its count.
      expect(await section.locator('.comments li', { hasText: 'Wi-Fi in building B' }).count()).to.equal(1);
      expect(text).to.include('written by 3 respondents');
      expect(await section.locator('h3').allTextContents()).to.deep.equal(['Kazakh · 4 comments', 'Russian · 3 comments', 'English · 5 comments']);
      const problems = await problemsOf(page, 'dashboard comments', '#comments');
      await shot(page, `comments-${label}`, '#comments');
      expect(problems).to.deep.equal([]);
      await page.context().close();
    });

    it(`shows the audit log in words: names, translated actions, readable changes (${label})`, async () => {
      const world = await buildSurveyWorld();
      const admin = await createUser({ role: 'admin', name: 'Айгерім Сапарова' });
      const actor: Actor = { userId: admin._id, role: 'admin', email: admin.email, name: admin.name, lang: 'ru', faculties: [], programmes: [] };
      await issueSlips(actor, world.campaign._id, 4, { programme: world.programmesA[0], cohort: world.cohortsA[0] });
      const invited = (await call(env.srv.url, 'POST', '/api/users', { cookie: sessionCookie(env.srv.config, admin), body: { email: 'viewer.b@test.pikir.kz', name: 'Viewer B', role: 'viewer', faculties: [world.facultyA] } })).json as { user: { id: string } };
      await call(env.srv.url, 'PATCH', `/api/users/${invited.user.id}`, { cookie: sessionCookie(env.srv.config, admin), body: { role: 'council' } });
      await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
      const page = await signedIn(size, admin);
      await page.goto(`${env.srv.url}/admin/audit?lang=ru`);
      const table = page.locator('.audit-table');
      const text = (await table.textContent())!.replace(/\s+/g, ' ');
      for (const id of [world.campaign._id, world.facultyA, world.programmesA[0]!, world.cohortsA[0]!, invited.user.id, admin._id]) expect(text, id).not.to.include(id);
      expect(text).not.to.match(/issue_tokens|[{}"]/);
      expect(text).to.include('Выпуск бланков с кодами');
      expect(text).to.include('Student satisfaction 2025 (ru)');
      expect(text).to.include('Informatics (ru) · 2023');
      expect(text).to.include('Айгерім Сапарова');
      expect(await table.locator('tr', { hasText: 'Viewer B' }).first().textContent()).to.match(/Роль\s*:\s*Наблюдатель \(только чтение\)\s*→\s*Член совета по качеству/);
      expect(await page.locator('#f-entity option[value="campaigns"]').textContent()).to.equal('Опрос');
      const problems = await problemsOf(page, 'audit');
      await shot(page, `audit-${label}`);
      expect(problems).to.deep.equal([]);
      await page.context().close();
    });

    it(`writes counts in their plural forms, lists results with n, rate and dates, and starts campaign titles from the instrument (${label})`, async () => {
      const world = await buildSurveyWorld();
      await respond(world, world.campaign, 12);
      const admin = await createUser({ role: 'admin' });
      const page = await signedIn(size, admin);
      const problems: string[] = [];

      // Results list: n of target, the rate, the dates.
      await page.goto(`${env.srv.url}/results?lang=ru`);
      const row = page.locator(`tr[data-campaign="${world.campaign._id}"]`);
      const rowText = (await row.textContent())!.replace(/\s+/g, ' ');
      expect(rowText).to.include('12 из 155');
      expect(rowText).to.match(/7,7\s?%/);
      expect(rowText).to.match(/\d\d\.\d\d\.\d{4} – \d\d\.\d\d\.\d{4}/);
      problems.push(...(await problemsOf(page, 'results list')));
      await shot(page, `results-list-${label}`);

      // Instrument list: which version campaigns use, and whether a draft is in progress.
      await page.goto(`${env.srv.url}/instruments?lang=en`);
      const instruments = (await page.locator('main').textContent())!;
      expect(instruments).not.to.match(/latest v\d|published v\d/);
      expect(await page.locator('tr', { hasText: 'Student satisfaction' }).first().textContent()).to.match(/Version 1[\s\S]*Ready for campaigns/);
      problems.push(...(await problemsOf(page, 'instrument list')));
      await shot(page, `instruments-${label}`);

      // A new campaign: choosing the instrument fills the three titles with its title and the year.
      await page.goto(`${env.srv.url}/campaigns/new?lang=en`);
      await page.selectOption('#f-instrument', 'alumni@1');
      const year = await page.locator('#f-academicYear').inputValue();
      const alumni = (await InstrumentVersion.findById('alumni@1').lean())!.definition.title;
      expect(await page.locator('#f-title_kk').inputValue()).to.equal(`${alumni.kk} ${year}`);
      expect(await page.locator('#f-title_en').inputValue()).to.equal(`${alumni.en} ${year}`);
      // A title the user typed is kept when the instrument changes; the others follow it.
      await page.fill('#f-title_en', 'Graduates, first year after');
      await page.selectOption('#f-instrument', 'student-satisfaction@1');
      expect(await page.locator('#f-title_en').inputValue()).to.equal('Graduates, first year after');
      expect(await page.locator('#f-title_ru').inputValue()).to.match(new RegExp(`${year}$`));
      expect(await page.locator('#f-title_ru').inputValue()).not.to.include(alumni.ru);
      problems.push(...(await problemsOf(page, 'campaign form')));
      await shot(page, `campaign-form-${label}`, '.campaign-form > fieldset:first-of-type');

      // A respondent's error summary: "1 answer", not "1 answer(s)" / "…: 1".
      const respondent = await env.browser.newContext({ ...size, locale: 'ru-RU' });
      const student = await respondent.newPage();
      await student.goto(`${env.srv.url}/s/${world.campaign.linkId}?lang=kk`);
      await student.locator('main form button[type=submit]').first().click();
      await student.selectOption('#f-programme', world.programmesA[0]!);
      await student.selectOption('#f-cohort', world.cohortsA[0]!);
      await student.locator('main form button[type=submit]').last().click();
      // Answer every question of the first page but one, then go on.
      const radios = student.locator('main fieldset');
      const questions = await radios.count();
      for (let i = 1; i < questions; i++) await radios.nth(i).locator('input[type=radio]').first().check();
      await student.locator('main form button[type=submit]').last().click();
      const errors = await student.locator('.field-error').count();
      expect(errors).to.be.greaterThan(0);
      const summary = (await student.locator('.error-summary h2').textContent())!;
      expect(summary).to.equal(translate('kk', 'respond.errors.summary', { count: errors }));
      expect(summary).not.to.match(/\(|: \d/);
      await shot(student, `respond-errors-${label}`, '.error-summary');
      await respondent.close();

      expect(problems).to.deep.equal([]);
      await page.context().close();
    });

    it(`compares like with like in trends, and warns that a copy starts a new trend (${label})`, async () => {
      const world = await buildSurveyWorld();
      const wave = async (title: string, year: string, audience: CampaignDoc['audience'], day: string) => {
        const start = new Date(`${day}T00:00:00+05:00`);
        const c = await createCampaign(SYSTEM_ACTOR, { title: { kk: title, ru: title, en: title }, instrument: { id: 'student-satisfaction', version: 1 }, audience, academicYear: year, opensAt: start, closesAt: new Date(start.getTime() + 20 * 86_400_000), openLinkEnabled: true, openLinkCap: 0 }, 'open');
        await respond(world, c, 10, { day, seed: year.length + title.length });
        await setCampaignStatus(SYSTEM_ACTOR, c._id, 'closed');
        return c;
      };
      const earlier = await wave('University survey 2024', '2024-2025', { kind: 'university', ids: [] }, '2024-10-01');
      const programmeOnly = await wave('Informatics only 2025', '2025-2026', { kind: 'programme', ids: [world.programmesA[0]!] }, '2025-10-01');
      const latest = await wave('University survey 2025', '2025-2026', { kind: 'university', ids: [] }, '2025-10-20');
      // The fixture's faculty campaign (2025-2026) is not needed here.
      await Campaign.deleteOne({ _id: world.campaign._id });
      const admin = await createUser({ role: 'admin' });
      const page = await signedIn(size, admin);
      const problems: string[] = [];

      await page.goto(`${env.srv.url}/results/${latest._id}?lang=en#trends`);
      const trends = page.locator('#trends');
      expect(await trends.locator('thead th').allTextContents()).to.deep.equal(['Question', '2024-2025', '2025-2026']);
      const basis = (await trends.locator('[data-trends-basis]').textContent())!;
      expect(basis).to.include('asked everyone in «University»');
      expect(basis).to.include('«Informatics only 2025» (2025-2026)');
      problems.push(...(await problemsOf(page, 'trends', '#trends')));
      await shot(page, `trends-${label}`, '#trends');

      // The programme-only campaign, seen at university level, is compared only with its own audience.
      await page.goto(`${env.srv.url}/results/${programmeOnly._id}?unit=university&lang=en#trends`);
      expect(await page.locator('[data-trends-basis]').textContent()).to.include('asked only part of');
      expect(await page.locator('#trends').textContent()).to.include('No earlier campaign');
      void earlier;

      // Copying a library instrument: the page says the trend breaks and offers a new version instead.
      await page.goto(`${env.srv.url}/instruments/student-satisfaction?lang=en`);
      const warning = page.locator('#clone-trends');
      expect(await warning.textContent()).to.include('A copy starts its own trend.');
      expect(await warning.textContent()).to.include('comes from the library');
      await page.fill('#clone-id', 'satisfaction-copy');
      // The box is required: the browser does not send the form without it.
      await page.locator('.clone-form button[type=submit]').click();
      expect(new URL(page.url()).pathname).to.equal('/instruments/student-satisfaction');
      problems.push(...(await problemsOf(page, 'instrument page')));
      await shot(page, `clone-warning-${label}`, '.actions-card');
      // Sent without the box anyway (an old page, a script): refused with the reason, nothing copied.
      const refused = await page.evaluate(async () => {
        const form = document.querySelector<HTMLFormElement>('.clone-form')!;
        const body = new URLSearchParams();
        for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name]'))) if (input.name !== 'confirmNewTrend') body.append(input.name, input.value);
        const res = await fetch(form.action, { method: 'POST', body });
        return { status: res.status, text: await res.text() };
      });
      expect(refused.status).to.equal(400);
      expect(refused.text).to.include('Not copied');
      expect(await InstrumentVersion.countDocuments({ instrumentId: 'satisfaction-copy' })).to.equal(0);
      // The offered way: a new version, which keeps the trend.
      await Promise.all([page.waitForURL(/student-satisfaction/), page.locator('#clone-trends button[type=submit]').click()]);
      expect(await InstrumentVersion.countDocuments({ instrumentId: 'student-satisfaction', version: 2, status: 'draft' })).to.equal(1);
      // With the box ticked the copy is made.
      await page.goto(`${env.srv.url}/instruments/student-satisfaction?lang=en`);
      expect(await page.locator('#clone-trends a.button').textContent()).to.equal('Edit draft version 2 instead');
      await page.fill('#clone-id', 'satisfaction-copy');
      await page.check('#clone-confirm');
      await Promise.all([page.waitForURL(/satisfaction-copy/), page.locator('.clone-form button[type=submit]').click()]);
      expect(await InstrumentVersion.countDocuments({ instrumentId: 'satisfaction-copy' })).to.equal(1);
      expect(problems).to.deep.equal([]);
      await page.context().close();
    });
  }
});
