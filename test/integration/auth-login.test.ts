import { expect } from 'chai';
import { User } from '../../server/accounts/model.js';
import { IDLE_TIMEOUT_MS } from '../../server/accounts/session.js';
import { call, createUser, formContext, mergeCookies, postForm, sessionCookie, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

function sessionFrom(setCookies: string[]): string {
  return mergeCookies('', setCookies.filter((c) => c.startsWith('pikir_session=')));
}

describe('signing in and out (API and pages)', () => {
  let srv: TestServer;
  beforeEach(async () => {
    srv = await startTestServer(); // a fresh server: the login throttle is per app
  });
  afterEach(async () => srv.close());

  it('signs in through the API with an httpOnly, SameSite=Lax session cookie, and /api/auth/me answers', async () => {
    const user = await createUser({ role: 'council', email: 'Aigerim@Test.Pikir.kz', faculties: [] });
    const res = await call(srv.url, 'POST', '/api/auth/login', { body: { email: ' aigerim@test.pikir.KZ ', password: TEST_PASSWORD } });
    expect(res.status).to.equal(200);
    expect((res.json as { user: { id: string; email: string } }).user).to.include({ id: user._id, email: 'aigerim@test.pikir.kz' });
    expect(res.text).not.to.match(/passwordHash|tokenVersion|scrypt/);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('pikir_session='))!;
    expect(setCookie).to.match(/HttpOnly/i);
    expect(setCookie).to.match(/SameSite=Lax/i);
    expect(setCookie).to.match(/Path=\//);
    expect(setCookie).to.match(/Max-Age=28800/);
    const me = await call(srv.url, 'GET', '/api/auth/me', { cookie: sessionFrom(res.headers.getSetCookie()) });
    expect(me.status).to.equal(200);
    expect((me.json as { user: { role: string } }).user.role).to.equal('council');
  });

  it('names the cookie __Host-pikir_session and marks it Secure behind https', async () => {
    const secure = await startTestServer({ BASE_URL: 'https://pikir.example.kz' });
    try {
      await createUser({ email: 'sec@test.pikir.kz' });
      const res = await call(secure.url, 'POST', '/api/auth/login', { body: { email: 'sec@test.pikir.kz', password: TEST_PASSWORD } });
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-pikir_session='));
      expect(setCookie).to.match(/Secure/);
      expect(setCookie).not.to.match(/Domain=/i);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password and an unknown email alike: 401, same message', async () => {
    await createUser({ email: 'known@test.pikir.kz' });
    const wrong = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'known@test.pikir.kz', password: 'not the right one' } });
    const unknown = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'nobody@test.pikir.kz', password: 'not the right one' } });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.json).to.deep.equal(unknown.json);
  });

  it('refuses NoSQL operators in place of credentials with 400, never a sign-in', async () => {
    await createUser({ email: 'victim@test.pikir.kz' });
    for (const body of [{ email: { $gt: '' }, password: { $gt: '' } }, { email: 'victim@test.pikir.kz', password: { $ne: 'x' } }, { email: { $regex: '.*' }, password: TEST_PASSWORD }]) {
      const res = await call(srv.url, 'POST', '/api/auth/login', { body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('pikir_session=') && !c.startsWith('pikir_session=;'))).to.equal(false);
    }
    const form = await formContext(srv.url, '/login');
    const res = await postForm(srv.url, '/login', form.cookie, { _csrf: form.token, 'email[$gt]': '', 'password[$gt]': '' });
    expect(res.status).to.equal(401);
  });

  it('locks an account after 5 failures for 15 minutes (even the right password), with Retry-After', async () => {
    await createUser({ email: 'target@test.pikir.kz' });
    for (let i = 0; i < 5; i++) {
      const res = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'target@test.pikir.kz', password: `guess number ${i}` } });
      expect(res.status).to.equal(401);
    }
    const locked = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'target@test.pikir.kz', password: TEST_PASSWORD } });
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.within(840, 900);
    expect((locked.json as { error: { code: string; message: string } }).error.message).to.match(/Try again in 15 min/);
    // Another account from the same client is not locked.
    await createUser({ email: 'other@test.pikir.kz' });
    expect((await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'other@test.pikir.kz', password: TEST_PASSWORD } })).status).to.equal(200);
  });

  it('stops a client after 20 failures over many accounts with 429 and Retry-After', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await call(srv.url, 'POST', '/api/auth/login', { body: { email: `spray${i}@test.pikir.kz`, password: 'Summer2024!!' } });
      expect(res.status).to.equal(401);
    }
    await createUser({ email: 'real@test.pikir.kz' });
    const res = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'real@test.pikir.kz', password: TEST_PASSWORD } });
    expect(res.status).to.equal(429);
    expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('shows the lockout on the sign-in page in the page’s language', async () => {
    await createUser({ email: 'page@test.pikir.kz' });
    const form = await formContext(srv.url, '/login?lang=kk');
    for (let i = 0; i < 5; i++) await postForm(srv.url, '/login', form.cookie, { _csrf: form.token, email: 'page@test.pikir.kz', password: `wrong ${i} password` });
    const res = await postForm(srv.url, '/login', form.cookie, { _csrf: form.token, email: 'page@test.pikir.kz', password: TEST_PASSWORD });
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
    expect(await res.text()).to.include('минуттан кейін қайталап көріңіз');
  });

  it('signs in through the form and redirects to a same-site next page only', async () => {
    await createUser({ email: 'form@test.pikir.kz' });
    const form = await formContext(srv.url, '/login?next=%2Forg');
    expect(form.html).to.include('name="next" value="/org"');
    const res = await postForm(srv.url, '/login', form.cookie, { _csrf: form.token, email: 'form@test.pikir.kz', password: TEST_PASSWORD, next: '/org' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/org');
    const evil = await postForm(srv.url, '/login', form.cookie, { _csrf: form.token, email: 'form@test.pikir.kz', password: TEST_PASSWORD, next: '//evil.example/x' });
    expect(evil.headers.get('location')).to.equal('/');
  });

  it('sends a page that needs a user to /login?next=…, and answers the API with 401', async () => {
    const page = await fetch(`${srv.url}/org/programmes?faculty=x`, { redirect: 'manual' });
    expect(page.status).to.equal(303);
    expect(page.headers.get('location')).to.equal('/login?next=%2Forg%2Fprogrammes%3Ffaculty%3Dx');
    const api = await call(srv.url, 'GET', '/api/programmes');
    expect(api.status).to.equal(401);
    expect((api.json as { error: { code: string } }).error.code).to.equal('unauthorized');
  });

  it('ends every session at logout: a token from before logout no longer works', async () => {
    const user = await createUser({ email: 'bye@test.pikir.kz' });
    const login = await call(srv.url, 'POST', '/api/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    const cookie = sessionFrom(login.headers.getSetCookie());
    const other = sessionCookie(srv.config, user); // a second device
    const out = await call(srv.url, 'POST', '/api/auth/logout', { cookie });
    expect(out.status).to.equal(200);
    expect(out.headers.getSetCookie().some((c) => c.startsWith('pikir_session=;'))).to.equal(true);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie })).status).to.equal(401);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: other })).status).to.equal(401);
  });

  it('ends a session idle for more than an hour, and records activity at most once a minute', async () => {
    const user = await createUser({ email: 'idle@test.pikir.kz' });
    const cookie = sessionCookie(srv.config, user);
    const recent = new Date(Date.now() - 30_000);
    await User.updateOne({ _id: user._id }, { $set: { lastActiveAt: recent } });
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie })).status).to.equal(200);
    expect((await User.findById(user._id).lean())!.lastActiveAt!.getTime()).to.equal(recent.getTime(), 'not rewritten within a minute');
    await User.updateOne({ _id: user._id }, { $set: { lastActiveAt: new Date(Date.now() - 5 * 60_000) } });
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie })).status).to.equal(200);
    expect(Date.now() - (await User.findById(user._id).lean())!.lastActiveAt!.getTime()).to.be.below(10_000, 'rewritten after a minute');
    await User.updateOne({ _id: user._id }, { $set: { lastActiveAt: new Date(Date.now() - IDLE_TIMEOUT_MS - 1000) } });
    const idle = await call(srv.url, 'GET', '/api/auth/me', { cookie });
    expect(idle.status).to.equal(401);
    expect(idle.headers.getSetCookie().some((c) => c.startsWith('pikir_session=;'))).to.equal(true, 'the dead cookie is cleared');
  });

  it('refuses a disabled account at sign-in with a message saying so', async () => {
    await createUser({ email: 'off@test.pikir.kz', disabled: true });
    const res = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'off@test.pikir.kz', password: TEST_PASSWORD } });
    expect(res.status).to.equal(403);
    expect((res.json as { error: { code: string } }).error.code).to.equal('account_disabled');
  });

  it('sends a user with a one-time password to /account/password from every page until it is changed', async () => {
    const user = await createUser({ email: 'otp@test.pikir.kz', mustChangePassword: true });
    const form = await formContext(srv.url, '/login');
    const login = await postForm(srv.url, '/login', form.cookie, { _csrf: form.token, email: user.email, password: TEST_PASSWORD });
    expect(login.headers.get('location')).to.equal('/account/password');
    const cookie = mergeCookies(form.cookie, login.headers.getSetCookie());
    for (const path of ['/', '/org', '/account']) {
      const res = await fetch(srv.url + path, { headers: { cookie }, redirect: 'manual' });
      expect(res.status, path).to.equal(303);
      expect(res.headers.get('location')).to.equal('/account/password');
    }
    const api = await call(srv.url, 'GET', '/api/programmes', { cookie });
    expect(api.status).to.equal(403);
    expect((api.json as { error: { code: string } }).error.code).to.equal('password_change_required');
    const page = await formContext(srv.url, '/account/password', cookie);
    expect(page.status).to.equal(200);
    const changed = await postForm(srv.url, '/account/password', page.cookie, { _csrf: page.token, currentPassword: TEST_PASSWORD, newPassword: 'violet harbour engine 93', confirmPassword: 'violet harbour engine 93' });
    expect(changed.status).to.equal(303);
    const after = mergeCookies(page.cookie, changed.headers.getSetCookie());
    expect((await fetch(`${srv.url}/org`, { headers: { cookie: after }, redirect: 'manual' })).status).to.equal(200);
    expect((await User.findById(user._id).lean())!.mustChangePassword).to.equal(false);
  });

  it('changing the password keeps this session and ends the others', async () => {
    const user = await createUser({ email: 'change@test.pikir.kz' });
    const elsewhere = sessionCookie(srv.config, user);
    const here = sessionCookie(srv.config, user);
    const res = await call(srv.url, 'POST', '/api/account/password', { cookie: here, body: { currentPassword: TEST_PASSWORD, newPassword: 'violet harbour engine 93' } });
    expect(res.status).to.equal(200);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: sessionFrom(res.headers.getSetCookie()) })).status).to.equal(200);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: elsewhere })).status).to.equal(401);
    expect((await call(srv.url, 'POST', '/api/auth/login', { body: { email: user.email, password: 'violet harbour engine 93' } })).status).to.equal(200);
  });
});
