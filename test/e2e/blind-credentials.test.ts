// A student on a phone answers the academic-integrity survey with a blind credential: the slip's link gets
// the credential in the browser (RFC 9474, blindrsa-ts from our own origin, under the strict CSP), the survey
// is answered through its own link — the token never travels with the answers, the credential request
// carries no cookie — and the credential is forgotten once the answers are stored. Without JavaScript the
// pages say why they cannot work; a second browser with the same slip gets no second credential.
import { expect } from 'chai';
import type { Page, Request } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens } from '../../server/campaigns/tokens.js';
import { submissionIdOf } from '../../server/credentials/spend.js';
import { responseIdFor, responsesCollection } from '../../server/responses/store.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

describe('blind credentials in Chromium', () => {
  const env = serverAndBrowser();
  let world: SurveyWorld;
  beforeEach(async () => {
    world = await buildSurveyWorld({ instrument: 'integrity', blindCredentials: true });
  });

  const stored = (key: string) => (page: Page) => page.evaluate((k) => localStorage.getItem(k), key);

  it('completes the integrity survey on a phone with a blind credential got from the slip, never sending the token with the answers', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const context = await env.browser.newContext({ ...PHONE, locale: 'kk-KZ' });
    const page = await context.newPage();
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The slip's QR code: the credential is made and kept in this browser.
    await page.goto(`${env.srv.url}/t/${token}`);
    await page.getByText('Куәлігіңіз дайын және осы браузерде сақтаулы.').waitFor({ timeout: 20_000 });
    expect(errors).to.deep.equal([]);
    const kept = JSON.parse((await stored(`pikir.credential.${world.campaign._id}`)(page)) ?? 'null') as { message: string; signature: string } | null;
    expect(kept?.message).to.match(/^[A-Za-z0-9_-]{86}$/);
    expect(await stored(`pikir.credential.pending.${world.campaign._id}`)(page)).to.equal(null);
    // The credential request carried the token and a blinded message, and no cookie.
    const issuance = requests.find((r) => r.url().endsWith(`/api/respond/${world.campaign.linkId}/credential`))!;
    expect(issuance.method()).to.equal('POST');
    expect((await issuance.allHeaders()).cookie).to.equal(undefined);
    expect(JSON.parse(issuance.postData()!)).to.have.keys(['token', 'blindedMessage']);
    expect(await page.locator('[data-fingerprint], .blind-explainer').first().textContent()).to.include('Кілттің саусақ ізі');

    // The survey is answered through its own link.
    await page.getByRole('link', { name: 'Сауалнаманы бастау' }).click();
    expect(new URL(page.url()).pathname).to.equal(`/s/${world.campaign.linkId}`);
    await page.getByRole('button', { name: 'Бастау' }).click();
    await page.selectOption('#f-programme', world.programmesA[0]!);
    await page.selectOption('#f-cohort', world.cohortsA[0]!);
    await page.getByRole('button', { name: 'Келесі' }).click();
    // Every page of the integrity survey: one answer on the first, the rest left (none is required).
    await page.locator('input[type=radio]').first().check();
    for (let i = 0; i < 10 && !(await page.getByRole('button', { name: 'Жауаптарымды жіберу' }).isVisible()); i++) {
      await page.getByRole('button', { name: 'Келесі' }).click();
    }
    await page.getByRole('button', { name: 'Жауаптарымды жіберу' }).click();
    expect(await page.locator('h1').textContent()).to.equal('Рақмет!');
    expect(await page.getByText('Куәлігіңіз пайдаланылып, осы браузерден жойылды.').isVisible()).to.equal(true);
    // The page's module forgets the credential once it runs (it may run just after the heading is there).
    await page.waitForFunction((key) => localStorage.getItem(key) === null, `pikir.credential.${world.campaign._id}`, { timeout: 10_000 });

    // One response, stored under its credential; the token appears in no request after the credential page.
    const responses = await (await responsesCollection(world.campaign._id)).find({}).toArray();
    expect(responses).to.have.length(1);
    expect(responses[0]!._id).to.equal(responseIdFor(submissionIdOf(Buffer.from(kept!.message, 'base64url'))));
    const afterCredential = requests.slice(requests.indexOf(issuance) + 1);
    for (const r of afterCredential) {
      expect(r.url(), 'a request after the credential').not.to.include(token);
      expect(r.postData() ?? '', 'a request body after the credential').not.to.include(token);
    }
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('gives no second credential for a slip to another browser, and says why', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const first = await env.browser.newContext({ ...PHONE, locale: 'ru-RU' });
    const a = await first.newPage();
    await a.goto(`${env.srv.url}/t/${token}`);
    await a.getByText('Удостоверение готово и хранится в этом браузере.').waitFor({ timeout: 20_000 });
    // The same browser coming back keeps its credential.
    await a.reload();
    await a.getByText('Удостоверение готово и хранится в этом браузере.').waitFor();
    const second = await env.browser.newContext({ ...PHONE, locale: 'ru-RU' });
    const b = await second.newPage();
    await b.goto(`${env.srv.url}/t/${token}`);
    await b.getByText('Удостоверение по этой ссылке или талону уже выдано').waitFor({ timeout: 20_000 });
    expect(await b.getByRole('link', { name: 'Начать опрос' }).isVisible()).to.equal(false);
    await first.close();
    await second.close();
  });

  it('takes a slip code typed on the survey\u2019s own page', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const context = await env.browser.newContext({ ...PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${env.srv.url}/s/${world.campaign.linkId}`);
    expect(await page.getByRole('button', { name: 'Start' }).isVisible()).to.equal(false);
    await page.getByLabel('Code from your slip').fill('zzzz-zzzz-zzzz');
    await page.getByRole('button', { name: 'Get my credential' }).click();
    await page.getByText('This code is not valid.').waitFor({ timeout: 20_000 });
    await page.getByLabel('Code from your slip').fill(`${token.slice(0, 4)}-${token.slice(4, 8)}-${token.slice(8).toUpperCase()}`);
    await page.getByRole('button', { name: 'Get my credential' }).click();
    await page.getByText('Your credential is ready and kept in this browser.').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Start' }).isVisible()).to.equal(true);
    await context.close();
  });

  it('says in the page\u2019s language why the survey cannot be answered without JavaScript', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const context = await env.browser.newContext({ ...PHONE, locale: 'kk-KZ', javaScriptEnabled: false });
    const page = await context.newPage();
    // (Playwright's text selectors skip <noscript>: read it with CSS.)
    const notice = page.locator('noscript p').first();
    await page.goto(`${env.srv.url}/t/${token}`);
    expect(await notice.isVisible()).to.equal(true);
    expect(await notice.textContent()).to.include('Бұл сауалнамаға JavaScript қажет');
    await page.goto(`${env.srv.url}/s/${world.campaign.linkId}?lang=ru`);
    expect(await notice.isVisible()).to.equal(true);
    expect(await notice.textContent()).to.include('Для этого опроса нужен JavaScript');
    expect(await page.getByRole('button', { name: 'Начать' }).isVisible()).to.equal(false);
    await context.close();
  });

  it('has no serious or critical accessibility violations on the credential pages and the verification page', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const context = await env.browser.newContext({ ...PHONE, bypassCSP: true, locale: 'kk-KZ' });
    const page = await context.newPage();
    const pages: Record<string, unknown> = {};
    await page.goto(`${env.srv.url}/t/${token}`);
    await page.getByText('Куәлігіңіз дайын').waitFor({ timeout: 20_000 });
    pages.credential = await seriousViolations(page);
    await page.goto(`${env.srv.url}/s/${world.campaign.linkId}`);
    pages.intro = await seriousViolations(page);
    await page.goto(`${env.srv.url}/credentials/${world.campaign._id}`);
    pages.verification = await seriousViolations(page);
    for (const [name, violations] of Object.entries(pages)) expect(violations, name).to.deep.equal([]);
    await context.close();
  });
});
