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
      await Promise.all([page.waitForLoadState('load'), page.click('.editor form button[type=submit]')]);
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
});
