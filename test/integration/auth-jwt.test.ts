import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { User } from '../../server/accounts/model.js';
import { actorFromCookieHeader, sessionSettings } from '../../server/accounts/session.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('session tokens under attack', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  const claims = (sub: string, extra: object = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub, ver: 0, iss: 'pikir', aud: 'pikir-web', iat: now, exp: now + 3600, ...extra };
  };
  const me = (token: string) => call(srv.url, 'GET', '/api/auth/me', { cookie: `pikir_session=${token}` });

  it('accepts the real thing (control)', async () => {
    const user = await createUser();
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: sessionCookie(srv.config, user) })).status).to.equal(200);
  });

  it('refuses alg "none" and a token with its signature stripped', async () => {
    const user = await createUser();
    expect((await me(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(user._id))}.`)).status).to.equal(401);
    const real = sessionCookie(srv.config, user).split('=')[1]!;
    expect((await me(real.split('.').slice(0, 2).join('.') + '.')).status).to.equal(401);
  });

  it('refuses a token signed with another key or another algorithm', async () => {
    const user = await createUser();
    expect((await me(jwt.sign(claims(user._id), 'a-different-secret-a-different-secret-0123', { algorithm: 'HS256' }))).status).to.equal(401);
    expect((await me(jwt.sign(claims(user._id), srv.config.jwtSecret, { algorithm: 'HS384' }))).status).to.equal(401);
  });

  it('refuses a payload changed after signing (another user id)', async () => {
    const user = await createUser({ role: 'viewer', faculties: [] });
    const admin = await createUser({ role: 'admin' });
    const [h, , s] = sessionCookie(srv.config, user).split('=')[1]!.split('.');
    expect((await me(`${h}.${b64(claims(admin._id))}.${s}`)).status).to.equal(401);
  });

  it('refuses an expired token, a wrong audience and a wrong issuer', async () => {
    const user = await createUser();
    const now = Math.floor(Date.now() / 1000);
    expect((await me(jwt.sign(claims(user._id, { iat: now - 7200, exp: now - 60 }), srv.config.jwtSecret, { algorithm: 'HS256' }))).status).to.equal(401);
    expect((await me(jwt.sign(claims(user._id, { aud: 'pikir-mobile' }), srv.config.jwtSecret, { algorithm: 'HS256' }))).status).to.equal(401);
    expect((await me(jwt.sign(claims(user._id, { iss: 'someone' }), srv.config.jwtSecret, { algorithm: 'HS256' }))).status).to.equal(401);
  });

  it('refuses a token from before logout and a token of a disabled user', async () => {
    const user = await createUser();
    const before = sessionCookie(srv.config, user);
    expect((await call(srv.url, 'POST', '/api/auth/logout', { cookie: before })).status).to.equal(200);
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie: before })).status).to.equal(401);

    const other = await createUser();
    const cookie = sessionCookie(srv.config, other);
    await User.updateOne({ _id: other._id }, { $set: { disabled: true } });
    expect((await call(srv.url, 'GET', '/api/auth/me', { cookie })).status).to.equal(401);
  });

  it('applies the same checks to the Socket.IO handshake (actorFromCookieHeader)', async () => {
    const user = await createUser({ role: 'council', faculties: ['fac_x'] });
    const cookie = sessionCookie(srv.config, user);
    const actor = await actorFromCookieHeader(`pikir_lang=kk; ${cookie}; other=1`, sessionSettings(srv.config));
    expect(actor).to.include({ userId: user._id, role: 'council', email: user.email });
    expect(actor!.faculties).to.deep.equal(['fac_x']);
    expect(await actorFromCookieHeader(undefined, sessionSettings(srv.config))).to.equal(null);
    expect(await actorFromCookieHeader(`pikir_session=${jwt.sign(claims(user._id), 'wrong-key-wrong-key-wrong-key-0123456789', { algorithm: 'HS256' })}`, sessionSettings(srv.config))).to.equal(null);
    await User.updateOne({ _id: user._id }, { $inc: { tokenVersion: 1 } });
    expect(await actorFromCookieHeader(cookie, sessionSettings(srv.config))).to.equal(null);
  });
});
