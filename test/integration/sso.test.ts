import { expect } from 'chai';
import { AuditEntry } from '../../server/audit/model.js';
import { User, type UserDoc } from '../../server/accounts/model.js';
import { freePort } from '../../server/db/embedded.js';
import { buildOrg, call, createUser, formContext, mergeCookies, postForm, sessionCookie, TEST_PASSWORD, type FacultyWorld } from '../support/factories.js';
import { IDP_CLIENT_ID, startTestIdp, type TestIdp } from '../support/oidc-provider.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { clearCollections } from '../support/database.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';

/** A browser's cookies per origin, following redirects by hand (fetch cannot keep cookies across them). */
class Browser {
  private jars = new Map<string, string>();

  // Pages in English (the interface language cookie), so the tests can read the messages.
  private jar = (origin: string) => this.jars.get(origin) ?? 'pikir_lang=en';

  async get(url: string): Promise<Response> {
    const origin = new URL(url).origin;
    const res = await fetch(url, { headers: { cookie: this.jar(origin) }, redirect: 'manual' });
    this.jars.set(origin, mergeCookies(this.jar(origin), res.headers.getSetCookie()));
    return res;
  }

  cookies(origin: string): string {
    return this.jar(origin);
  }

  setCookies(origin: string, cookie: string): void {
    this.jars.set(origin, cookie);
  }

