// Staff pages as a newcomer meets them (issue 19, point 6), on a phone (390 px) and a laptop (1280 px): the
// first sign-in keeps the browser's language, the password page fits the screen, the menu is one row on a
// laptop and a folded list on a phone, and no staff page scrolls sideways (or writes a date the ISO way).
import { expect } from 'chai';
import { User } from '../../server/accounts/model.js';
import { seriousViolations } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { screenshot, sidewaysOverflow, signedIn, SIZES } from '../support/staff-e2e.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

describe('staff layout in Chromium (phone 390 px, laptop 1280 px)', () => {
  const env = serverAndBrowser();

  for (const [label, size] of SIZES) {
    it(`keeps an English-speaking admin in English at the first sign-in, on a password page that fits the screen (${label})`, async () => {
      // A first admin as start-up creates it: the account's language is the default, Kazakh, never chosen.
      const admin = await createUser({ role: 'admin', lang: 'kk', mustChangePassword: true });
      const context = await env.browser.newContext({ ...size, bypassCSP: true, locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } });
      const page = await context.newPage();
      await page.goto(`${env.srv.url}/login`);
      expect(await page.locator('html').getAttribute('lang')).to.equal('en');
      await page.fill('#email', admin.email);
      await page.fill('#password', TEST_PASSWORD);
      await Promise.all([page.waitForURL(/\/account\/password$/), page.click('main button[type=submit]')]);
      expect(await page.locator('html').getAttribute('lang')).to.equal('en');
      expect(await page.locator('h1').textContent()).to.equal('Change password');
      // The account now says English too (it is what the person reads), but it is still not their own choice.
      const stored = await User.findById(admin._id).lean();
      expect([stored?.lang, Boolean(stored?.langChosen)]).to.deep.equal(['en', false]);
      // The username field for password managers is visually hidden: 1 px, not as wide as the window.
      const hidden = await page.locator('input[name="username"]').boundingBox();
      expect(hidden!.width).to.be.at.most(1);
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, `first-sign-in-password-${label}`);
      await context.close();
    });
  }

  it('lets a language chosen on the account page win over the browser’s at the next sign-in', async () => {
    const world = await buildSurveyWorld();
    const council = await createUser({ role: 'council', faculties: [world.facultyA] });
    const context = await env.browser.newContext({ bypassCSP: true, extraHTTPHeaders: { 'Accept-Language': 'en' } });
    const page = await context.newPage();
    await page.goto(`${env.srv.url}/login`);
    await page.fill('#email', council.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('main button[type=submit]')]);
    await page.goto(`${env.srv.url}/account`);
    await page.selectOption('select[name="lang"]', 'ru');
    await Promise.all([page.waitForURL(/saved=language/), page.click('form[action="/account/language"] button[type=submit]')]);
    expect(await page.locator('html').getAttribute('lang')).to.equal('ru');
    // Another browser (no language cookie), English again: the chosen Russian applies.
    const other = await signedIn(env.browser, env.srv, (await User.findById(council._id).lean())!, { extraHTTPHeaders: { 'Accept-Language': 'en' } });
    const second = await other.newPage();
    await second.goto(`${env.srv.url}/campaigns`);
    expect(await second.locator('html').getAttribute('lang')).to.equal('ru');
    await other.close();
    await context.close();
  });

  it('shows the menu on one row at 1280 px in every language, and as a folded list on a phone', async () => {
    const admin = await createUser({ role: 'admin' });
    const wide = await signedIn(env.browser, env.srv, admin, SIZES[1][1]);
    const page = await wide.newPage();
    for (const lang of ['kk', 'ru', 'en']) {
      await page.goto(`${env.srv.url}/campaigns?lang=${lang}`);
      const rows = await page.evaluate(() => {
        const centres = Array.from(document.querySelectorAll('.site-header .brand, .site-nav li, .lang-switcher li')).map((e) => {
          const box = e.getBoundingClientRect();
          return Math.round((box.top + box.bottom) / 2 / 20);
        });
        return new Set(centres).size;
      });
      expect(rows, `menu rows in ${lang}`).to.equal(1);
      expect(await page.locator('.site-menu > summary').isVisible()).to.equal(false);
      await screenshot(page, `menu-desktop-${lang}`, false);
    }
    await wide.close();

    const phone = await signedIn(env.browser, env.srv, admin, SIZES[0][1]);
    const small = await phone.newPage();
    await small.goto(`${env.srv.url}/campaigns?lang=kk`);
    // Folded: brand, languages and the menu button share the first row.
    expect(await small.locator('.site-nav').isVisible()).to.equal(false);
    const centre = async (selector: string) => {
      const box = (await small.locator(selector).first().boundingBox())!;
      return box.y + box.height / 2;
    };
    const centres = [await centre('.brand'), await centre('.lang-switcher'), await centre('.site-menu > summary')];
    expect(Math.max(...centres) - Math.min(...centres), 'brand, languages and menu button on one row').to.be.below(10);
    expect((await small.locator('.site-header').boundingBox())!.height).to.be.below(80);
    await screenshot(small, 'menu-phone-folded', false);
    await small.click('.site-menu > summary');
    expect(await small.locator('.site-nav').isVisible()).to.equal(true);
    const xs = await small.locator('.site-nav li').evaluateAll((items) => items.map((i) => Math.round(i.getBoundingClientRect().left)));
    expect(new Set(xs).size, 'one item per line').to.equal(1);
    expect(await sidewaysOverflow(small)).to.deep.equal({ overflow: 0, culprits: [] });
    expect(await seriousViolations(small)).to.deep.equal([]);
    await screenshot(small, 'menu-phone-open', false);
    await phone.close();
  });

  for (const [label, size] of SIZES) {
    it(`lets no staff page scroll sideways, and axe finds nothing serious on any (${label})`, async () => {
      const world = await buildSurveyWorld();
      const admin = await createUser({ role: 'admin' });
      const context = await signedIn(env.browser, env.srv, admin, size);
      const page = await context.newPage();
      const id = world.campaign._id;
      const paths = ['/', '/campaigns', '/campaigns/new', `/campaigns/${id}`, `/campaigns/${id}/edit`, `/campaigns/${id}/close`, `/campaigns/${id}/invitations`, `/campaigns/${id}/publish`, `/campaigns/${id}/slips`, '/results', `/results/${id}`, '/instruments', '/instruments/new', '/instruments/import', '/instruments/student-satisfaction', '/org', '/org/programmes', `/org/programmes/${world.programmesA[0]}`, '/org/import', '/admin/users', '/admin/users/new', `/admin/users/${admin._id}`, '/admin/audit', '/account', '/account/password', '/published'];
      const problems: string[] = [];
      for (const lang of ['kk', 'ru', 'en']) {
        for (const path of paths) {
          await page.goto(`${env.srv.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          // axe on every staff page once per size (in the default language; the markup is the same in all three).
          if (lang === 'kk') for (const v of await seriousViolations(page)) problems.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
          const { overflow, culprits } = await sidewaysOverflow(page);
          if (overflow > 0) problems.push(`${lang} ${path}: ${overflow} px (${culprits.join(', ')})`);
          // One date format per language: no day written the ISO way ("2026-12-01") in what a person reads.
          const iso = await page.evaluate(() => document.body.innerText.match(/\b\d{4}-\d{2}-\d{2}\b/g));
          if (iso) problems.push(`${lang} ${path}: ISO dates ${iso.join(', ')}`);
        }
      }
      expect(problems).to.deep.equal([]);
      await context.close();
    });
  }
});
