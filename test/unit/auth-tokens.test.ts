import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { SESSION_TTL_SECONDS, signSessionToken, verifySessionToken } from '../../server/accounts/tokens.js';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';

function forge(header: object, payload: object, signature = ''): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

describe('session tokens', () => {
  it('carries sub, ver, iss pikir, aud pikir-web, and at most 8 hours of life', () => {
    const token = signSessionToken({ sub: 'usr_1', ver: 3 }, SECRET);
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).to.include({ alg: 'HS256' });
    const payload = jwt.decode(token) as Record<string, number | string>;
    expect(payload).to.include({ sub: 'usr_1', ver: 3, iss: 'pikir', aud: 'pikir-web' });
    expect(Number(payload.exp) - Number(payload.iat)).to.equal(SESSION_TTL_SECONDS);
    expect(SESSION_TTL_SECONDS).to.be.at.most(8 * 3600);
    expect(verifySessionToken(token, SECRET)).to.deep.equal({ sub: 'usr_1', ver: 3 });
  });

  it('refuses alg none', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = forge({ alg: 'none', typ: 'JWT' }, { sub: 'usr_1', ver: 0, iss: 'pikir', aud: 'pikir-web', iat: now, exp: now + 60 });
    expect(verifySessionToken(token, SECRET)).to.equal(null);
  });

  it('refuses another key, another algorithm, another audience or issuer, and an expired token', () => {
    const claims = { ver: 0 };
    const opts = { subject: 'usr_1', issuer: 'pikir', audience: 'pikir-web', expiresIn: 60 } as const;
    expect(verifySessionToken(jwt.sign(claims, 'another-secret-another-secret-0123456789', { ...opts, algorithm: 'HS256' }), SECRET)).to.equal(null);
    expect(verifySessionToken(jwt.sign(claims, SECRET, { ...opts, algorithm: 'HS512' }), SECRET)).to.equal(null);
    expect(verifySessionToken(jwt.sign(claims, SECRET, { ...opts, audience: 'pikir-api', algorithm: 'HS256' }), SECRET)).to.equal(null);
    expect(verifySessionToken(jwt.sign(claims, SECRET, { ...opts, issuer: 'evil', algorithm: 'HS256' }), SECRET)).to.equal(null);
    expect(verifySessionToken(jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { subject: 'usr_1', issuer: 'pikir', audience: 'pikir-web', algorithm: 'HS256' }), SECRET)).to.equal(null);
  });

  it('refuses a token that claims a longer life than 8 hours, or lacks a version', () => {
    const opts = { subject: 'usr_1', issuer: 'pikir', audience: 'pikir-web', algorithm: 'HS256' } as const;
    expect(verifySessionToken(jwt.sign({ ver: 0 }, SECRET, { ...opts, expiresIn: 30 * 24 * 3600 }), SECRET)).to.equal(null);
    expect(verifySessionToken(jwt.sign({}, SECRET, { ...opts, expiresIn: 60 }), SECRET)).to.equal(null);
    expect(verifySessionToken('not.a.token', SECRET)).to.equal(null);
  });
});
