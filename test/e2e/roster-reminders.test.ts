// Reaching students in Chromium, on a phone (kk, ru) and a laptop (en, ru): a roster with a bad row is
// refused by line, the corrected one previewed and imported; invitations sent from the page arrive at a real
// SMTP server, each student's HTML mail in their language, its link opening the survey in that language; the
// reminder schedule set, refused when a step is incomplete, saved. Every page axe-clean (no serious or
// critical finding), no sideways scrolling; screenshots in /tmp/e2e-roster-*.png.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Contact, Mailing } from '../../server/invitations/model.js';
import { InvitationWorker } from '../../server/invitations/sender.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { startInbox, type Inbox } from '../support/smtp.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

const LAPTOP = { viewport: { width: 1280, height: 800 } };
const CASES = [
  { size: 'phone', viewport: PHONE, lang: 'kk', text: { import: 'Тізімді импорттау', check: 'Файлды тексеру', send: 'Шақыруларды қазір жіберу', schedule: 'Кестені баптау', save: 'Кестені сақтау', heading: 'Еске салу кестесі', saved: 'Кесте сақталды.', step1: '1-қадам: күндер шақырудан кейін бе', formula: 'электрондық кесте формулалары қабылданбайды', ambiguous: '«2024» ағымы 2 бағдарламада бар' } },
  { size: 'phone', viewport: PHONE, lang: 'ru', text: { import: 'Импортировать список', check: 'Проверить файл', send: 'Отправить приглашения', schedule: 'Настроить расписание', save: 'Сохранить расписание', heading: 'Расписание напоминаний', saved: 'Расписание сохранено.', step1: 'Шаг 1: выберите, считаются ли дни', formula: 'формулы электронных таблиц не принимаются', ambiguous: 'поток «2024» есть в 2 программах' } },
  { size: 'laptop', viewport: LAPTOP, lang: 'en', text: { import: 'Import a roster', check: 'Check the file', send: 'Send invitations now', schedule: 'Set the schedule', save: 'Save the schedule', heading: 'Reminder schedule', saved: 'Schedule saved.', step1: 'Step 1: choose whether the days count', formula: 'spreadsheet formulas are not accepted', ambiguous: '"2024" is a cohort of 2 programmes' } },
  { size: 'laptop', viewport: LAPTOP, lang: 'ru', text: { import: 'Импортировать список', check: 'Проверить файл', send: 'Отправить приглашения', schedule: 'Настроить расписание', save: 'Сохранить расписание', heading: 'Расписание напоминаний', saved: 'Расписание сохранено.', step1: 'Шаг 1: выберите, считаются ли дни', formula: 'формулы электронных таблиц не принимаются', ambiguous: 'поток «2024» есть в 2 программах' } },
] as const;
/** How each student's invitation greets them, in their language, and the survey's start button there. */
const GREETING: Record<string, { lang: string; text: string; start: string }> = {
  'aigerim@student.kz': { lang: 'kk', text: 'Құрметті Айгерім Нұрланқызы!', start: 'Бастау' },
  'bad@student.kz': { lang: 'ru', text: 'Здравствуйте, Bota!', start: 'Начать' },
  'sam@student.kz': { lang: 'en', text: 'Dear student,', start: 'Start' },
};

const csv = (rows: string[]) => ({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(['email;name;cohort;language', ...rows].join('\r\n')) });

