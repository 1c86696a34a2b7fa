import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { BurstLog, SignInBurst } from '../../server/accounts/bursts.js';
import { call, createUser, formContext, mergeCookies, postForm, sessionCookie, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const deviceOf = (setCookies: string[]) => mergeCookies('', setCookies.filter((c) => c.startsWith('pikir_device=')));
const login = (srv: TestServer, email: string, password: string, cookie = '', ip?: string) =>
  call(srv.url, 'POST', '/api/auth/login', { body: { email, password }, ...(cookie ? { cookie } : {}), ...(ip ? { headers: { 'x-forwarded-for': ip } } : {}) });

interface BurstOut {
  kind: string;
  account: { email: string } | null;
  failures: number;
  refused: number;
  accounts: number;
}

describe('sign-in that an attacker cannot block', function () {
  // Every wrong password costs a real scrypt hash: twenty of them take a while on a busy machine.
  this.timeout(90_000);
  let srv: TestServer;
  beforeEach(async () => {
    // A fresh server per test: the throttle is per app. Behind a proxy, so each test can be several clients.
    srv = await startTestServer({ TRUST_PROXY: 'loopback' });
  });
  afterEach(async () => srv.close());

  it('lets the right password in from a device that signed in before, while others are paused for the account', async () => {
    const admin = await createUser({ role: 'admin', email: 'rector.office@test.pikir.kz' });
    const before = await login(srv, admin.email, TEST_PASSWORD, '', '10.1.1.1');
    expect(before.status).to.equal(200);
    const device = deviceOf(before.headers.getSetCookie());
    expect(device).to.match(/^pikir_device=v1\./);
    expect(before.headers.getSetCookie().find((c) => c.startsWith('pikir_device='))).to.match(/HttpOnly/i);

    // Someone who knows the address tries five passwords from elsewhere: the account pauses for them.
    for (let i = 0; i < 5; i++) expect((await login(srv, admin.email, `guess ${i}`, '', '203.0.113.9')).status).to.equal(401);
    expect((await login(srv, admin.email, TEST_PASSWORD, '', '203.0.113.9')).status).to.equal(429);
    // A new device of the admin (no device cookie) waits too...
    const fresh = await login(srv, admin.email, TEST_PASSWORD, '', '10.1.1.2');
    expect(fresh.status).to.equal(429);
    expect((fresh.json as { error: { message: string } }).error.message).to.include('or from a device you have signed in with before');
    // ...but the laptop that signed in before gets in, through the API and through the page.
    const back = await login(srv, admin.email, TEST_PASSWORD, device, '203.0.113.9');
    expect(back.status).to.equal(200);
    const page = await formContext(srv.url, '/login?lang=en', deviceOf(back.headers.getSetCookie()));
    const form = await postForm(srv.url, '/login', page.cookie, { _csrf: page.token, email: admin.email, password: TEST_PASSWORD });
    expect(form.status).to.equal(303);
    // Its success did not lift the pause for the others.
    expect((await login(srv, admin.email, TEST_PASSWORD, '', '203.0.113.10')).status).to.equal(429);
  });

  it('trusts a device cookie only for its own account, and never a forged or altered one', async () => {
    const a = await createUser({ email: 'a.user@test.pikir.kz' });
    const b = await createUser({ email: 'b.user@test.pikir.kz' });
    const deviceA = deviceOf((await login(srv, a.email, TEST_PASSWORD)).headers.getSetCookie());
    for (let i = 0; i < 5; i++) await login(srv, b.email, `guess ${i}`, '', '198.51.100.7');
    expect((await login(srv, b.email, TEST_PASSWORD, deviceA, '198.51.100.8')).status).to.equal(429);
    const [name, value] = deviceA.split('=') as [string, string];
    const altered = `${name}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = `${name}=v1.${'A'.repeat(22)}.${'B'.repeat(22)}.${Date.now()}.${'C'.repeat(43)}`;
    for (const cookie of [altered, forged]) expect((await login(srv, b.email, TEST_PASSWORD, cookie, '198.51.100.8')).status, cookie).to.equal(429);
  });

  it('pauses a guessing trusted device after 10 wrong passwords, and no one else', async () => {
    const user = await createUser({ email: 'shared.pc@test.pikir.kz' });
    const stolen = deviceOf((await login(srv, user.email, TEST_PASSWORD, '', '10.2.0.1')).headers.getSetCookie());
    const own = deviceOf((await login(srv, user.email, TEST_PASSWORD, '', '10.2.0.2')).headers.getSetCookie());
    for (let i = 0; i < 10; i++) expect((await login(srv, user.email, `guess ${i}`, stolen, '10.2.0.1')).status).to.equal(401);
    const paused = await login(srv, user.email, TEST_PASSWORD, stolen, '10.2.0.1');
    expect(paused.status).to.equal(429);
    expect((await login(srv, user.email, TEST_PASSWORD, own, '10.2.0.2')).status).to.equal(200);
    expect((await login(srv, user.email, TEST_PASSWORD, '', '10.2.0.3')).status).to.equal(200);
  });

  it('stops a client spraying passwords over many accounts, without stopping other clients', async () => {
    const victim = await createUser({ email: 'victim@test.pikir.kz' });
    for (let i = 0; i < 20; i++) expect((await login(srv, `spray${i}@test.pikir.kz`, 'Summer2024!!', '', '192.0.2.66')).status).to.equal(401);
    expect((await login(srv, victim.email, TEST_PASSWORD, '', '192.0.2.66')).status).to.equal(429);
    expect((await login(srv, victim.email, TEST_PASSWORD, '', '192.0.2.67')).status).to.equal(200);
  });

  it('records every burst for admins: the account, the failures, the attempts refused (API and users page)', async () => {
    const target = await createUser({ role: 'council', email: 'dean@test.pikir.kz', name: 'Dean Target' });
    const admin = await createUser({ role: 'admin', email: 'qa.admin@test.pikir.kz' });
    const cookie = sessionCookie(srv.config, admin);
    for (let i = 0; i < 5; i++) await login(srv, target.email, `guess ${i}`, '', '203.0.113.50');
    for (let i = 0; i < 20; i++) await login(srv, `nobody${i}@test.pikir.kz`, 'guess', '', '203.0.113.51');
    const bursts = async () => ((await call(srv.url, 'GET', '/api/sign-in-bursts', { cookie })).json as { items: BurstOut[] }).items;
    const items = await waitFor('two bursts recorded', async () => ((await bursts()).length >= 2 ? bursts() : null));
    expect(items.find((b) => b.kind === 'account')).to.deep.include({ account: { id: target._id, email: 'dean@test.pikir.kz', name: 'Dean Target' }, failures: 5 });
    expect(items.find((b) => b.kind === 'client')).to.deep.include({ account: null, failures: 20, accounts: 20 });
    expect(JSON.stringify(items)).not.to.match(/203\.0\.113|nobody/);

    const page = await fetch(`${srv.url}/admin/users?lang=en`, { headers: { cookie } });
    const html = await page.text();
    expect(html).to.include('Failed sign-in bursts');
    expect(html).to.include('Dean Target &lt;dean@test.pikir.kz&gt;');
    expect(html).to.include('(20 accounts tried)');
    // Not for anyone else.
    const viewer = await createUser({ role: 'viewer', faculties: [] });
    expect((await call(srv.url, 'GET', '/api/sign-in-bursts', { cookie: sessionCookie(srv.config, viewer) })).status).to.equal(403);
  });
});

describe('the burst log', () => {
  it('writes one warning per burst, naming the account by id, never an address or an e-mail', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const user = await createUser({ email: 'logged@test.pikir.kz' });
    const log = new BurstLog(pino({ level: 'info' }, stream));
    const now = Date.now();
    const burst = { id: 'b-1', kind: 'account' as const, email: 'logged@test.pikir.kz', startedAt: now, lastAt: now, failures: 5, refused: 0, accounts: 1, pausedUntil: now + 900_000 };
    log.report(burst);
    log.report({ ...burst, refused: 3, lastAt: now + 2000 });
    await log.settled();
    expect(lines).to.have.length(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).to.deep.include({ level: 40, account: user._id, kind: 'account', failures: 5, msg: 'failed sign-in burst: sign-ins to the account from untrusted clients paused for 15 min' });
    expect(lines[0]).not.to.include('logged@');
    expect(await SignInBurst.findById('b-1').lean()).to.deep.include({ account: user._id, failures: 5, refused: 3 });
  });
});
