import { expect } from 'chai';
import { pino } from 'pino';
import { User } from '../../server/accounts/model.js';
import { ensureAdmin } from '../../server/accounts/seed.js';
import { buildOrg, call, createUser, formContext, mergeCookies, postForm, sessionCookie, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

const silent = pino({ level: 'silent' });

describe('accounts administration', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  it('invites a user with a one-time password that signs in and must then be changed', async () => {
    const { a } = await buildOrg();
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const res = await call(srv.url, 'POST', '/api/users', { cookie: admin, body: { email: 'Dana@University.kz', name: 'Дана Әлиқызы', role: 'council', faculties: [a.faculty] } });
    expect(res.status).to.equal(201);
    const { user, oneTimePassword } = res.json as { user: { id: string; email: string; mustChangePassword: boolean }; oneTimePassword: string };
    expect(user).to.include({ email: 'dana@university.kz', mustChangePassword: true });
    const stored = await User.findById(user.id).lean();
    expect(stored!.passwordHash).to.match(/^scrypt\$/);
    expect(stored!.passwordHash).not.to.include(oneTimePassword);
    expect(stored!.name).to.equal('Дана Әлиқызы');
    const login = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'dana@university.kz', password: oneTimePassword } });
    expect(login.status).to.equal(200);
    expect((login.json as { user: { mustChangePassword: boolean } }).user.mustChangePassword).to.equal(true);
  });

  it('checks role and scope: a council member needs a faculty, units must exist, email must be new', async () => {
    const { a } = await buildOrg();
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const invite = (body: object) => call(srv.url, 'POST', '/api/users', { cookie: admin, body: { email: 'x@university.kz', name: 'X', ...body } });
    expect((await invite({ role: 'council', faculties: [] })).status).to.equal(400);
    expect((await invite({ role: 'programme_leader', programmes: ['prg_doesnotexist00000'] })).status).to.equal(400);
    expect((await invite({ role: 'owner' })).status).to.equal(400);
    expect((await invite({ role: 'viewer', programmes: [a.programme] })).status).to.equal(201);
    const again = await invite({ role: 'viewer', programmes: [a.programme] });
    expect(again.status).to.equal(409);
    expect((again.json as { error: { code: string } }).error.code).to.equal('email_taken');
  });

  it('applies the password rules to a password change (length, common, email)', async () => {
    const user = await createUser({ email: 'rules@university.kz' });
    const cookie = sessionCookie(srv.config, user);
    const change = (newPassword: string) => call(srv.url, 'POST', '/api/account/password', { cookie, body: { currentPassword: TEST_PASSWORD, newPassword } });
    for (const [pw, why] of [
      ['short1', /at least 12/],
      ['password1234', /too common/],
      ['qwertyuiop[]', /too common/],
      ['rules@university.kz', /email/],
    ] as const) {
      const res = await change(pw);
      expect(res.status, pw).to.equal(400);
      expect((res.json as { error: { code: string; message: string } }).error.code).to.equal('weak_password');
      expect((res.json as { error: { message: string } }).error.message).to.match(why);
    }
  });

  it('disabling a user ends their sessions at once; enabling lets them sign in again', async () => {
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const victim = await createUser({ role: 'viewer', faculties: [] });
    const theirs = sessionCookie(srv.config, victim);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: theirs })).status).to.equal(200);
    expect((await call(srv.url, 'POST', `/api/users/${victim._id}/disable`, { cookie: admin })).status).to.equal(200);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: theirs })).status).to.equal(401);
    expect((await call(srv.url, 'POST', `/api/users/${victim._id}/enable`, { cookie: admin })).status).to.equal(200);
    expect((await call(srv.url, 'POST', '/api/auth/login', { body: { email: victim.email, password: TEST_PASSWORD } })).status).to.equal(200);
  });

  it('keeps at least one active admin and refuses to disable oneself', async () => {
    const me = await createUser({ role: 'admin' });
    const cookie = sessionCookie(srv.config, me);
    const self = await call(srv.url, 'POST', `/api/users/${me._id}/disable`, { cookie });
    expect(self.status).to.equal(409);
    const demote = await call(srv.url, 'PATCH', `/api/users/${me._id}`, { cookie, body: { role: 'viewer', faculties: [] } });
    expect(demote.status).to.equal(409);
    expect((demote.json as { error: { code: string } }).error.code).to.equal('last_admin');
  });

  it('a role or scope change applies on the very next request', async () => {
    const { a, b } = await buildOrg();
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const council = await createUser({ role: 'council', faculties: [a.faculty] });
    const cookie = sessionCookie(srv.config, council);
    expect((await call(srv.url, 'GET', `/api/faculties/${b.faculty}`, { cookie })).status).to.equal(404);
    await call(srv.url, 'PATCH', `/api/users/${council._id}`, { cookie: admin, body: { faculties: [a.faculty, b.faculty] } });
    expect((await call(srv.url, 'GET', `/api/faculties/${b.faculty}`, { cookie })).status).to.equal(200);
  });

  it('invites through the page and shows the one-time password once, not cached', async () => {
    const { a } = await buildOrg();
    const cookie = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const page = await formContext(srv.url, '/admin/users/new?lang=en', cookie);
    expect(page.status).to.equal(200);
    expect(page.html).to.include('<label for="f-email">');
    const missing = await postForm(srv.url, '/admin/users', page.cookie, { _csrf: page.token, email: 'not-an-email', name: '', role: 'council', lang: 'kk' });
    expect(missing.status).to.equal(400);
    const html = await missing.text();
    expect(html).to.include('id="email-error"');
    expect(html).to.include('Enter an email address');
    const ok = await postForm(srv.url, '/admin/users', page.cookie, { _csrf: page.token, email: 'page.user@university.kz', name: 'Page User', role: 'council', faculties: [a.faculty], lang: 'ru' });
    expect(ok.status).to.equal(201);
    expect(ok.headers.get('cache-control')).to.equal('no-store');
    const otp = /<code>([a-z2-9-]{19})<\/code>/.exec(await ok.text())?.[1];
    expect(otp).to.match(/^[a-z2-9]{4}-/);
    const login = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'page.user@university.kz', password: otp } });
    expect(login.status).to.equal(200);
  });

  it('lists users on the admin page, and refuses the page to other roles', async () => {
    const admin = await createUser({ role: 'admin', name: 'Әсел Админ' });
    const res = await fetch(`${srv.url}/admin/users?lang=kk`, { headers: { cookie: sessionCookie(srv.config, admin) } });
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.include('Әсел Админ');
    expect(html).to.include('Пайдаланушылар');
    const viewer = await createUser({ role: 'viewer', faculties: [] });
    const denied = await fetch(`${srv.url}/admin/users`, { headers: { cookie: sessionCookie(srv.config, viewer), accept: 'text/html' } });
    expect(denied.status).to.equal(403);
  });

  it('lets a user choose the interface language on /account', async () => {
    const user = await createUser({ role: 'viewer', faculties: [], lang: 'en' });
    const page = await formContext(srv.url, '/account', sessionCookie(srv.config, user));
    expect(page.html).to.include('<html lang="en">');
    const res = await postForm(srv.url, '/account/language', page.cookie, { _csrf: page.token, lang: 'kk' });
    expect(res.status).to.equal(303);
    const cookie = mergeCookies(page.cookie, res.headers.getSetCookie());
    const after = await (await fetch(`${srv.url}/account?saved=language`, { headers: { cookie } })).text();
    expect(after).to.include('<html lang="kk">');
    expect(after).to.include('Интерфейс тілі сақталды.');
    expect((await User.findById(user._id).lean())!.lang).to.equal('kk');
  });
});

