// The staff home in Chromium: after signing in an admin lands on their work, not the marketing page; the
// open campaign's count grows live; axe-clean and no sideways scrolling on a phone and a laptop.
import { expect } from 'chai';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { PHONE, seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

describe('the staff home in a browser', () => {
  const env = serverAndBrowser({}, { realtime: true });

  for (const [size, viewport] of [['phone', PHONE], ['laptop', { viewport: { width: 1280, height: 800 } }]] as const) {
    it(`on a ${size}: signing in lands on the home, whose response count grows live`, async () => {
      const world = await buildSurveyWorld();
      const admin = await createUser({ role: 'admin', lang: 'en' });
      const context = await env.browser.newContext({ ...viewport, bypassCSP: true, locale: 'en-US' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      try {
        await page.goto(`${env.srv.url}/login?lang=en`);
        await page.fill('input[name=email]', admin.email);
        await page.fill('input[name=password]', TEST_PASSWORD);
        await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('button[type=submit]')]);
        await page.getByRole('heading', { name: 'Your work' }).waitFor();
        const card = page.locator(`[data-campaign="${world.campaign._id}"]`);
        expect(await card.innerText()).to.include('0 of 155 responses');
        expect(await seriousViolations(page)).to.deep.equal([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(viewport.viewport!.width);

        const def = await getPublishedDefinition('student-satisfaction', 1);
        const random = seededRandom(3);
        const segment = { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: world.cohortsA[0]! };
        await env.srv.services.submissions.storeAccepted(world.campaign, def, Array.from({ length: 31 }, () => ({ answers: syntheticAnswers(def, random, 4), segment, day: '2026-10-01' })));
        await env.srv.services.writer.flush();
        await page.waitForFunction((id) => document.querySelector(`[data-campaign="${id}"]`)?.textContent?.includes('31 of 155 responses'), world.campaign._id, { timeout: 5000 });
        expect(await card.locator('[data-percent]').innerText()).to.equal('20%');
        await page.screenshot({ path: `/tmp/e2e-home-${size}.png`, fullPage: true });
        expect(problems).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }
});
