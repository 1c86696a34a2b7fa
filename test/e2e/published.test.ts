// Public summaries in a real browser, signed out: the list and a summary are readable without JavaScript
// and have no serious accessibility violations, on a phone and on a projector.
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { setSummaryPublished } from '../../server/campaigns/publishing.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { PHONE, PROJECTOR, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

describe('published summaries in Chromium', () => {
  const env = serverAndBrowser();

  for (const [label, size] of [['phone', PHONE], ['projector', PROJECTOR]] as const) {
    it(`shows a published summary to a visitor who is not signed in (${label})`, async () => {
      const world = await buildSurveyWorld({ liveResults: 'counts' });
      const def = await getPublishedDefinition('student-satisfaction', 1);
      const random = seededRandom(11);
      // 110 of the 155 invited: every group above 50 %, so the whole tree is public.
      const [c1, c2, c3] = world.cohortsA as [string, string, string];
      const [pA1, pA2] = world.programmesA as [string, string];
      const group = (programme: string, cohort: string, n: number) => Array.from({ length: n }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, programme, cohort }, day: '2026-10-01' }));
      await env.srv.services.submissions.storeAccepted(world.campaign, def, [...group(pA1, c1, 55), ...group(pA1, c2, 30), ...group(pA2, c3, 25)]);
      await env.srv.services.writer.flush();
      await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
      await setSummaryPublished(SYSTEM_ACTOR, world.campaign._id, true);

      const context = await env.browser.newContext({ ...size, bypassCSP: true, javaScriptEnabled: true });
      const page = await context.newPage();
      await page.goto(`${env.srv.url}/?lang=ru`);
      await Promise.all([page.waitForURL(/\/published$/), page.click('.site-footer a[href="/published"]')]);
      expect(await page.locator('h1').textContent()).to.equal('Опубликованные результаты опросов');
      const problems = (await seriousViolations(page)).map((v) => `list: ${v.id} ${v.help} ${v.nodes.join(', ')}`);
      await Promise.all([page.waitForURL(new RegExp(`/published/${world.campaign._id}$`)), page.click(`a[href="/published/${world.campaign._id}"]`)]);
      expect(await page.locator('h1').textContent()).to.include('Student satisfaction 2025');
      expect(await page.locator('#items .result-card').count()).to.be.greaterThan(20);
      expect(await page.locator('#items').textContent()).to.include('n = 110');
      expect(await page.locator('.published-groups a').count()).to.equal(6);
      problems.push(...(await seriousViolations(page)).map((v) => `summary: ${v.id} ${v.help} ${v.nodes.join(', ')}`));
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/published-${label}.png` });
      expect(problems).to.deep.equal([]);
      await context.close();
    });
  }
});