describe('first start (ensureAdmin)', () => {
  it('creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD, ready to use, and does nothing when users exist', async () => {
    const printed: string[] = [];
    const first = await ensureAdmin({ adminEmail: 'QA@University.kz', adminPassword: 'quiet meadow lantern 47' }, silent, (l) => printed.push(l));
    expect(first).to.deep.equal({ created: true, email: 'qa@university.kz' });
    expect(printed).to.deep.equal([]);
    const admin = await User.findOne({ email: 'qa@university.kz' }).lean();
    expect(admin).to.include({ role: 'admin', mustChangePassword: false });
    expect(await ensureAdmin({ adminEmail: 'other@university.kz', adminPassword: undefined }, silent, (l) => printed.push(l))).to.deep.equal({ created: false });
    expect(await User.countDocuments({})).to.equal(1);
  });

  it('without a password, prints a one-time password once and forces a change at first sign-in', async () => {
    const printed: string[] = [];
    await ensureAdmin({ adminEmail: undefined, adminPassword: undefined }, silent, (l) => printed.push(l));
    expect(printed).to.have.length(1);
    const otp = /one-time password:\s+(\S+)/.exec(printed[0]!)?.[1];
    expect(otp).to.match(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const admin = await User.findOne({ email: 'admin@pikir.local' }).lean();
    expect(admin!.mustChangePassword).to.equal(true);
    await ensureAdmin({ adminEmail: undefined, adminPassword: undefined }, silent, (l) => printed.push(l));
    expect(printed).to.have.length(1, 'printed only once');
    const srv = await startTestServer();
    try {
      const login = await call(srv.url, 'POST', '/api/auth/login', { body: { email: 'admin@pikir.local', password: otp } });
      expect(login.status).to.equal(200);
    } finally {
      await srv.close();
    }
  });

  it('with passwords turned off, creates the admin without any password and says to use single sign-on', async () => {
    const printed: string[] = [];
    expect(await ensureAdmin({ adminEmail: 'Rector.QA@University.kz', adminPassword: undefined, localPasswords: false }, silent, (l) => printed.push(l))).to.deep.equal({ created: true, email: 'rector.qa@university.kz' });
    expect(printed.join('')).to.include('sign in through the university’s single sign-on');
    expect(printed.join('')).not.to.match(/password:/);
    const admin = await User.findOne({ email: 'rector.qa@university.kz' }).lean();
    expect(admin).to.include({ role: 'admin', mustChangePassword: false });
    expect(admin!.passwordHash).not.to.match(/^scrypt\$/);
  });
});

