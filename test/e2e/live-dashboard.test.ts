// Live dashboards: a response submitted over HTTP reaches an open dashboard within a second; a council
// member of another faculty can neither join nor receive the campaign's rooms; after a forced
// disconnect the client resyncs to exact counts.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { launchBrowser, PROJECTOR } from '../support/browser.js';
import { createUser, sessionCookie } from '../support/factories.js';
import { User } from '../../server/accounts/model.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';

describe('live dashboards', () => {
  let srv: TestServer;
  let browser: Browser;
  let world: SurveyWorld;
  const random = seededRandom(5);

  before(async () => {
    srv = await startTestServer({}, { realtime: true, sessionRecheckMs: 300 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });
  beforeEach(async () => {
    world = await buildSurveyWorld();
  });

  async function submit(count: number): Promise<void> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ submissionId: randomBase32(26), lang: 'en', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 4) }),
      });
      expect(res.status).to.equal(201);
    }
  }

  function socketFor(cookie: string): Socket {
    return connect(srv.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnectionDelay: 100, reconnectionDelayMax: 200 });
  }

  it('shows a response submitted over HTTP on the open dashboard within a second, without a reload', async () => {
    const admin = await createUser({ role: 'admin' });
    const [name, value] = sessionCookie(srv.config, admin).split('=') as [string, string];
    const context = await browser.newContext(PROJECTOR);
    await context.addCookies([{ name, value, url: srv.url }]);
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (e) => browserErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && browserErrors.push(m.text()));
    await submit(5);
    await page.goto(`${srv.url}/results/${world.campaign._id}?lang=en#items`);
    await page.waitForFunction(() => document.querySelector('[data-live-status]')?.getAttribute('data-state') === 'live');
    expect(await page.locator('[data-live-count]').textContent()).to.equal('5');

    const started = Date.now();
    await submit(1);
    await page.waitForFunction(() => document.querySelector('[data-live-count]')?.textContent === '6', undefined, { timeout: 1000 });
    const countLatency = Date.now() - started;

    // The item figures move in steps of at least k (5) responses: after four more, a step has been released
    // and the charts and figures redraw without a reload (n on the first figure grows past the first 5).
    await submit(4);
    const releasedN = () =>
      page.evaluate(() => Number(/n = (\d+)/.exec(document.querySelector('.result-card .figure-line li')?.textContent ?? '')?.[1] ?? 0));
    const firstN = await releasedN();
    await page
      .waitForFunction(() => Number(/n = (\d+)/.exec(document.querySelector('.result-card .figure-line li')?.textContent ?? '')?.[1] ?? 0) >= 6, undefined, { timeout: 6000 })
      .catch(async (err: unknown) => {
        const state = await page.evaluate(() => ({ ...document.querySelector<HTMLElement>('[data-dashboard]')!.dataset, i18n: '', trends: '', daily: '' }));
        throw new Error(`${String(err)}\nstate: ${JSON.stringify(state)}\nbrowser errors: ${browserErrors.join(' | ')}`);
      });
    expect(firstN).to.be.at.most(5);
    expect(await releasedN()).to.be.within(6, 10);
    expect(await page.locator('canvas[data-chart="diverging"]').first().isVisible()).to.equal(true);
    expect(countLatency).to.be.below(1000);
    await context.close();
  });

  it('follows the rates by group on the campaign page live, and marks the groups that lag behind', async () => {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const to = async (programme: string, cohort: string, count: number) => {
      for (let i = 0; i < count; i++) {
        const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ submissionId: randomBase32(26), lang: 'en', segment: { programme, cohort }, answers: syntheticAnswers(def, random, 4) }),
        });
        expect(res.status).to.equal(201);
      }
    };
    const admin = await createUser({ role: 'admin' });
    const [name, value] = sessionCookie(srv.config, admin).split('=') as [string, string];
    const context = await browser.newContext(PROJECTOR);
    await context.addCookies([{ name, value, url: srv.url }]);
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (e) => browserErrors.push(String(e)));
    await page.goto(`${srv.url}/campaigns/${world.campaign._id}?lang=en`);
    const [p1, p2] = world.programmesA as [string, string];
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    expect(await page.locator('.rates-row--lagging').count()).to.equal(0);
    await page.waitForFunction((campaign) => document.querySelector<HTMLElement>(`[data-rates][data-campaign="${campaign}"]`)?.dataset.liveVersion !== undefined, world.campaign._id);

    // 30 of 60, 6 of 55, 10 of 40: the second cohort lags behind its programme (6/55 < ¾ · 36/115).
    await to(p1, c1, 30);
    await to(p1, c2, 6);
    await to(p2, c3, 10);
    await page
      // Until every group's figures are out: the cuts reach the groups one by one.
      .waitForFunction(
        ([lagging, last]) => {
          const row = document.querySelector(`tr[data-unit="${lagging}"]`);
          const other = document.querySelector(`tr[data-unit="${last}"]`);
          return row?.classList.contains('rates-row--lagging') === true && row.querySelectorAll('td')[1]?.textContent === '6' && other?.querySelectorAll('td')[1]?.textContent === '10';
        },
        [`cohort~${c2}`, `cohort~${c3}`],
        { timeout: 35_000 },
      )
      .catch((err: unknown) => {
        throw new Error(`${String(err)}\nbrowser errors: ${browserErrors.join(' | ')}`);
      });
    await page.waitForFunction(() => document.querySelector('[data-live-count]')?.textContent === '46', undefined, { timeout: 10_000 });
    expect(await page.locator('[data-live-rate]').textContent()).to.equal('Response rate: 30%');
    expect(await page.locator(`tr[data-unit="cohort~${c2}"] .badge--lagging`).textContent()).to.equal('lagging behind');
    expect(await page.locator('.rates-row--lagging').count()).to.equal(1);
    expect(browserErrors).to.deep.equal([]);
    await context.close();
  });

  it('never lets a council member of another faculty join or receive the campaign rooms', async () => {
    const outsider = await createUser({ role: 'council', faculties: [world.facultyB] });
    const socket = socketFor(sessionCookie(srv.config, outsider));
    const received: string[] = [];
    socket.onAny((event) => received.push(event));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    const attempts = [
      { campaign: world.campaign._id, unit: 'university' },
      { campaign: world.campaign._id, unit: `faculty~${world.facultyA}` },
      { campaign: world.campaign._id, unit: `programme~${world.programmesA[0]}` },
    ];
    for (const payload of attempts) {
      for (const event of ['subscribe', 'snapshot']) {
        const reply = (await socket.emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } };
        expect(reply.ok, `${event} ${JSON.stringify(payload)}`).to.equal(false);
        expect(reply.error?.code).to.equal('not_found');
      }
    }
    const crafted = (await socket.emitWithAck('subscribe', { campaign: { $ne: null }, unit: 'university' })) as { ok: boolean; error?: { code: string } };
    expect(crafted.ok).to.equal(false);
    expect(crafted.error?.code).to.equal('validation_failed');
    // Socket.IO's own "join" is server-side only: a crafted event named join does nothing.
    socket.emit('join', `campaign:${world.campaign._id}`);
    // An admin watching the same campaign is the control: once the push for these responses reached it,
    // the outsider would have had it too if it were in any of the rooms.
    const admin = await createUser({ role: 'admin' });
    const observer = socketFor(sessionCookie(srv.config, admin));
    let observed = -1;
    observer.on('count', (m: { n: number }) => (observed = m.n));
    await new Promise<void>((resolve) => observer.once('connect', () => resolve()));
    expect(((await observer.emitWithAck('subscribe', { campaign: world.campaign._id, unit: 'university' })) as { ok: boolean }).ok).to.equal(true);
    await submit(6);
    await waitFor(() => `the admin's dashboard socket to receive the count of 6 (has ${observed})`, () => observed === 6, { timeout: 3_000 });
    expect(received).to.deep.equal([]);
    expect([...(srv.realtime!.io.sockets.adapter.sids.get(socket.id!) ?? [])], 'rooms the outsider is in').to.deep.equal([socket.id]);
    observer.close();
    socket.close();
  });

  it('applies a change of scope to an open socket at once: it leaves the rooms and receives nothing more', async () => {
    const admin = await createUser({ role: 'admin' });
    const demoted = await createUser({ role: 'admin' });
    const cookie = sessionCookie(srv.config, demoted);
    const socket = socketFor(cookie);
    const received: string[] = [];
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(((await socket.emitWithAck('subscribe', { campaign: world.campaign._id, unit: 'university' })) as { ok: boolean }).ok).to.equal(true);
    let scopeChanged = false;
    socket.on('scope-changed', () => (scopeChanged = true));
    socket.onAny((event) => received.push(event));
    // An admin makes the watching admin a council member of the other faculty (page form or API alike).
    const res = await fetch(`${srv.url}/api/users/${demoted._id}`, { method: 'PATCH', headers: { cookie: sessionCookie(srv.config, admin), 'content-type': 'application/json' }, body: JSON.stringify({ role: 'council', faculties: [world.facultyB], programmes: [] }) });
    expect(res.status).to.equal(200);
    await waitFor(() => 'the socket to be told its scope changed', () => scopeChanged, { timeout: 2_000 });
    expect([...(srv.realtime!.io.sockets.adapter.sids.get(socket.id!) ?? [])], 'rooms after the change').to.deep.equal([socket.id]);
    received.length = 0;
    const observer = socketFor(sessionCookie(srv.config, admin));
    let observed = -1;
    observer.on('count', (m: { n: number }) => (observed = m.n));
    await new Promise<void>((resolve) => observer.once('connect', () => resolve()));
    expect(((await observer.emitWithAck('subscribe', { campaign: world.campaign._id, unit: 'university' })) as { ok: boolean }).ok).to.equal(true);
    await submit(6);
    await waitFor(() => `the admin's socket to receive the count of 6 (has ${observed})`, () => observed === 6, { timeout: 3_000 });
    expect(received, 'events after the change').to.deep.equal([]);
    const snapshot = (await socket.emitWithAck('snapshot', { campaign: world.campaign._id, unit: `faculty~${world.facultyA}` })) as { ok: boolean };
    expect(snapshot.ok, 'a snapshot of the faculty no longer in scope').to.equal(false);
    observer.close();
    socket.close();
  });

  it('refuses a socket without a session and one from another origin', async () => {
    const anonymous = connect(srv.url, { transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => anonymous.on('connect_error', resolve));
    expect(error.message).to.match(/unauthorised/);
    anonymous.close();
    const admin = await createUser({ role: 'admin' });
    const foreign = connect(srv.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: sessionCookie(srv.config, admin), origin: 'https://evil.example' } });
    const refused = await new Promise<Error>((resolve) => foreign.on('connect_error', resolve));
    expect(refused).to.be.instanceOf(Error);
    foreign.close();
  });

  it('disconnects a socket whose account is disabled', async () => {
    const member = await createUser({ role: 'council', faculties: [world.facultyA] });
    const socket = socketFor(sessionCookie(srv.config, member));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const reply = (await socket.emitWithAck('subscribe', { campaign: world.campaign._id, unit: `faculty~${world.facultyA}` })) as { ok: boolean };
    expect(reply.ok).to.equal(true);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await User.updateOne({ _id: member._id }, { $set: { disabled: true } });
    expect(await disconnected).to.equal('io server disconnect');
    socket.close();
  });

  it('resyncs to exact counts after a forced disconnect', async () => {
    const admin = await createUser({ role: 'admin' });
    const socket = socketFor(sessionCookie(srv.config, admin));
    let count = -1;
    let snapshots = 0;
    const subscribe = async () => {
      const reply = (await socket.emitWithAck('subscribe', { campaign: world.campaign._id, unit: 'university' })) as { ok: boolean; data: { results: { responses: { n: number } } } };
      expect(reply.ok).to.equal(true);
      count = reply.data.results.responses.n;
      snapshots++;
    };
    socket.on('connect', () => void subscribe());
    socket.on('count', (m: { n: number }) => (count = m.n));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await submit(3);
    await waitFor(() => `the count of 3 (has ${count})`, () => count === 3, { timeout: 1_500 });
    // Drop the connection under the client (as a network failure would); it reconnects by itself.
    for (const s of srv.realtime!.io.sockets.sockets.values()) s.conn.close();
    await submit(4); // arrives while the client is away
    await waitFor(() => `a second snapshot with the count of 7 after reconnecting (${snapshots} snapshots, count ${count})`, () => snapshots >= 2 && count === 7, { timeout: 3_000 });
    await submit(2);
    await waitFor(() => `the count of 9 (has ${count})`, () => count === 9, { timeout: 1_500 });
    expect(count).to.equal(9);
    socket.close();
  });
});