describe('roster import and reminder schedule in a browser', () => {
  let smtp: Inbox;
  before(async () => {
    smtp = await startInbox();
  });
  after(async () => smtp.close());
  // SMTP_URL set lets the page offer sending (the server in this process runs no worker); the test's worker
  // delivers to the inbox.
  const env = serverAndBrowser({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'Pikir <qa@university.kz>' });

  for (const { size, viewport, lang, text } of CASES) {
    it(`on a ${size} (${lang}): imports a roster by line and sets a schedule`, async () => {
      const world = await buildSurveyWorld();
      const admin = await createUser({ role: 'admin', lang });
      const context = await env.browser.newContext({ ...viewport, bypassCSP: true, locale: lang === 'kk' ? 'kk-KZ' : 'en-US' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      const check = async (shot: string) => {
        expect(await seriousViolations(page), shot).to.deep.equal([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${shot}: sideways scrolling`).to.be.at.most(viewport.viewport!.width);
        await page.screenshot({ path: `/tmp/e2e-roster-${size}-${lang}-${shot}.png`, fullPage: true });
      };
      const submit = (p: Page, name: string) => Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name }).click()]);
      try {
        await page.goto(`${env.srv.url}/login?lang=${lang}`);
        await page.fill('input[name=email]', admin.email);
        await page.fill('input[name=password]', TEST_PASSWORD);
        await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('button[type=submit]')]);

        await page.goto(`${env.srv.url}/campaigns/${world.campaign._id}/invitations`);
        await Promise.all([page.waitForURL(/\/invitations\/roster$/), page.getByRole('link', { name: text.import }).click()]);
        expect(await page.locator('.inline-list code').allInnerTexts()).to.include.members(['6B06101/2023', '6B06101/2024', '6B06102/2024']);
        await check('1-roster');

        // A file with a formula and an ambiguous cohort: refused whole, each problem by line.
        await page.setInputFiles('#r-file', csv(['aigerim@student.kz;Айгерім Нұрланқызы;6B06101/2024;kk', 'bad@student.kz;=HYPERLINK("x");2023;ru', 'sam@student.kz;;2024;en']));
        await submit(page, text.check);
        const alert = page.locator('#roster-problems');
        await alert.waitFor();
        const alertText = await alert.innerText();
        // Each problem in the page's language (a plural form for the two programmes), no English sentence on a kk or ru page.
        expect(alertText).to.match(/3/).and.contain(text.formula).and.contain(text.ambiguous);
        if (lang !== 'en') expect(await page.locator('main').innerText()).to.not.match(/spreadsheet formulas|is a cohort of|not accepted/);
        expect(await page.locator('tr.is-bad').count()).to.equal(2);
        await check('2-problems');

        // The corrected file: previewed, then imported on confirmation.
        await page.setInputFiles('#r-file', csv(['aigerim@student.kz;Айгерім Нұрланқызы;6B06101/2024;kk', 'bad@student.kz;Bota;2023;ru', 'sam@student.kz;;6B06102/2024;en']));
        await submit(page, text.check);
        await page.locator('.flash-ok').waitFor();
        expect(await Contact.countDocuments(), 'nothing before confirming').to.equal(0);
        await check('3-preview');
        await Promise.all([page.waitForURL(/\/invitations\?done=imported&n=3$/), page.locator('form:has(input[name=confirm]) button').click()]);
        expect(await Contact.countDocuments()).to.equal(3);
        await check('4-imported');

        // Invitations sent from the page reach a real SMTP server: HTML with a plain-text alternative in each
        // student's language, whose personal link opens the survey in that language.
        smtp.mails.length = 0;
        await Promise.all([page.waitForURL(/\/invitations\?done=/), page.getByRole('button', { name: text.send }).click()]);
        const worker = new InvitationWorker({ config: { ...env.srv.config, smtpUrl: smtp.url } });
        await worker.drain();
        await worker.stop();
        expect(smtp.mails.map((m) => m.to).sort()).to.deep.equal(Object.keys(GREETING).sort());
        for (const mail of smtp.mails) {
          const expected = GREETING[mail.to]!;
          // Each student reads the mail on their own device, whose browser prefers another language.
          const device = await env.browser.newContext({ ...viewport, locale: expected.lang === 'en' ? 'ru-RU' : 'en-US' });
          const mailPage = await device.newPage();
          expect(mail.parts).to.deep.equal(['text/plain', 'text/html']);
          expect(mail.text).to.contain(expected.text);
          await mailPage.setContent(mail.html);
          expect(await mailPage.getAttribute('html', 'lang')).to.equal(expected.lang);
          expect(await mailPage.locator('body').innerText()).to.contain(expected.text);
          expect(await mailPage.evaluate(() => document.documentElement.scrollWidth), 'mail: sideways scrolling').to.be.at.most(viewport.viewport!.width);
          await mailPage.screenshot({ path: `/tmp/e2e-roster-${size}-${lang}-mail-${expected.lang}.png`, fullPage: true });
          const link = mailPage.locator('a[href*="/t/"]');
          expect(await link.count()).to.equal(1);
          await mailPage.goto(String(await link.getAttribute('href')));
          expect(await mailPage.getAttribute('html', 'lang'), `${mail.to}: the survey in their language`).to.equal(expected.lang);
          expect(await mailPage.getByRole('button', { name: expected.start }).count(), `${mail.to}: the survey's start button`).to.equal(1);
          await device.close();
        }

        // The schedule: an incomplete step is refused with its row named; a full one saved.
        await Promise.all([page.waitForURL(/\/invitations\/schedule$/), page.getByRole('link', { name: text.schedule }).click()]);
        await page.getByRole('heading', { level: 1, name: text.heading }).waitFor();
        await page.fill('#s-days-0', '3');
        await submit(page, text.save);
        expect(await page.locator('.error-summary').innerText()).to.contain(text.step1);
        await check('5-schedule-error');
        await page.selectOption('#s-from-0', 'invitation');
        await page.fill('#s-days-1', '7');
        await page.selectOption('#s-from-1', 'invitation');
        await page.fill('#s-days-2', '1');
        await page.selectOption('#s-from-2', 'close');
        await page.fill('#s-max', '2');
        await Promise.all([page.waitForURL(/\/invitations\/schedule\?done=saved$/), page.getByRole('button', { name: text.save }).click()]);
        expect(await page.locator('.flash-ok').innerText()).to.equal(text.saved);
        expect(await page.inputValue('#s-days-1')).to.equal('7');
        expect((await Mailing.findById(world.campaign._id).lean())!.schedule).to.deep.equal([
          { from: 'invitation', days: 3 },
          { from: 'invitation', days: 7 },
          { from: 'close', days: 1 },
        ]);
        await check('6-schedule-saved');
        expect(problems).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }
});
