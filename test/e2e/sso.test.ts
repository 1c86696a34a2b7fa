// Single sign-on in a real browser: from a page that needs an account, through the university's OpenID
// provider (a real oidc-provider on loopback), back to the page asked for, signed in with the role the
// provider's claims map to; and the sign-in page with the single sign-on button has no serious
// accessibility violations. Local passwords are turned off here.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { User } from '../../server/accounts/model.js';
import { freePort } from '../../server/db/embedded.js';
import { launchBrowser, PHONE, seriousViolations } from '../support/browser.js';
import { buildOrg } from '../support/factories.js';
import { startTestIdp, type TestIdp } from '../support/oidc-provider.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('single sign-on in Chromium', () => {
  let idp: TestIdp;
  let srv: TestServer;
  let browser: Browser;

  before(async () => {
    const port = await freePort();
    idp = await startTestIdp([`http://127.0.0.1:${port}/login/sso/callback`]);
    const mapping = { claims: { roles: 'groups', faculties: 'faculties' }, roles: { council: ['quality-council'] } };
    srv = await startTestServer({ ...idp.env(), OIDC_MAPPING: JSON.stringify(mapping), LOCAL_PASSWORDS: 'false' }, { port });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
    await idp?.close();
  });

  it('goes to the provider and back to the page asked for, signed in with the mapped role', async () => {
    await buildOrg();
    idp.accounts.set('staff-42', { email: 'gulnara@university.kz', email_verified: true, name: 'Gulnara S.', groups: ['quality-council'], faculties: ['FA'] });
    idp.signInAs('staff-42');
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${srv.url}/campaigns?lang=en`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.locator('input[type=password]').count()).to.equal(0);
    await Promise.all([page.waitForURL(`${srv.url}/campaigns?lang=en`), page.click('a[href^="/login/sso"]')]);
    expect(await page.locator('h1').first().textContent()).to.match(/Survey plan/);
    await page.goto(`${srv.url}/account?lang=en`);
    expect(await page.locator('main').textContent()).to.include('You sign in through the university’s single sign-on');
    const user = await User.findOne({ email: 'gulnara@university.kz' }).lean();
    expect(user).to.deep.include({ role: 'council', name: 'Gulnara S.' });
    await context.close();
  });

  it('has no serious accessibility violations on the sign-in page with the single sign-on button', async () => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${srv.url}/login?lang=kk`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await context.close();
  });
});