  /** Follows redirects from `url` until one points at `stop` (that URL is returned, not requested). */
  async followUntil(url: string, stop: (u: URL) => boolean): Promise<URL> {
    let next = new URL(url);
    for (let hops = 0; hops < 10; hops++) {
      if (stop(next)) return next;
      const res = await this.get(next.href);
      const location = res.headers.get('location');
      if (!location) throw new Error(`${next.href} answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
      next = new URL(location, next);
    }
    throw new Error('too many redirects');
  }
}

const sessionOf = (cookie: string) => cookie.split('; ').filter((c) => c.startsWith('pikir_session=')).join('; ');

describe('staff single sign-on (OpenID Connect, against a real provider)', () => {
  let idp: TestIdp;
  let srv: TestServer;
  /** No role mapping (only existing accounts), and local passwords turned off. */
  let ssoOnly: TestServer;
  let org: { a: FacultyWorld; b: FacultyWorld };

  const MAPPING = JSON.stringify({
    claims: { roles: 'groups', faculties: 'faculties', programmes: 'programmes' },
    roles: { admin: ['pikir-admins'], council: ['quality-council'], programme_leader: ['programme-leads'] },
  });

  before(async function () {
    this.timeout(30_000);
    const [port, port2] = [await freePort(), await freePort()];
    idp = await startTestIdp([`http://127.0.0.1:${port}/login/sso/callback`, `http://127.0.0.1:${port2}/login/sso/callback`]);
    srv = await startTestServer({ ...idp.env(), OIDC_MAPPING: MAPPING }, { port });
    ssoOnly = await startTestServer({ ...idp.env(), LOCAL_PASSWORDS: 'false' }, { port: port2 });
  });
  after(async () => {
    await srv?.close();
    await ssoOnly?.close();
    await idp?.close();
  });
  beforeEach(async () => {
    org = await buildOrg();
    idp.accounts.clear();
  });

  /** Starts at Pikir's /login/sso, signs in at the provider as `account`, and stops before Pikir's callback. */
  async function toCallback(server: TestServer, account: string, browser = new Browser()): Promise<{ browser: Browser; callback: URL; authorize: URL }> {
    idp.signInAs(account);
    const start = await browser.get(`${server.url}/login/sso?next=${encodeURIComponent('/campaigns')}`);
    expect(start.status).to.equal(303);
    const authorize = new URL(start.headers.get('location')!);
    const callback = await browser.followUntil(authorize.href, (u) => u.origin === server.url && u.pathname === '/login/sso/callback');
    return { browser, callback, authorize };
  }

  async function signIn(server: TestServer, account: string): Promise<{ res: Response; browser: Browser }> {
    const { browser, callback } = await toCallback(server, account);
    const res = await browser.get(callback.href);
    return { res, browser };
  }

  it('signs a new member of staff in with the authorization code flow and PKCE, creating the account from the mapped claims', async () => {
    idp.accounts.set('u-1001', { email: 'Aliya.Nur@University.kz', email_verified: true, name: 'Aliya Nur', groups: ['staff', 'quality-council'], faculties: ['FA'] });
    const { browser, callback, authorize } = await toCallback(srv, 'u-1001');
    // What left for the provider: our client, our callback, an S256 challenge, a state and a nonce.
    expect(authorize.origin).to.equal(idp.issuer);
    expect(authorize.searchParams.get('client_id')).to.equal(IDP_CLIENT_ID);
    expect(authorize.searchParams.get('redirect_uri')).to.equal(`${srv.url}/login/sso/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorize.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).to.match(/^[A-Za-z0-9_-]{20,}$/);
    expect(authorize.searchParams.get('nonce')).to.match(/^[A-Za-z0-9_-]{20,}$/);
    expect(callback.searchParams.get('code')).to.be.a('string');

    const res = await browser.get(callback.href);
    expect(res.status, await res.clone().text()).to.equal(303);
    expect(res.headers.get('location')).to.equal('/campaigns');
    const me = await call(srv.url, 'GET', '/api/auth/me', { cookie: sessionOf(browser.cookies(srv.url)) });
    expect(me.status).to.equal(200);
    expect((me.json as { user: Record<string, unknown> }).user).to.deep.include({ email: 'aliya.nur@university.kz', name: 'Aliya Nur', role: 'council', faculties: [org.a.faculty], programmes: [], mustChangePassword: false });
    const stored = await User.findOne({ email: 'aliya.nur@university.kz' }).lean<UserDoc>();
    expect(stored!.passwordHash).not.to.match(/^scrypt\$/);
    const created = await AuditEntry.findOne({ entity: 'users', entityId: stored!._id, action: 'create' }).lean();
    expect(created).to.not.equal(null);
    // No password signs in to an account made by single sign-on.
    const guess = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'aliya.nur@university.kz', password: 'none' } });
    expect(guess.status).to.equal(401);
  });

  it('updates role and scope from the claims at every sign-in, and records the change', async () => {
    idp.accounts.set('u-2002', { email: 'marat@university.kz', email_verified: true, name: 'Marat', groups: ['programme-leads'], programmes: ['6B06101'] });
    expect((await signIn(srv, 'u-2002')).res.status).to.equal(303);
    let user = await User.findOne({ email: 'marat@university.kz' }).lean<UserDoc>();
    expect(user).to.deep.include({ role: 'programme_leader', programmes: [org.a.programme], faculties: [] });

    idp.accounts.set('u-2002', { email: 'marat@university.kz', email_verified: true, name: 'Marat B.', groups: ['pikir-admins', 'programme-leads'] });
    const second = await signIn(srv, 'u-2002');
    expect(second.res.status).to.equal(303);
    user = await User.findOne({ email: 'marat@university.kz' }).lean<UserDoc>();
    // The highest role granted wins; an admin has no faculty scope.
    expect(user).to.deep.include({ role: 'admin', name: 'Marat B.', programmes: [], faculties: [] });
    const update = await AuditEntry.findOne({ entity: 'users', entityId: user!._id, action: 'update' }).lean();
    expect(update?.after).to.deep.include({ role: 'admin' });
    expect((await User.countDocuments({ email: 'marat@university.kz' }))).to.equal(1);
  });

  it('links an existing account by its e-mail, keeping its password', async () => {
    const existing = await createUser({ role: 'viewer', email: 'dana@university.kz', faculties: [org.b.faculty] });
    idp.accounts.set('u-3003', { email: 'dana@university.kz', email_verified: true, name: 'Dana', groups: ['quality-council'], faculties: ['FB'] });
    expect((await signIn(srv, 'u-3003')).res.status).to.equal(303);
    const user = await User.findById(existing._id).lean<UserDoc>();
    expect(user).to.deep.include({ role: 'council', faculties: [org.b.faculty] });
    expect((await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'dana@university.kz', password: TEST_PASSWORD } })).status).to.equal(200);
  });

  it('refuses claims that grant no role, name no known faculty for the role, or an unverified address — and creates nothing', async () => {
    idp.accounts.set('u-4001', { email: 'student@university.kz', email_verified: true, name: 'Student', groups: ['students'] });
    idp.accounts.set('u-4002', { email: 'council@university.kz', email_verified: true, name: 'Council', groups: ['quality-council'], faculties: ['NO-SUCH-FACULTY'] });
    idp.accounts.set('u-4003', { email: 'unverified@university.kz', email_verified: false, name: 'Unverified', groups: ['pikir-admins'] });
    for (const [account, text] of [
      ['u-4001', 'has no Pikir role'],
      ['u-4002', 'names no faculty or programme known to Pikir'],
      ['u-4003', 'is not verified'],
    ] as const) {
      const { res, browser } = await signIn(srv, account);
      expect(res.status, account).to.equal(403);
      expect(await res.text()).to.include(text);
      expect(sessionOf(browser.cookies(srv.url)), account).to.equal('');
    }
    expect(await User.countDocuments({})).to.equal(0);
  });

  it('refuses an ID token for another audience, signed by the provider, and signs nobody in', async () => {
    idp.accounts.set('u-5001', { email: 'aud@university.kz', email_verified: true, name: 'Aud', groups: ['pikir-admins'] });
    idp.tamperNextIdToken((claims) => ({ ...claims, aud: 'another-client' }));
    const { res, browser } = await signIn(srv, 'u-5001');
    expect(res.status).to.equal(403);
    expect(await res.text()).to.include('did not confirm who you are');
    expect(sessionOf(browser.cookies(srv.url))).to.equal('');
    expect(await User.countDocuments({ email: 'aud@university.kz' })).to.equal(0);
    // Control: the same re-signing with the claims unchanged is accepted, so the audience alone was refused.
    idp.tamperNextIdToken((claims) => claims);
    expect((await signIn(srv, 'u-5001')).res.status).to.equal(303);
  });

  it('refuses an expired ID token', async () => {
    idp.accounts.set('u-6001', { email: 'late@university.kz', email_verified: true, name: 'Late', groups: ['pikir-admins'] });
    const now = Math.floor(Date.now() / 1000);
    idp.tamperNextIdToken((claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }));
    const { res, browser } = await signIn(srv, 'u-6001');
    expect(res.status).to.equal(403);
    expect(sessionOf(browser.cookies(srv.url))).to.equal('');
    expect(await User.countDocuments({ email: 'late@university.kz' })).to.equal(0);
  });

  it('refuses a replayed callback, a callback in another browser, and a state that was never issued', async () => {
    idp.accounts.set('u-7001', { email: 'replay@university.kz', email_verified: true, name: 'Replay', groups: ['pikir-admins'] });
    const { browser, callback } = await toCallback(srv, 'u-7001');
    const stateCookie = browser.cookies(srv.url);
    expect((await browser.get(callback.href)).status).to.equal(303);

    // The same callback again, with the state cookie as it was: the pending sign-in is gone.
    const replayer = new Browser();
    replayer.setCookies(srv.url, stateCookie);
    const replayed = await replayer.get(callback.href);
    expect(replayed.status).to.equal(400);
    expect(await replayed.text()).to.include('expired or was already used');
    expect(sessionOf(replayer.cookies(srv.url))).to.equal('');

    // A fresh callback opened in a browser that did not start it (a link an attacker sends).
    const fresh = await toCallback(srv, 'u-7001');
    const elsewhere = await new Browser().get(fresh.callback.href);
    expect(elsewhere.status).to.equal(400);
    // ...which leaves it usable by the browser that started it.
    expect((await fresh.browser.get(fresh.callback.href)).status).to.equal(303);

    // A made-up state with a matching cookie.
    const forged = new Browser();
    forged.setCookies(srv.url, 'pikir_lang=en; pikir_sso=madeupstate0123456789abcdefghij');
    const made = await forged.get(`${srv.url}/login/sso/callback?code=abc&state=madeupstate0123456789abcdefghij`);
    expect(made.status).to.equal(400);
  });

  it('answers a callback the provider refused (access denied) with the sign-in page, not a 500', async () => {
    idp.signInAs('');
    const browser = new Browser();
    const start = await browser.get(`${srv.url}/login/sso`);
    const callback = await browser.followUntil(start.headers.get('location')!, (u) => u.origin === srv.url);
    expect(callback.searchParams.get('error')).to.equal('access_denied');
    const res = await browser.get(callback.href);
    expect(res.status).to.equal(403);
    expect(await res.text()).to.include('id="login-error"');
  });

  it('answers hostile starts and callbacks with a 4xx sign-in page, never a 500 or a session', async () => {
    const huge = 'a'.repeat(4_000);
    const paths = [
      '/login/sso?next=//evil.example/x',
      '/login/sso?next=%0d%0aSet-Cookie:%20x=1',
      `/login/sso?next=/${huge}`,
      '/login/sso/callback',
      '/login/sso/callback?state=&code=',
      '/login/sso/callback?state=a&state=b&code=c',
      `/login/sso/callback?state=${huge}&code=x`,
      '/login/sso/callback?state=%00%ff&code=%E2%80%AE',
      '/login/sso/callback?error=access_denied&error_description=<script>alert(1)</script>',
      '/login/sso/callback?state[$ne]=1&code[$gt]=',
    ];
    for (const path of paths) {
      const label = path.slice(0, 80);
      const browser = new Browser();
      browser.setCookies(srv.url, `pikir_lang=en; pikir_sso=${path.includes('state=a') ? 'a' : 'x'}`);
      const res = await browser.get(srv.url + path);
      const location = res.headers.get('location');
      if (path.startsWith('/login/sso?')) {
        // A start always leaves for the provider, and remembers only a same-site page to come back to.
        expect(res.status, label).to.equal(303);
        expect(new URL(location!).origin, label).to.equal(idp.issuer);
      } else {
        expect(res.status, label).to.be.within(400, 499);
        expect(await res.text(), label).not.to.include('<script>alert(1)');
      }
      expect(sessionOf(browser.cookies(srv.url)), label).to.equal('');
    }
  });

  describe('with local passwords turned off and no role mapping', () => {
    it('signs in only accounts that exist, through the provider; passwords are refused everywhere', async () => {
      const admin = await createUser({ role: 'admin', email: 'admin@university.kz' });
      idp.accounts.set('u-8001', { email: 'admin@university.kz', email_verified: true, name: 'Admin' });
      idp.accounts.set('u-8002', { email: 'stranger@university.kz', email_verified: true, name: 'Stranger', groups: ['pikir-admins'] });

      const ok = await signIn(ssoOnly, 'u-8001');
      expect(ok.res.status).to.equal(303);
      const me = await call(ssoOnly.url, 'GET', '/api/auth/me', { cookie: sessionOf(ok.browser.cookies(ssoOnly.url)) });
      expect((me.json as { user: { id: string; role: string } }).user).to.include({ id: admin._id, role: 'admin' });
      // Without a mapping the provider does not make accounts.
      const stranger = await signIn(ssoOnly, 'u-8002');
      expect(stranger.res.status).to.equal(403);
      expect(await stranger.res.text()).to.include('There is no Pikir account');

      // The right password is refused: through the API, the form, and a password change.
      const api = await call(ssoOnly.url, 'POST', '/api/auth/login', { body: { email: 'admin@university.kz', password: TEST_PASSWORD } });
      expect(api.status).to.equal(403);
      expect((api.json as { error: { code: string } }).error.code).to.equal('local_passwords_off');
      const page = await formContext(ssoOnly.url, '/login?lang=en');
      expect(page.html).not.to.include('type="password"');
      expect(page.html).to.include('href="/login/sso"');
      const form = await postForm(ssoOnly.url, '/login', page.cookie, { _csrf: page.token, email: 'admin@university.kz', password: TEST_PASSWORD });
      expect(form.status).to.equal(403);
      expect(mergeCookies('', form.headers.getSetCookie())).not.to.include('pikir_session=');
      const cookie = sessionCookie(ssoOnly.config, admin);
      expect((await call(ssoOnly.url, 'POST', '/api/account/password', { cookie, body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase 99' } })).status).to.equal(403);

      // An invited colleague gets no one-time password: they sign in through the provider by e-mail.
      const invited = await call(ssoOnly.url, 'POST', '/api/users', { cookie, body: { email: 'new.colleague@university.kz', name: 'New Colleague', role: 'viewer', faculties: [org.a.faculty], lang: 'ru' } });
      expect(invited.status).to.equal(201);
      expect((invited.json as { oneTimePassword: unknown }).oneTimePassword).to.equal(null);
      const reset = await call(ssoOnly.url, 'POST', `/api/users/${(invited.json as { user: { id: string } }).user.id}/reset-password`, { cookie });
      expect(reset.status).to.equal(403);
      idp.accounts.set('u-8003', { email: 'new.colleague@university.kz', email_verified: true, name: 'New Colleague' });
      const colleague = await signIn(ssoOnly, 'u-8003');
      expect(colleague.res.status).to.equal(303);
      expect(colleague.res.headers.get('location')).to.equal('/campaigns');
    });

    it('never asks respondents for an account', async () => {
      await clearCollections();
      const world = await buildSurveyWorld();
      const intro = await fetch(`${ssoOnly.url}/s/${world.campaign.linkId}?lang=en`, { redirect: 'manual' });
      expect(intro.status).to.equal(200);
      const def = await getPublishedDefinition(world.campaign.instrument.id, world.campaign.instrument.version);
      const body = { submissionId: randomBase32(26), segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, seededRandom(7), 4) };
      const res = await call(ssoOnly.url, 'POST', `/api/respond/${world.campaign.linkId}`, { body });
      expect(res.status, res.text).to.equal(201);
    });
  });
});
