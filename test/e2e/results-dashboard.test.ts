// The results dashboard and meeting mode in Chromium (issue 19 points 2, 4, 5), at 390×844, 1280×720 and
// 1920×1080, in kk, ru and en (screenshots with E2E_SCREENSHOTS): every figure on a screen comes from one state while responses arrive over HTTP; the dashboard
// is a summary and sections (one at a time with JavaScript, one page of anchors without), a sticky filter,
// chart labels that fit a phone, a readable trends chart; every slide of meeting mode fits the screen, with
// an overview slide, keyboard help and no wrapping. Every page passes axe and none scrolls sideways.
import { expect } from 'chai';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import type { CampaignResults } from '../../server/analytics/results.js';
import { formatPercent } from '../../server/analytics/stats/index.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { targetsOf } from '../../server/campaigns/target.js';
import { saveCouncil } from '../../server/councils/council-service.js';
import { createMeeting } from '../../server/councils/meetings-service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { formatDay, localDay } from '../../server/lib/dates.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { PHONE, PROJECTOR, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, sessionCookie } from '../support/factories.js';
import { screenshot, seriousViolationsWithoutJs } from '../support/staff-e2e.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const LAPTOP_720: BrowserContextOptions = { viewport: { width: 1280, height: 720 } };
const TABS = ['summary', 'items', 'scales', 'comparisons', 'comments', 'trends'];

