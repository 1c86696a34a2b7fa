import { chromium } from 'playwright-core';
const base = 'http://localhost:3917';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const sizes = { phone: { width: 390, height: 844 }, proj: { width: 1920, height: 1080 } } as const;
for (const [name, viewport] of Object.entries(sizes)) {
  const ctx = await b.newContext({ viewport, deviceScaleFactor: 1 });
  const p = await ctx.newPage();
  await p.goto(`${base}/login?lang=ru`);
  await p.fill('input[name=email]', 'admin@pikir.test');
  await p.fill('input[name=password]', 'adminpassword123');
  await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
  await p.goto(`${base}/results?lang=ru`);
  await p.screenshot({ path: `/tmp/look-results-${name}.png`, fullPage: true });
  const href = await p.locator('table a[href^="/results/"]').first().getAttribute('href');
  await p.goto(`${base}${href}?lang=kk`);
  await p.waitForTimeout(1500);
  await p.screenshot({ path: `/tmp/look-dash-${name}.png`, fullPage: true });
  await p.goto(`${base}${href}/present?lang=kk`);
  await p.waitForTimeout(1500);
  await p.screenshot({ path: `/tmp/look-meet0-${name}.png` });
  await p.keyboard.press('ArrowRight'); await p.waitForTimeout(800);
  await p.screenshot({ path: `/tmp/look-meet1-${name}.png` });
  await p.keyboard.press('?'); await p.waitForTimeout(500);
  await p.screenshot({ path: `/tmp/look-meethelp-${name}.png` });
  console.log(name, href, p.url());
  await ctx.close();
}
await b.close();
