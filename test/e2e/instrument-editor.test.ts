// The instrument editor in a real browser: after a failed save, each problem links to its line, and
// clicking it selects that line in the JSON (with JavaScript; without it the link moves to the editor).
import { expect } from 'chai';
import { PHONE, PROJECTOR } from '../support/browser.js';
import { serverAndBrowser } from '../support/e2e.js';
import { buildWorld, TEST_PASSWORD } from '../support/factories.js';

const definition = (id: string) => ({
  id,
  title: { kk: 'Сынақ', ru: 'Тест', en: 'Test' },
  description: { kk: 'Сипаттама', ru: 'Описание', en: 'Description' },
  audience: 'student',
  estimatedMinutes: 3,
  scales: [],
  pages: [{ id: 'main', title: { kk: 'Бет', ru: 'Страница', en: 'Page' }, items: [{ id: 'overall', type: 'likert', text: { kk: ' ', ru: 'В целом', en: 'Overall' } }] }],
});

describe('instrument editor in Chromium', () => {
  const env = serverAndBrowser();

  for (const [label, size] of [['phone', PHONE], ['wide screen', PROJECTOR]] as const) {
    it(`selects the line of a problem when its path is clicked (${label})`, async () => {
      const w = await buildWorld(env.srv.config);
      const context = await env.browser.newContext(size);
      const page = await context.newPage();
      await page.goto(`${env.srv.url}/login?lang=en`);
      await page.fill('#email', w.users.admin.email);
      await page.fill('#password', TEST_PASSWORD);
      await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('main button[type=submit]')]);
      await page.goto(`${env.srv.url}/instruments/new?lang=en`);
      const text = JSON.stringify(definition(`editor-${label.replace(' ', '-')}`), null, 2);
      await page.fill('#definition', text);
      await Promise.all([page.waitForLoadState('load'), page.click('[data-json-form] button[type=submit]')]);
      const link = page.locator('.problem-link', { hasText: 'pages[0].items[0].text.kk' });
      expect(await link.count()).to.equal(1);
      const line = Number(await link.getAttribute('data-line'));
      expect(text.split('\n')[line - 1]).to.include('"kk": " "');
      await link.click();
      const selected = await page.evaluate(() => {
        const area = document.querySelector<HTMLTextAreaElement>('#definition')!;
        // Where the selected line is on the screen: inside the window, whatever the window's size.
        const lineHeight = parseFloat(window.getComputedStyle(area).lineHeight);
        const before = area.value.slice(0, area.selectionStart).split('\n').length - 1;
        const y = area.getBoundingClientRect().top + before * lineHeight - area.scrollTop;
        return { text: area.value.slice(area.selectionStart, area.selectionEnd), focused: document.activeElement === area, onScreen: y > 0 && y < window.innerHeight };
      });
      expect(selected.focused).to.equal(true);
      expect(selected.onScreen).to.equal(true);
      expect(selected.text.trim()).to.equal('"kk": " ",');
      if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/editor-${label.replace(' ', '-')}.png`, fullPage: false });
      await context.close();
    });
  }

  it('says as you type where the JSON stops being valid, with the parser served from our origin', async () => {
    const w = await buildWorld(env.srv.config);
    const context = await env.browser.newContext(PROJECTOR);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    await page.goto(`${env.srv.url}/login?lang=en`);
    await page.fill('#email', w.users.admin.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${env.srv.url}/`), page.click('main button[type=submit]')]);
    await page.goto(`${env.srv.url}/instruments/new?lang=en`);
    const status = page.locator('[data-syntax-status]');
    const cases: [string, string][] = [
      ['{\n  "id": "x",\n  "title" {}\n}', '(3:11)'],
      ['{\n  "scales": [1, 2,],\n}', '(2:19)'],
      ['{\n  // a comment\n}', '(2:3)'],
      ['{"a": "tab\there"}', '(1:7)'],
    ];
    for (const [text, where] of cases) {
      await page.fill('#definition', text);
      await page.waitForFunction((w) => document.querySelector('[data-syntax-status]')!.textContent!.includes(w), where, { timeout: 5000 });
      expect(await status.textContent()).to.match(/^The JSON cannot be read: \(\d+:\d+\) /);
    }
    await page.fill('#definition', JSON.stringify(definition('typed-ok')));
    await page.waitForFunction(() => document.querySelector('[data-syntax-status]')!.textContent === 'The JSON reads correctly.', undefined, { timeout: 5000 });
    await page.click('[data-format]');
    expect(await page.inputValue('#definition')).to.equal(JSON.stringify(definition('typed-ok'), null, 2));
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