describe('the results dashboard and meeting mode', () => {
  const env = serverAndBrowser({ SUPPRESSION_K: '5' }, { realtime: true });
  let world: SurveyWorld;
  const random = seededRandom(23);

  beforeEach(async () => {
    world = await buildSurveyWorld();
  });

  /** Stores responses through the submission service (as many as a class would send), then flushes. */
  async function store(campaign: CampaignDoc, count: number, segment: { programme: string; cohort: string }, day: string): Promise<void> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const responses = Array.from({ length: count }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, ...segment }, day }));
    await env.srv.services.submissions.storeAccepted(campaign, def, responses);
    await env.srv.services.writer.flush();
  }

  /** Responses over HTTP, as respondents send them. */
  async function submit(count: number): Promise<void> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${env.srv.url}/api/respond/${world.campaign.linkId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ submissionId: randomBase32(26), lang: 'en', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 4) }),
      });
      expect(res.status).to.equal(201);
    }
  }

  /** A closed campaign with groups of every size (one below k) and, a year earlier, a wave to compare with. */
  async function closedWithHistory(): Promise<void> {
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];
    const earlier = await createCampaign(
      SYSTEM_ACTOR,
      { title: { kk: 'Өткен жыл', ru: 'Прошлый год', en: 'Last year' }, instrument: { id: 'student-satisfaction', version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] }, academicYear: '2024-2025', opensAt: new Date(Date.now() - 86_400_000), closesAt: new Date(Date.now() + 86_400_000), openLinkEnabled: true, openLinkCap: 0 },
      'open',
    );
    await store(earlier, 24, { programme: pA1, cohort: c1 }, '2025-03-02');
    await store(earlier, 14, { programme: pA2, cohort: c3 }, '2025-03-03');
    await setCampaignStatus(SYSTEM_ACTOR, earlier._id, 'closed');
    await store(world.campaign, 26, { programme: pA1, cohort: c1 }, '2026-03-02');
    await store(world.campaign, 12, { programme: pA1, cohort: c2 }, '2026-03-03');
    await store(world.campaign, 18, { programme: pA2, cohort: c3 }, '2026-03-03');
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
  }

  async function pageAs(role: 'admin' | 'council', viewport: BrowserContextOptions, options: { javaScript?: boolean } = {}): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const user = await createUser(role === 'admin' ? { role: 'admin' } : { role: 'council', faculties: [world.facultyA], name: 'Secretary', lang: 'en' });
    const context = await env.browser.newContext({ ...viewport, bypassCSP: true, locale: 'en-US', javaScriptEnabled: options.javaScript ?? true });
    const [name, value] = sessionCookie(env.srv.config, user).split('=') as [string, string];
    const url = new URL(env.srv.url);
    await context.addCookies([{ name, value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    return { page, problems, close: () => context.close() };
  }

  async function fitsAndPassesAxe(page: Page, label: string): Promise<void> {
    expect(await seriousViolations(page), `axe on ${label}`).to.deep.equal([]);
    const width = page.viewportSize()!.width;
    const wide = await page.evaluate((w) => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => `${e.tagName}.${e.className}`), width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label} scrolls sideways: ${wide.join(', ')}`).to.be.at.most(width);
  }

  /** What one page shows about responses, read in one go (source text: it runs in the page as it is). */
  const READ_RESPONSES = `(() => {
    const text = (selector) => Array.from(document.querySelectorAll(selector)).map((e) => e.textContent.trim());
    const daily = document.querySelector('canvas[data-chart="daily"]');
    const chart = daily ? Chart.getChart(daily) : undefined;
    const totals = text('[data-live-daily] tr td:last-child');
    return {
      counts: text('[data-live-count]'),
      rates: text('[data-live-rate-text]'),
      sentences: text('[data-live-text]'),
      progress: Array.from(document.querySelectorAll('progress[data-live-rate]')).map((p) => p.value),
      dailyTotal: totals.length ? Number(totals.at(-1)) : null,
      chartLast: chart ? (chart.data.datasets[0].data.at(-1) ?? null) : null,
    };
  })()`;
  interface Responses {
    counts: string[];
    rates: string[];
    sentences: string[];
    progress: number[];
    dailyTotal: number | null;
    chartLast: number | null;
  }

  /** Records what the page shows each time its count changes (after the redraw that changed it). */
  async function recordResponses(page: Page): Promise<void> {
    await page.evaluate(`(() => {
      window.__samples = [${READ_RESPONSES}];
      const observer = new MutationObserver(() => window.__samples.push(${READ_RESPONSES}));
      for (const el of document.querySelectorAll('[data-live-count]')) observer.observe(el, { childList: true, characterData: true, subtree: true });
    })()`);
  }

  function expectOneState(sample: Responses, target: number, label: string, timeline: boolean): number {
    const n = Number(sample.counts[0]);
    const rate = formatPercent(n / target, 'en');
    expect(new Set(sample.counts), `${label}: every count`).to.deep.equal(new Set([String(n)]));
    for (const r of sample.rates) expect(r, `${label}: rate beside ${n}`).to.equal(rate);
    for (const s of sample.sentences) expect(s, `${label}: sentence beside ${n}`).to.satisfy((t: string) => t.includes(rate) || t.includes(`n = ${n}`));
    for (const p of sample.progress) expect(p, `${label}: bar beside ${n}`).to.be.closeTo(Math.min(1, n / target), 1e-9);
    if (timeline) {
      expect(sample.dailyTotal, `${label}: timeline table beside ${n}`).to.equal(n);
      expect(sample.chartLast, `${label}: timeline chart beside ${n}`).to.equal(n);
    }
    return n;
  }

  it('shows one state while responses arrive: count, rate against the target and timeline agree, on the dashboard and in meeting mode', async function () {
    this.timeout(90_000);
    const [c1, c2] = world.cohortsA as [string, string];
    await store(world.campaign, 12, { programme: world.programmesA[0]!, cohort: c1 }, '2026-11-20');
    await store(world.campaign, 9, { programme: world.programmesA[0]!, cohort: c2 }, '2026-11-21');
    const target = (await targetsOf(world.campaign)).total;
    expect(target, 'the cohorts of faculty A enrol 155').to.equal(155);
    const dash = await pageAs('admin', LAPTOP_720);
    const deck = await pageAs('admin', PROJECTOR);
    try {
      await dash.page.goto(`${env.srv.url}/results/${world.campaign._id}?lang=en`);
      await deck.page.goto(`${env.srv.url}/results/${world.campaign._id}/present?lang=en`);
      await dash.page.waitForFunction(() => document.querySelector('[data-live-status]')?.getAttribute('data-state') === 'live');
      await deck.page.waitForFunction(() => document.querySelector('[data-live-status]')?.getAttribute('data-state') === 'live');
      await recordResponses(dash.page);
      await recordResponses(deck.page);

      await submit(7);
      for (const { page } of [dash, deck]) await page.waitForFunction(() => document.querySelector('[data-live-count]')?.textContent === '28', undefined, { timeout: 5_000 });
      const dashSamples = (await dash.page.evaluate('window.__samples')) as Responses[];
      const deckSamples = (await deck.page.evaluate('window.__samples')) as Responses[];
      expect(dashSamples.length, 'the dashboard redrew as responses arrived').to.be.greaterThan(1);
      // At every moment the count changed, everything beside it showed the same state.
      const seen = dashSamples.map((s, i) => expectOneState(s, target, `dashboard, sample ${i}`, true));
      deckSamples.forEach((s, i) => expectOneState(s, target, `meeting mode, sample ${i}`, false));
      expect(seen.at(-1)).to.equal(28);
      const [onDash, onDeck] = [(await dash.page.evaluate(READ_RESPONSES)) as Responses, (await deck.page.evaluate(READ_RESPONSES)) as Responses];
      expect(onDeck.rates[0]).to.equal(formatPercent(28 / target, 'en'));
      expect(onDash.sentences[0], 'the dashboard shows the rate meeting mode shows').to.equal(`${onDeck.rates[0]} of the target of ${target}`);
      expect(onDeck.sentences.join(' ')).to.include(`n = 28 of a target of ${target}`);

      // Seven new answers of one cohort release a new cut: the dashboard fetches itself again, and its
      // tables and charts show that one state (n on the card = n in the chart = n the page's results carry).
      const universityN = () => {
        const results = JSON.parse(document.querySelector<HTMLElement>('[data-results]')!.dataset.results!) as CampaignResults;
        return results.units.find((u) => u.key === 'university')!.n ?? 0;
      };
      expect(await dash.page.evaluate(universityN)).to.equal(21);
      await dash.page.waitForFunction(`(${universityN.toString()})() > 21`, undefined, { timeout: 8_000 });
      await dash.page.click('[data-tabs] a[href="#items"]');
      const figures = await dash.page.evaluate(() => {
        const results = JSON.parse(document.querySelector<HTMLElement>('[data-results]')!.dataset.results!) as CampaignResults;
        const card = document.querySelector<HTMLElement>('.result-card[data-kind="scale"]')!;
        const item = results.items.find((i) => i.id === card.dataset.item)!;
        const canvas = card.querySelector('canvas[data-chart="diverging"]')!;
        const chart = (window as unknown as { Chart: { getChart(c: Element): { scales: { y: { ticks: { label: string | string[] }[] } } } } }).Chart.getChart(canvas)!;
        const tick = chart.scales.y.ticks[0]!.label;
        return {
          inResults: (item.figures.university as { n: number }).n,
          onCard: Number(/n = (\d+)/.exec(card.querySelector('.figure-line li')!.textContent!)![1]),
          inChart: Number(/n = (\d+)/.exec(Array.isArray(tick) ? tick.join(' ') : tick)![1]),
          included: document.querySelector('[data-included]')?.textContent ?? '',
          inFigures: results.responses.n - results.held,
        };
      });
      expect(figures.onCard).to.equal(figures.inResults);
      expect(figures.inChart).to.equal(figures.inResults);
      expect(figures.inResults).to.be.within(22, 28);
      expect(figures.included).to.include(`Responses in these figures: ${figures.inFigures}`);
      await screenshot(dash.page, 'results-live-dashboard-1280', false);
      await screenshot(deck.page, 'results-live-meeting-1920', false);
      expect([...dash.problems, ...deck.problems]).to.deep.equal([]);
    } finally {
      await dash.close();
      await deck.close();
    }
  });

  for (const [size, viewport] of [['phone', PHONE], ['laptop', LAPTOP_720], ['projector', PROJECTOR]] as const) {
    it(`on a ${size}: a summary first, sections one at a time under a sticky filter, labels that fit, a readable trends chart`, async function () {
      this.timeout(90_000);
      await closedWithHistory();
      const width = viewport.viewport!.width;
      const { page, problems, close } = await pageAs('admin', viewport);
      try {
        await page.goto(`${env.srv.url}/results/${world.campaign._id}?unit=faculty~${world.facultyA}&lang=en`);
        // The summary comes first and alone: the response rate, headline indices and flagged differences.
        const visible = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-section]')).filter((s) => !s.hidden).map((s) => s.id));
        expect(await visible()).to.deep.equal(['summary']);
        const summary = await page.locator('#summary').innerText();
        expect(summary).to.match(/Responses\s+56\s/);
        expect(summary).to.include(formatPercent(56 / (await targetsOf(world.campaign)).total, 'en'));
        expect(summary).to.include('Headline indices');
        expect(await page.locator('#summary .headline__card').count()).to.be.greaterThan(2);
        expect(summary).to.include('Significant differences');
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        console.log(`      dashboard summary height at ${width}px: ${height}`);
        expect(height, 'the summary is a screen or a few, not an endless page').to.be.below(width < 500 ? 4_500 : 2_600);
        await screenshot(page, `results-summary-${width}`, true);

        for (const tab of TABS) {
          await page.click(`[data-tabs] a[href="#${tab}"]`);
          expect(await visible(), `after clicking ${tab}`).to.deep.equal([tab]);
          expect(new URL(page.url()).hash).to.equal(`#${tab}`);
          expect(await page.locator(`[data-tabs] a[href="#${tab}"]`).getAttribute('aria-current')).to.equal('true');
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${tab} (${size}) scrolls sideways`).to.be.at.most(width);
          await screenshot(page, `results-${tab}-${width}`, false);
        }
        // axe once over every section (each shown in turn above; unhidden here so one run reads them all).
        await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-section]').forEach((s) => (s.hidden = false)));
        await fitsAndPassesAxe(page, `every section (${size})`);
        // Back goes to the previous section.
        await page.click('[data-tabs] a[href="#scales"]');
        await page.goBack();
        expect(await visible()).to.deep.equal(['trends']);

        // The filter and the sections stay in view while a long section scrolls.
        await page.click('[data-tabs] a[href="#items"]');
        await page.mouse.wheel(0, 2_500);
        await page.waitForFunction(() => window.scrollY > 1_000);
        const bar = await page.evaluate(() => ({ top: document.querySelector('[data-dashboard-bar]')!.getBoundingClientRect().top, select: document.querySelector('#unit')!.getBoundingClientRect().bottom }));
        expect(bar.top).to.be.closeTo(0, 1);
        expect(bar.select).to.be.within(1, viewport.viewport!.height / 3);
        await screenshot(page, `results-items-scrolled-${width}`, false);
        // Group names on chart axes are wrapped, never cut: every line of every label fits left of its axis,
        // and the lines put together are the whole name (the n on a line of its own).
        const labels = await page.evaluate(() => {
          const Chart = (window as unknown as { Chart: { defaults: { font: { family: string } }; getChart(c: Element): { ctx: CanvasRenderingContext2D; scales: { y: { left: number; right: number; options: { ticks: { font: { size: number } } }; ticks: { label: string | string[] }[] } } } | undefined } }).Chart;
          const out: { lines: string[]; startsAt: number }[] = [];
          for (const canvas of Array.from(document.querySelectorAll('#items canvas[data-chart="diverging"], #items canvas[data-chart="agree"]'))) {
            const chart = Chart.getChart(canvas);
            if (!chart) continue;
            const y = chart.scales.y;
            chart.ctx.font = `${y.options.ticks.font.size}px ${Chart.defaults.font.family}`;
            for (const tick of y.ticks) {
              const lines = Array.isArray(tick.label) ? tick.label : [tick.label];
              const widest = Math.max(...lines.map((l) => chart.ctx.measureText(l).width));
              out.push({ lines, startsAt: y.right - widest });
            }
          }
          return out;
        });
        expect(labels.length).to.be.greaterThan(10);
        // The answers read 1 to 5 from left to right: strongly disagree at the left end, half the neutral
        // answers on each side of zero, strongly agree at the right end.
        const segments = await page.evaluate(() => {
          const canvas = document.querySelector('#items canvas[data-chart="diverging"]')!;
          const chart = (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: { rank: number }[] }; getDatasetMeta(i: number): { data: { x: number; base: number }[] } } } }).Chart.getChart(canvas)!;
          return chart.data.datasets.map((d, i) => {
            const bar = chart.getDatasetMeta(i).data[0]!;
            return { rank: d.rank, left: Math.min(bar.x, bar.base), right: Math.max(bar.x, bar.base) };
          });
        });
        const ordered = segments.filter((x) => x.right - x.left > 0.5).sort((a, b) => a.left + a.right - (b.left + b.right));
        expect(ordered.length, 'answers of at least four kinds').to.be.at.least(4);
        for (let i = 1; i < ordered.length; i++) {
          expect(ordered[i]!.rank, 'answers in order from left to right').to.be.at.least(ordered[i - 1]!.rank);
          expect(ordered[i]!.left, 'segments side by side').to.be.closeTo(ordered[i - 1]!.right, 1.5);
        }
        for (const { lines, startsAt } of labels) {
          expect(startsAt, `"${lines.join(' / ')}" starts inside the chart`).to.be.at.least(0);
          expect(lines.at(-1)).to.match(/^n = \d+$/);
          expect(['University', 'Faculty A', '6B06101 Informatics', '6B06102 Information systems']).to.include(lines.slice(0, -1).join(' '));
        }
        // Trends: a chart with room to read, lines labelled by number, the questions written out below.
        await page.click('[data-tabs] a[href="#trends"]');
        const trend = await page.evaluate(() => {
          const canvas = document.querySelector('canvas[data-chart="trend"]')!;
          const chart = (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: { label: string }[] } } } }).Chart.getChart(canvas)!;
          return { height: canvas.getBoundingClientRect().height, labels: chart.data.datasets.map((d) => d.label), list: Array.from(document.querySelectorAll('[data-trend-legend] li')).map((li) => li.textContent!.trim()), rows: Array.from(document.querySelectorAll('#trends tbody th')).map((th) => th.textContent!.trim()) };
        });
        expect(trend.height).to.be.at.least(250);
        expect(trend.labels).to.deep.equal(['1', '2', '3', '4', '5', '6']);
        expect(trend.list).to.deep.equal(trend.rows);
        expect(trend.list.length).to.be.greaterThan(6);
        await page.locator('[data-trend-legend] li').nth(7).locator('input').check();
        expect(await page.evaluate(() => (window as unknown as { Chart: { getChart(c: Element): { data: { datasets: unknown[] } } } }).Chart.getChart(document.querySelector('canvas[data-chart="trend"]')!)!.data.datasets.length)).to.equal(7);
        await screenshot(page, `results-trends-${width}`, true);
        // Tests read "p = 0.902" (or "p < 0.001"), never "p 0.902".
        const words = (await page.locator('[data-dashboard]').textContent()) ?? '';
        expect(words).to.match(/p (=|<) \d/);
        expect(words).to.not.match(/\bp \d/);
        // The comparisons table gives every test its p (it once showed only the flag).
        const pCells = await page.locator('#comparisons table.tests tbody td:nth-child(2)').allTextContents();
        expect(pCells.length).to.be.greaterThan(10);
        for (const cell of pCells) expect(cell.trim()).to.match(/^(—|(<\s?)?\d[.,]\d{3})( ▲.*)?$/);

        // Every figure the page carries passed the gate: the cohort of twelve is shown, no figure of a group
        // below k exists anywhere in it (the page holds no such group's n).
        const gate = await page.evaluate(() => {
          const results = JSON.parse(document.querySelector<HTMLElement>('[data-results]')!.dataset.results!) as CampaignResults;
          const visibleSmall = results.units.filter((u) => u.n !== null && u.n < 5);
          const figures = results.items.flatMap((i) => Object.values(i.figures)).filter((f) => f.kind !== 'suppressed' && (f as { n: number }).n < 5);
          return { small: visibleSmall.length, figures: figures.length, units: results.units.length };
        });
        expect(gate).to.deep.equal({ small: 0, figures: 0, units: gate.units });
        expect(problems).to.deep.equal([]);
      } finally {
        await close();
      }
    });
  }

  it('works without JavaScript: every section on one page, the links jump to them, the filter submits', async () => {
    await closedWithHistory();
    const { page, close } = await pageAs('admin', PHONE, { javaScript: false });
    try {
      await page.goto(`${env.srv.url}/results/${world.campaign._id}?lang=en`);
      for (const tab of TABS) {
        expect(await page.locator(`#${tab}`).isVisible(), tab).to.equal(true);
        expect(await page.locator(`[data-tabs] a[href="#${tab}"]`).count()).to.equal(1);
      }
      await page.click('[data-tabs] a[href="#scales"]');
      expect(await page.evaluate(() => document.querySelector('#scales')!.getBoundingClientRect().top)).to.be.below(300);
      expect(await seriousViolationsWithoutJs(page), 'axe without JavaScript').to.deep.equal([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      console.log(`      dashboard without JavaScript at 390px: ${height}`);
      await page.locator('#unit').selectOption(`programme~${world.programmesA[1]}`);
      await Promise.all([page.waitForURL(/unit=programme/), page.getByRole('button', { name: 'Show' }).click()]);
      expect(await page.locator('#summary h2').innerText()).to.include('Information systems');
      // The server writes the days of the timeline table as the language does (the browser does the same when it redraws).
      expect(await page.locator('[data-live-daily] th').allTextContents()).to.deep.equal(['2 Mar 2026', '3 Mar 2026']);
      await screenshot(page, 'results-nojs-390', false);
    } finally {
      await close();
    }
  });

  for (const [size, viewport] of [['1920×1080', PROJECTOR], ['1280×720', LAPTOP_720]] as const) {
    it(`meeting mode at ${size}: an overview first, every slide fits the screen, large labels, keyboard help, no wrapping`, async function () {
      this.timeout(120_000);
      await closedWithHistory();
      await saveCouncil(SYSTEM_ACTOR, world.facultyA, { quorum: 0.5, members: [{ name: 'Chair', group: 'teacher', role: 'chair' }] });
      const meeting = await createMeeting(SYSTEM_ACTOR, world.facultyA, { date: localDay(new Date()), title: 'Council meeting on the survey', lang: 'en' });
      const { page, problems, close } = await pageAs('council', viewport);
      const { width, height } = viewport.viewport!;
      try {
        for (const [unit, lang] of [[`faculty~${world.facultyA}`, 'en'], [`programme~${world.programmesA[0]}`, 'kk'], [`faculty~${world.facultyA}`, 'ru']] as const) {
          await page.goto(`${env.srv.url}/results/${world.campaign._id}/present?unit=${unit}&lang=${lang}`);
          const slides = await page.locator('[data-slide]').count();
          expect(slides).to.be.greaterThan(20);
          // The first slide is the overview: the campaign, the response rate with n, the headline figures,
          // and what is hidden and why.
          expect(await page.locator('[data-position]').innerText()).to.equal(`1 / ${slides}`);
          if (lang === 'en') {
            const overview = (await page.locator('[data-slide]:not([hidden])').textContent()) ?? '';
            expect(overview).to.include('Student satisfaction 2025');
            expect(overview).to.include(`n = 56 of a target of ${(await targetsOf(world.campaign)).total}`);
            expect(overview).to.include(formatPercent(56 / (await targetsOf(world.campaign)).total, 'en'));
            expect(overview).to.include('Headline indices');
            expect(overview).to.match(/What is hidden, and why[\s\S]*fewer than 5 respondents/);
            await fitsAndPassesAxe(page, `meeting mode overview (${size})`);
            await screenshot(page, `meeting-overview-${width}x${height}`, false);
          }
          // ← on the first slide stays there.
          let smallest = Infinity;
          await page.keyboard.press('ArrowLeft');
          expect(await page.locator('[data-position]').innerText()).to.equal(`1 / ${slides}`);
          for (let i = 0; i < slides; i++) {
            if (i > 0) await page.keyboard.press('ArrowRight');
            const fit = await page.evaluate(() => {
              const slide = document.querySelector<HTMLElement>('[data-slide]:not([hidden])')!;
              const inner = slide.querySelector<HTMLElement>('.slide__inner')!;
              const last = Array.from(inner.querySelectorAll('*')).reduce((max, e) => Math.max(max, e.getBoundingClientRect().bottom), 0);
              const canvas = slide.querySelector('canvas');
              const chart = canvas ? (window as unknown as { Chart: { getChart(c: Element): { options: { scales: { x: { ticks: { font: { size: number } } }; y: { ticks: { font: { size: number } } } } } } | undefined } }).Chart.getChart(canvas) : undefined;
              // The smallest type on the slide (what the back row has to read).
              const sizes = Array.from(inner.querySelectorAll('*'))
                .filter((e) => Array.from(e.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()) && e.getClientRects().length)
                .map((e) => parseFloat(getComputedStyle(e).fontSize));
              return {
                smallest: Math.min(...sizes),
                page: document.documentElement.scrollHeight,
                wide: document.documentElement.scrollWidth,
                overflow: inner.scrollHeight - inner.clientHeight,
                last,
                fonts: chart ? [chart.options.scales.x.ticks.font.size, chart.options.scales.y.ticks.font.size] : [],
                item: slide.dataset.item,
              };
            });
            const label = `slide ${i + 1} (${fit.item || 'overview'}, ${unit}, ${lang}, ${size})`;
            expect(fit.page, `${label}: the page scrolls`).to.be.at.most(height);
            expect(fit.wide, `${label}: the page scrolls sideways`).to.be.at.most(width);
            expect(fit.overflow, `${label}: the slide's content spills out`).to.be.at.most(1);
            expect(fit.last, `${label}: something lies below the screen`).to.be.at.most(height);
            // Chart labels 24 px at 1080p (16 px at 720p) — they were 8 px; no text smaller than a laptop's body text.
            for (const f of fit.fonts) expect(f, `${label}: axis labels`).to.be.at.least(height >= 1080 ? 18 : 16);
            smallest = Math.min(smallest, fit.smallest);
            if (i === 1 || i === 2) await screenshot(page, `meeting-slide${i + 1}-${unit.split('~')[0]}-${lang}-${width}x${height}`, false);
          }
          console.log(`      meeting mode ${size}, ${lang}: smallest text on any slide ${smallest.toFixed(1)} px`);
          // 16 px at 1280×720 too (the interval figures were 13.6 px there), with every slide still fitting (above).
          expect(smallest, `the smallest text (${size}, ${lang})`).to.be.at.least(16);
          // → on the last slide stays there; Home goes back to the overview.
          await page.keyboard.press('ArrowRight');
          expect(await page.locator('[data-position]').innerText()).to.equal(`${slides} / ${slides}`);
          expect(await page.locator('[data-next]').isDisabled()).to.equal(true);
          await page.keyboard.press('Home');
          expect(await page.locator('[data-position]').innerText()).to.equal(`1 / ${slides}`);
          await page.keyboard.press('End');
          expect(await page.locator('[data-position]').innerText()).to.equal(`${slides} / ${slides}`);
        }

        // "?" lists the keys in a dialog; Esc closes it.
        await page.goto(`${env.srv.url}/results/${world.campaign._id}/present?unit=faculty~${world.facultyA}&lang=en`);
        await page.keyboard.press('?');
        const dialog = page.locator('dialog[data-help]');
        expect(await dialog.isVisible()).to.equal(true);
        const keys = await dialog.innerText();
        for (const key of ['←', '→', 'Home', 'End', 'f', 'a', 'Esc', 'Full screen', 'agenda']) expect(keys).to.include(key);
        await fitsAndPassesAxe(page, `keyboard help (${size})`);
        await screenshot(page, `meeting-help-${width}x${height}`, false);
        await page.keyboard.press('Escape');
        expect(await dialog.isVisible()).to.equal(false);
        // The button opens it too.
        await page.locator('[data-help-open]').click();
        expect(await dialog.isVisible()).to.equal(true);
        await page.locator('[data-help-close]').click();
        expect(await dialog.isVisible()).to.equal(false);

        // f: full screen; f again leaves it.
        await page.keyboard.press('f');
        await page.waitForFunction(() => document.fullscreenElement !== null);
        await page.keyboard.press('f');
        await page.waitForFunction(() => document.fullscreenElement === null);

        // a: to the agenda button; the slide on screen goes onto the meeting's agenda (issue 17's bar).
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('a');
        expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-agenda-add'))).to.equal(true);
        await page.locator('#agenda-meeting').selectOption(meeting._id);
        await Promise.all([page.waitForURL(/added=/), page.keyboard.press('Enter')]);
        expect(await page.locator('.presenter__added').innerText()).to.include('Added');
        expect(await page.locator('[data-position]').innerText()).to.match(/^2 \//);
        expect(problems).to.deep.equal([]);
      } finally {
        await close();
      }
    });
  }

  /**
   * A phone's sticky bar (issue 19): the section links one row (in kk and ru they wrapped to three, 22 % of the
   * screen) that scrolls sideways with a hint on the side where more links lie; Tab reaches every link and
   * brings it into view.
   */
  async function sectionLinksOnPhone(page: Page, label: string): Promise<void> {
    const read = () =>
      page.evaluate(async () => {
        // After the next frame, when a scroll has been painted and its event handled.
        await new Promise(requestAnimationFrame);
        const nav = document.querySelector<HTMLElement>('[data-tabs]')!;
        const row = nav.querySelector('ul')!;
        const box = row.getBoundingClientRect();
        const links = Array.from(nav.querySelectorAll('a'));
        const focused = links.indexOf(document.activeElement as HTMLAnchorElement);
        const shown = focused >= 0 ? links[focused]!.getBoundingClientRect() : undefined;
        return {
          rows: new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size,
          bar: document.querySelector('[data-dashboard-bar]')!.getBoundingClientRect().height,
          scrolls: row.scrollWidth > row.clientWidth,
          more: nav.dataset.more ?? '',
          arrows: [getComputedStyle(nav, '::before').content, getComputedStyle(nav, '::after').content],
          focused,
          inView: shown ? shown.left >= box.left - 0.5 && shown.right <= box.right + 0.5 : false,
        };
      });
    const height = page.viewportSize()!.height;
    const first = await read();
    console.log(`      sticky bar at 390×844 (${label}): ${Math.round(first.bar)} px, ${((100 * first.bar) / height).toFixed(1)} % of the screen, section links ${first.scrolls ? 'scroll sideways' : 'fit'}`);
    expect(first.rows, `section links in one row (${label})`).to.equal(1);
    expect(first.bar / height, `the sticky bar's share of the screen (${label})`).to.be.below(0.15);
    if (label.startsWith('kk') || label.startsWith('ru')) expect(first.scrolls, `kk and ru links overflow the row (${label})`).to.equal(true);
    if (first.scrolls) {
      expect(first.more, `more links to the right (${label})`).to.equal('end');
      expect(first.arrows[1], `the arrow on the right (${label})`).to.include('›');
      expect(first.arrows[0], `no arrow on the left (${label})`).to.not.include('‹');
    }
    // Keyboard: from the group filter, Tab goes through the six links in order, each scrolled into view.
    await page.locator('#unit').focus();
    for (let i = 0; i < TABS.length; i++) {
      await page.keyboard.press('Tab');
      const now = await read();
      expect(now.focused, `Tab ${i + 1} (${label})`).to.equal(i);
      expect(now.inView, `link ${i + 1} in view when focused (${label})`).to.equal(true);
    }
    const last = await read();
    if (last.scrolls) {
      expect(last.more, `at the end of the row, more links only to the left (${label})`).to.equal('start');
      expect(last.arrows[0], `the arrow on the left (${label})`).to.include('‹');
    }
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash, `Enter on the last link (${label})`).to.equal('#trends');
    // Back to the summary for what the test reads next (its link brought into view again).
    await page.locator('[data-tabs] a[href="#summary"]').click();
    expect((await read()).more, `the first link current, the row at its start (${label})`).to.not.include('start');
  }

  it('speaks kk, ru and en at 390×844, 1280×720 and 1920×1080: days as the language writes them (timeline table, agenda list), every word translated, no sideways scrolling', async function () {
    this.timeout(240_000);
    await closedWithHistory();
    await saveCouncil(SYSTEM_ACTOR, world.facultyA, { quorum: 0.5, members: [{ name: 'Chair', group: 'teacher', role: 'chair' }] });
    const today = localDay(new Date());
    await createMeeting(SYSTEM_ACTOR, world.facultyA, { date: today, title: 'Council meeting on the survey', lang: 'kk' });
    /** What a person reads: no day written the ISO way, no untranslated key, nothing sticking out sideways, axe clean. */
    const readsRight = async (page: Page, label: string) => {
      const text = await page.evaluate(() => document.body.innerText);
      expect(text.match(/\b\d{4}-\d{2}-\d{2}\b/g), `${label}: ISO-written days`).to.equal(null);
      expect(text.match(/\b(results|councils|nav|respond)\.[a-z]+[A-Za-z.]*\b/g), `${label}: untranslated keys`).to.equal(null);
      await fitsAndPassesAxe(page, label);
    };
    for (const [size, viewport] of [['390×844', PHONE], ['1280×720', LAPTOP_720], ['1920×1080', PROJECTOR]] as const) {
      const { page, problems, close } = await pageAs('council', viewport);
      const { width, height } = viewport.viewport!;
      try {
        for (const lang of ['kk', 'ru', 'en'] as const) {
          const label = `${lang}, ${size}`;
          await page.goto(`${env.srv.url}/results/${world.campaign._id}?unit=faculty~${world.facultyA}&lang=${lang}`);
          expect(await page.locator('html').getAttribute('lang')).to.equal(lang);
          if (width < 500) await sectionLinksOnPhone(page, label);
          // The responses per day under the timeline, as the language writes a day (kk, ru 02.03.2026; en 2 Mar 2026).
          await page.locator('#summary details.data-table > summary').click();
          // The rate the browser writes as the count moves is the one the server writes (Chromium's Intl may not know Kazakh).
          const rate = formatPercent(56 / 155, lang);
          expect(await page.locator('[data-live-text="results.rateOf"]').innerText(), `rate (${label})`).to.include(rate);
          expect(await page.locator('[data-live-daily] th').allInnerTexts(), `timeline table (${label})`).to.deep.equal(['2026-03-02', '2026-03-03'].map((d) => formatDay(d, lang)));
          await screenshot(page, `results-summary-${lang}-${width}x${height}`, true);
          await page.click('[data-tabs] a[href="#items"]');
          await screenshot(page, `results-items-${lang}-${width}x${height}`, false);
          await page.click('[data-tabs] a[href="#comparisons"]');
          await screenshot(page, `results-comparisons-${lang}-${width}x${height}`, false);
          await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-section]').forEach((s) => (s.hidden = false)));
          await readsRight(page, `dashboard (${label})`);

          // Meeting mode: the agenda bar lists the meeting by its day in the viewer's language.
          await page.goto(`${env.srv.url}/results/${world.campaign._id}/present?unit=faculty~${world.facultyA}&lang=${lang}`);
          expect(await page.locator('#agenda-meeting option').first().innerText(), `agenda list (${label})`).to.equal(`${formatDay(today, lang)} · FA · Council meeting on the survey`);
          expect(await page.locator('[data-agenda-add]').isVisible()).to.equal(true);
          expect(await page.locator('[data-live-rate-text]').allInnerTexts(), `rates in meeting mode (${label})`).to.deep.equal([rate, rate]);
          await readsRight(page, `meeting mode (${label})`);
          await screenshot(page, `meeting-overview-${lang}-${width}x${height}`, false);
          await page.keyboard.press('ArrowRight');
          await screenshot(page, `meeting-slide2-${lang}-${width}x${height}`, false);
        }
        expect(problems).to.deep.equal([]);
      } finally {
        await close();
      }
    }
  });
});
