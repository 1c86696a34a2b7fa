// A newcomer's first `npm start` (issue 19, point 15): the demo university with one account per kind of
// staff, their sign-ins printed once as a short table after "ready" (never in the JSON log lines), and the
// programme leader and the viewer signing in with them in Chromium, on a phone and on a laptop.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../server/db/embedded.js';
import { seriousViolations } from '../support/browser.js';
import { spawnServer, startScript, waitReady } from '../support/server-process.js';
import { screenshot, sidewaysOverflow, SIZES } from '../support/staff-e2e.js';
import { launchBrowser } from '../support/browser.js';
import { waitFor } from '../support/wait.js';

describe('the demo at first start', () => {
  it('prints the demo sign-ins as a table, and the programme leader and the viewer can use them', async function () {
    // The demo university (about 2,500 synthetic responses) takes 10–30 s to create on two shared cores.
    this.timeout(240_000);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const running = spawnServer(
      {
        NODE_ENV: 'production',
        PORT: String(port),
        BASE_URL: url,
        MONGODB_URI: process.env.TEST_MONGODB_URI!,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'pikir-demo-')),
        JWT_SECRET: 'demo-test-secret-demo-test-secret-0123456789',
        LOG_LEVEL: 'info',
        DEMO_DATA: 'true',
      },
      startScript,
    );
    const browser = await launchBrowser();
    try {
      await waitReady(url, running, 200_000);
      await waitFor('the sign-in table', () => running.output().includes('One-time passwords are shown only now'), { timeout: 10_000, interval: 100 });
      const output = running.output();
      const lines = output.split('\n');
      // The table comes after "ready", as plain text.
      const ready = lines.findIndex((l) => l.startsWith('Pikir is ready at '));
      const header = lines.findIndex((l) => /^ {2}Role +Sees +Email +Password$/.test(l));
      expect(ready, output).to.be.greaterThan(-1);
      expect(header).to.be.greaterThan(ready);
      const rows = lines
        .slice(header + 2)
        .map((l) => /^ {2}(Administrator|Faculty council|Programme leader|Viewer) {2,}(.+?) {2,}(\S+@pikir\.local) {2,}(\S+)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ role: m[1]!, scope: m[2]!, email: m[3]!, password: m[4]! }));
      expect(rows.map((r) => `${r.role}: ${r.email} (${r.scope})`)).to.deep.equal([
        'Administrator: admin@pikir.local (Everything)',
        'Faculty council: council.it@pikir.local (Faculty of Information Technology)',
        'Programme leader: leader.cs@pikir.local (6B06101 Computer Science)',
        'Viewer: viewer.ped@pikir.local (Faculty of Education and Psychology)',
      ]);
      // Every other line of output is a JSON log line or one of the plain start-up lines; no password is in the log.
      const jsonLines = lines.filter((l) => l.startsWith('{'));
      expect(jsonLines.length).to.be.greaterThan(3);
      for (const line of jsonLines) {
        expect(() => JSON.parse(line) as unknown, line).not.to.throw();
        for (const r of rows) expect(line).not.to.include(r.password);
      }

      const newPassword = 'amber valley compass 62';
      for (const who of ['Programme leader', 'Viewer']) {
        const account = rows.find((r) => r.role === who)!;
        for (const [label, size] of SIZES) {
          const context = await browser.newContext({ ...size, bypassCSP: true, extraHTTPHeaders: { 'Accept-Language': 'en' } });
          const page = await context.newPage();
          await page.goto(`${url}/login`);
          await page.fill('#email', account.email);
          const first = label === 'phone';
          await page.fill('#password', first ? account.password : newPassword);
          await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
          if (first) {
            expect(new URL(page.url()).pathname).to.equal('/account/password');
            await page.fill('#f-currentPassword', account.password);
            await page.fill('#f-newPassword', newPassword);
            await page.fill('#f-confirmPassword', newPassword);
            await Promise.all([page.waitForURL(`${url}/`), page.click('main button[type=submit]')]);
          }
          // Their campaigns: the university-wide satisfaction survey reaches both; no admin pages.
          await page.goto(`${url}/campaigns`);
          expect(await page.locator('main').textContent()).to.include('Student satisfaction');
          expect(await page.locator('.site-nav a[href="/admin/users"]').count()).to.equal(0);
          expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
          expect(await seriousViolations(page)).to.deep.equal([]);
          await screenshot(page, `demo-${who.replace(' ', '-').toLowerCase()}-${label}`);
          expect((await page.goto(`${url}/admin/users`))!.status()).to.equal(403);
          await context.close();
        }
      }
    } finally {
      await browser.close();
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });
});
