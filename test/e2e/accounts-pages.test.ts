// Staff pages in a real browser: signing in through the form (no JavaScript needed) and no serious
// accessibility violations on the account, user, structure and audit pages, on a phone and a wide screen.
// Served by the compiled server `npm start` runs (`node dist/server/main.js`), in production mode.
import { expect } from 'chai';
import { PHONE, PROJECTOR, seriousViolations } from '../support/browser.js';
import { compiledServerAndBrowser } from '../support/e2e.js';
import { buildWorld, TEST_PASSWORD } from '../support/factories.js';

describe('staff pages in Chromium', () => {
  const env = compiledServerAndBrowser();

  it('signs in through the form with JavaScript disabled and lands on the page asked for', async () => {
    const w = await buildWorld(env.srv.config);
    const context = await env.browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${env.srv.url}/org/programmes?lang=kk`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.fill('#email', w.users.councilA.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(/\/org\/programmes/), page.click('main button[type=submit]')]);
    expect(await page.locator('h1').textContent()).to.equal('Білім беру бағдарламалары');
    expect(await page.locator('main').textContent()).not.to.include('Programme FB1');
    await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('.site-header form[action="/logout"] button')]);
    const again = await page.goto(`${env.srv.url}/org`);
    expect(new URL(again!.url()).pathname).to.equal('/login');
    await context.close();
  });

  for (const [label, size] of [['phone', PHONE], ['wide screen', PROJECTOR]] as const) {
    it(`has no serious or critical accessibility violations on a ${label}`, async () => {
      const w = await buildWorld(env.srv.config);
      const context = await env.browser.newContext({ ...size, bypassCSP: true });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (path: string) => {
        await page.goto(env.srv.url + path);
        for (const v of await seriousViolations(page)) problems.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
      };
      await check('/login?lang=kk');
      await page.fill('#email', w.users.admin.email);
      await page.fill('#password', TEST_PASSWORD);
      await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('main button[type=submit]')]);
      for (const path of ['/admin/users?lang=ru', '/admin/users/new?lang=kk', `/admin/users/${w.users.councilA._id}?lang=en`, '/org?lang=kk', '/org/programmes?lang=kk', '/org/programmes/new?lang=ru', `/org/disciplines/${w.a.discipline}?lang=en`, '/org/import?lang=kk', '/admin/audit?lang=en', '/account?lang=kk', '/account/password?lang=ru']) {
        await check(path);
      }
      // A form with errors next to its fields.
      await page.goto(`${env.srv.url}/admin/users/new?lang=en`);
      await page.fill('#f-email', 'not an email');
      await Promise.all([page.waitForLoadState('load'), page.click('main form.form button[type=submit]')]);
      for (const v of await seriousViolations(page)) problems.push(`invite with errors: ${v.id} ${v.help}`);
      expect(await page.locator('#email-error').isVisible()).to.equal(true);
      expect(problems).to.deep.equal([]);
      await context.close();
    });
  }
});
