// Temporary: renders the instrument pages in headless Chromium for a visual check (deleted afterwards).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { SYSTEM_ACTOR } from './server/accounts/actor.js';
import { seedLibrary, newVersion, updateDraft, createInstrument } from './server/instruments/service.js';
import { importSurveyJs } from './server/instruments/surveyjs.js';
import { connectTestDatabase, startTestDatabase, stopTestDatabase } from './test/support/database.js';
import { createUser, sessionCookie } from './test/support/factories.js';
import { startTestServer } from './test/support/server.js';

await startTestDatabase();
await connectTestDatabase();
const srv = await startTestServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  await seedLibrary(SYSTEM_ACTOR);
  const admin = await createUser({ role: 'admin', email: 'shots@test.kz' });
  const sample = JSON.parse(readFileSync('test/fixtures/surveyjs/graduate-survey.json', 'utf8'));
  const imported = await importSurveyJs(SYSTEM_ACTOR, sample, { id: 'graduates', audience: 'alumni' });
  const v2 = await newVersion(SYSTEM_ACTOR, 'alumni');
  const def = structuredClone(v2.definition);
  def.pages[0]!.items.push({ id: 'added_now', type: 'text', text: { kk: 'Қосымша пікір', ru: 'Дополнительный комментарий', en: 'Any further comment' } });
  const firstText = def.pages[0]!.items[0]!;
  firstText.text = { ...firstText.text, en: firstText.text.en + ' (reworded)', ru: firstText.text.ru + ' (изменено)' };
  def.pages[def.pages.length - 1]!.items.pop();
  await updateDraft(SYSTEM_ACTOR, 'alumni', 2, def);
  const h = '<script>alert(1)</script>';
  await createInstrument(SYSTEM_ACTOR, { id: 'hostile', title: { kk: h, ru: h, en: h }, description: { kk: h, ru: h, en: h }, audience: 'student', estimatedMinutes: 2, pages: [{ id: 'p', title: { kk: h, ru: h, en: h }, items: [{ id: 'q', type: 'single', text: { kk: h, ru: h, en: h }, options: [{ value: 'a', label: { kk: h, ru: h, en: h } }, { value: 'b', label: { kk: 'b', ru: 'b', en: 'b' } }] }] }] });
  console.log('unmapped', imported.unmapped.length);
  const cookie = sessionCookie(srv.config, admin).split('=');
  const pages: [string, string, { print?: boolean; action?: string }?][] = [
    ['list', '/instruments?lang=kk'],
    ['show', '/instruments/alumni?lang=en'],
    ['preview', '/instruments/student-satisfaction/v/1/preview?lang=kk'],
    ['preview-grad', '/instruments/graduates/v/1/preview?lang=ru'],
    ['print', '/instruments/student-satisfaction/v/1/print?lang=ru'],
    ['print-media', '/instruments/graduates/v/1/print?lang=kk', { print: true }],
    ['edit', '/instruments/graduates/v/1/edit?lang=en'],
    ['edit-published', '/instruments/alumni/v/1/edit?lang=kk'],
    ['edit-problems', '/instruments/new?lang=en', { action: 'problems' }],
    ['publish', '/instruments/alumni/v/2/publish?lang=en'],
    ['import', '/instruments/import?lang=ru'],
    ['hostile', '/instruments/hostile/v/1/preview?lang=en'],
  ];
  for (const [w, hgt] of [[390, 844], [1920, 1080]] as const) {
    const context = await browser.newContext({ viewport: { width: w, height: hgt } });
    await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: srv.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => { errors.push('DIALOG ' + d.message()); void d.dismiss(); });
    for (const [name, path, opts] of pages) {
      await page.emulateMedia({ media: opts?.print ? 'print' : 'screen' });
      await page.goto(srv.url + path);
      if (opts?.action === 'problems') {
        const text = (await page.inputValue('#definition')).replace('"Жалпы алғанда мен қанағаттанамын."', '""').replace('"audience": "student"', '"audience": "parents"');
        await page.fill('#definition', text.replace('"id": "main",', '"id": "main"'));
        await page.waitForTimeout(500);
        await page.screenshot({ path: `/tmp/shots/${name}-typing-${w}.png` });
        await page.fill('#definition', text);
        await Promise.all([page.waitForLoadState('load'), page.click('form[data-json-form] button[type=submit]')]);
        await page.waitForTimeout(300);
      }
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: `/tmp/shots/${name}-${w}.png`, fullPage: true, clip: { x: 0, y: 0, width: w, height: Math.min(height, w < 500 ? 3200 : 2600) } });
      console.log(name, w, 'height', height, errors.splice(0).join(' | '));
    }
    await context.close();
  }
} finally {
  await browser.close();
  await srv.close();
  await stopTestDatabase();
}
