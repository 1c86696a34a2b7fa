// The exports page and the printable report in Chromium: the council report made by a job with its
// progress on the page and downloaded when ready, the evidence pack and the response-level data the same
// way, the printable report
// drawn with the dashboard's charts and laid out into A4 pages — on a phone at the screen's width, printed
// from there at A4 again — no serious accessibility violations.
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, sessionCookie } from '../support/factories.js';
import { pdfText } from '../support/exports.js';
import { expectContentsMatchPages } from '../support/report-checks.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

const LAPTOP = { viewport: { width: 1280, height: 900 } };

describe('reports and exports in Chromium', () => {
  // With Socket.IO: the dashboard the exports page is reached from connects for live counts.
  const env = serverAndBrowser({}, { realtime: true });

  it('makes the council report and the evidence pack as jobs with progress on the page, and downloads them when ready', async function () {
    this.timeout(180_000);
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(5);
    const [pA1] = world.programmesA as [string];
    const [c1, c2] = world.cohortsA as [string, string];
    const group = (cohort: string, n: number) => Array.from({ length: n }, () => ({ answers: syntheticAnswers(def, random, 3.8), segment: { faculty: world.facultyA, programme: pA1, cohort }, day: '2025-10-01' }));
    await env.srv.services.submissions.storeAccepted(world.campaign, def, [...group(c1, 14), ...group(c2, 9)]);
    await env.srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const council = await createUser({ role: 'council', faculties: [world.facultyA] });
    const [name, value] = sessionCookie(env.srv.config, council).split('=') as [string, string];
    // bypassCSP: axe-core is injected as an inline script (the pages themselves need no exception).
    const context = await env.browser.newContext({ ...LAPTOP, acceptDownloads: true, bypassCSP: true });
    await context.addCookies([{ name, value, url: env.srv.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // From the dashboard to the exports page.
    await page.goto(`${env.srv.url}/results/${world.campaign._id}?lang=kk`);
    await Promise.all([page.waitForURL(/\/exports/), page.click('a[data-exports-link]')]);
    const problems = (await seriousViolations(page)).map((v) => `exports: ${v.id} ${v.help} ${v.nodes.join(', ')}`);

    // The council report: the page shows the job's steps, then the file downloads.
    const report = page.waitForEvent('download', { timeout: 120_000 });
    await page.click('[data-job="report"]');
    await page.waitForFunction(() => !document.querySelector('[data-job-status="report"]')?.hasAttribute('hidden'));
    const step = await page.locator('[data-job-status="report"] [data-job-text]').textContent();
    expect(step, 'a step of the job is shown').to.match(/\S/);
    const pdf = await report;
    expect(pdf.suggestedFilename()).to.match(/^pikir-.+-report\.pdf$/);
    const body = await pdf.createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    });
    expect(body.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(await page.locator('[data-job-status="report"] progress').evaluate((p: HTMLProgressElement) => p.value === p.max)).to.equal(true);

    // The evidence pack of the programme, the same way.
    const pack = page.waitForEvent('download', { timeout: 150_000 });
    await page.selectOption('[data-programme]', pA1);
    await page.click('[data-job="evidence"]');
    expect((await pack).suggestedFilename()).to.match(/^pikir-evidence-.+-2025-2026\.zip$/);

    // The printable report: the dashboard's charts drawn, the contents with page numbers.
    await Promise.all([page.waitForURL(/\/report/), page.click('a[href*="/report?"]')]);
    await page.waitForSelector('html[data-ready]', { state: 'attached' });
    expect(await page.locator('.result-card canvas').count()).to.be.greaterThan(20);
    // Every chart drawn, the % agree beside each distribution too (the dashboard leaves it out on a phone; a report never).
    const undrawn = () => document.querySelectorAll('.result-card canvas').length - Array.from(document.querySelectorAll('.result-card canvas')).filter((c) => (window as unknown as { Chart: { getChart(c: Element): unknown } }).Chart.getChart(c)).length;
    expect(await page.evaluate(undrawn)).to.equal(0);
    const tocPages = await page.locator('[data-toc-page]').allTextContents();
    expect(tocPages.every((p) => /^\d+$/.test(p))).to.equal(true);
    expect(tocPages.map(Number)).to.deep.equal([...tocPages.map(Number)].sort((a, b) => a - b));
    problems.push(...(await seriousViolations(page)).map((v) => `report: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
    const reportUrl = page.url();

    // On a phone the printable report reads at the screen's width (only a wide table scrolls, in its own
    // box), its contents still give the printed page numbers, and printing it lays it out for A4 again.
    const phone = await env.browser.newContext({ ...PHONE, bypassCSP: true });
    await phone.addCookies([{ name, value, url: env.srv.url }]);
    const small = await phone.newPage();
    small.on('pageerror', (e) => errors.push(String(e)));
    await small.goto(reportUrl);
    await small.waitForSelector('html[data-ready]', { state: 'attached' });
    // (A phone widens its layout to fit content that is too wide: compare with the screen, not the window.)
    expect(await small.evaluate(() => document.documentElement.scrollWidth), 'the page scrolls sideways').to.be.at.most(PHONE.viewport!.width);
    expect(await small.locator('[data-toc-page]').allTextContents()).to.deep.equal(tocPages);
    expect(await small.evaluate(undrawn), 'charts not drawn on a phone').to.equal(0);
    problems.push(...(await seriousViolations(small)).map((v) => `report on a phone: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
    const printed = pdfText(await small.pdf({ preferCSSPageSize: true }));
    expectContentsMatchPages(printed.text, 'kk');
    await phone.close();

    expect(problems).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('makes the response-level data as a job on the exports page: the steps shown, then the file downloads', async function () {
    this.timeout(120_000);
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(9);
    const [pA1] = world.programmesA as [string];
    const answers = Array.from({ length: 14 }, () => ({ answers: syntheticAnswers(def, random, 3.6), segment: { faculty: world.facultyA, programme: pA1, cohort: world.cohortsA[0] }, day: '2025-10-01' }));
    await env.srv.services.submissions.storeAccepted(world.campaign, def, answers);
    await env.srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const [name, value] = sessionCookie(env.srv.config, await createUser({ role: 'admin' })).split('=') as [string, string];
    const context = await env.browser.newContext({ ...LAPTOP, acceptDownloads: true });
    await context.addCookies([{ name, value, url: env.srv.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${env.srv.url}/results/${world.campaign._id}/exports?lang=ru`);
    const file = page.waitForEvent('download', { timeout: 60_000 });
    await page.click('[data-job="responses"][data-format="csv"]');
    await page.waitForFunction(() => !document.querySelector('[data-job-status="responses"]')?.hasAttribute('hidden'));
    const csv = await file;
    expect(csv.suggestedFilename()).to.equal(`pikir-${world.campaign._id}-university-responses.csv`);
    const body = await csv.createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(body.split('\r\n').filter(Boolean)).to.have.length(15);
    // The page stayed where it was (no navigation to the job's page) and shows the last step with a full bar.
    expect(page.url()).to.match(/\/exports\?lang=ru$/);
    expect(await page.locator('[data-job-status="responses"] progress').evaluate((p: HTMLProgressElement) => p.value === p.max)).to.equal(true);
    expect(await page.locator('[data-job-status="responses"] a').textContent()).to.equal(csv.suggestedFilename());
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
