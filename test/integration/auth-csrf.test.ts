import { expect } from 'chai';
import { request } from 'node:http';
import { createUser, formContext, mergeCookies, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('CSRF protection', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  async function adminForm(): Promise<{ cookie: string; token: string }> {
    const admin = await createUser({ role: 'admin' });
    return formContext(srv.url, '/org/faculties/new', sessionCookie(srv.config, admin));
  }

  const form = (token: string, code = 'CS') => new URLSearchParams({ _csrf: token, code, name_kk: 'Қ', name_ru: 'Р', name_en: 'E' });

  it('accepts a same-origin form post with its token', async () => {
    const { cookie, token } = await adminForm();
    expect(token).to.match(/^[\w-]{20,}$/);
    const res = await fetch(`${srv.url}/org/faculties`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: srv.url, 'sec-fetch-site': 'same-origin' }, body: form(token), redirect: 'manual' });
    expect(res.status).to.equal(303);
  });

  it('refuses a cross-site Origin with 403 csrf and a message a person can act on', async () => {
    const { cookie, token } = await adminForm();
    const res = await fetch(`${srv.url}/api/faculties`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ code: 'X', name: { kk: 'a', ru: 'a', en: 'a' } }) });
    expect(res.status).to.equal(403);
    expect(await res.json()).to.deep.equal({ error: { code: 'csrf', message: 'The form has expired; reload the page and try again.' } });
    const page = await fetch(`${srv.url}/org/faculties`, { method: 'POST', headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: 'null' }, body: form(token), redirect: 'manual' });
    expect(page.status).to.equal(403);
    expect(await page.text()).to.include('reload the page');
  });

  it('refuses Sec-Fetch-Site cross-site and same-site, even with a valid token', async () => {
    const { cookie, token } = await adminForm();
    for (const site of ['cross-site', 'same-site']) {
      const res = await fetch(`${srv.url}/org/faculties`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': site }, body: form(token), redirect: 'manual' });
      expect(res.status, site).to.equal(403);
    }
  });

  it('refuses a form post without the token, with a wrong token, or without the csrf cookie', async () => {
    const { cookie, token } = await adminForm();
    const post = (c: string, body: URLSearchParams) => fetch(`${srv.url}/org/faculties`, { method: 'POST', headers: { cookie: c, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    const noToken = new URLSearchParams({ code: 'CS', name_kk: 'Қ', name_ru: 'Р', name_en: 'E' });
    expect((await post(cookie, noToken)).status).to.equal(403);
    expect((await post(cookie, form(token.slice(0, -2) + 'xx'))).status).to.equal(403);
    const withoutCsrfCookie = cookie.split('; ').filter((c) => !c.startsWith('pikir_csrf=')).join('; ');
    expect((await post(withoutCsrfCookie, form(token))).status).to.equal(403);
  });

  it('checks the token of a multipart upload too', async () => {
    const { cookie, token } = await adminForm();
    const body = new FormData();
    body.append('kind', 'faculties');
    body.append('text', 'code,name_kk,name_ru,name_en\nMP,Қ,Р,E\n');
    const without = await fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie }, body, redirect: 'manual' });
    expect(without.status).to.equal(403);
    body.append('_csrf', token);
    const withToken = await fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie }, body, redirect: 'manual' });
    expect(withToken.status).to.equal(200);
  });

  it('refuses page posts that carry no readable token (text/plain, JSON without one, no body)', async () => {
    const { cookie, token } = await adminForm();
    for (const [type, body] of [['text/plain', `_csrf=${token}&code=TP`], ['application/json', JSON.stringify({ code: 'JS' })], [undefined, undefined]] as const) {
      const res = await fetch(`${srv.url}/org/faculties`, { method: 'POST', headers: { cookie, ...(type ? { 'content-type': type } : {}) }, ...(body ? { body } : {}), redirect: 'manual' });
      expect(res.status, String(type)).to.equal(403);
    }
  });

  it('refuses a multipart post to a form that takes no upload, even with a token in it', async () => {
    const { cookie, token } = await adminForm();
    const body = new FormData();
    body.append('_csrf', token);
    body.append('code', 'MPX');
    const res = await fetch(`${srv.url}/org/faculties`, { method: 'POST', headers: { cookie }, body, redirect: 'manual' });
    expect(res.status).to.equal(403);
  });

  it('lets API clients without Origin or Sec-Fetch-Site through (cookies or not)', async () => {
    const admin = await createUser({ role: 'admin' });
    const res = await fetch(`${srv.url}/api/faculties`, { method: 'POST', headers: { cookie: sessionCookie(srv.config, admin), 'content-type': 'application/json' }, body: JSON.stringify({ code: 'API', name: { kk: 'а', ru: 'а', en: 'a' } }) });
    expect(res.status).to.equal(201);
    const same = await fetch(`${srv.url}/api/faculties`, { method: 'POST', headers: { cookie: sessionCookie(srv.config, admin), 'content-type': 'application/json', origin: srv.url, 'sec-fetch-site': 'same-origin' }, body: JSON.stringify({ code: 'API2', name: { kk: 'а', ru: 'а', en: 'a' } }) });
    expect(same.status).to.equal(201);
  });

  it('gives every page the token and sets the cookie once', async () => {
    const first = await fetch(`${srv.url}/login`);
    const set = first.headers.getSetCookie().find((c) => c.startsWith('pikir_csrf='));
    expect(set).to.match(/HttpOnly/i);
    const cookie = mergeCookies('', first.headers.getSetCookie());
    const second = await fetch(`${srv.url}/login`, { headers: { cookie } });
    expect(second.headers.getSetCookie().some((c) => c.startsWith('pikir_csrf='))).to.equal(false);
    expect(await second.text()).to.match(/name="_csrf" value="[\w-]+"/);
  });
});

describe('Origin is compared with BASE_URL, never with the Host header (pages, API and sockets)', () => {
  let srv: TestServer;
  /** The server as reached through a reverse proxy: BASE_URL names the public address. */
  let proxied: TestServer;
  before(async () => {
    srv = await startTestServer({}, { realtime: true });
    proxied = await startTestServer({ BASE_URL: 'https://pikir.example.kz' });
  });
  after(async () => {
    await srv.close();
    await proxied.close();
  });

  /** A raw request, so the Host header can be any name (fetch keeps it to the URL's). */
  function raw(url: string, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; text: string }> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request({ host: hostname, port, path, method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses a form or API post whose Origin merely equals the Host it was sent with', async () => {
    const admin = await createUser({ role: 'admin' });
    const body = JSON.stringify({ code: 'HOST1', name: { kk: 'а', ru: 'а', en: 'a' } });
    const headers = { cookie: sessionCookie(srv.config, admin), 'content-type': 'application/json' };
    const spoofed = await raw(srv.url, '/api/faculties', { ...headers, host: 'pikir.attacker.example', origin: 'http://pikir.attacker.example' }, 'POST', body);
    expect(spoofed.status).to.equal(403);
    expect(spoofed.text).to.include('"code":"csrf"');
    const own = await raw(srv.url, '/api/faculties', { ...headers, host: 'pikir.attacker.example', origin: srv.url }, 'POST', body);
    expect(own.status).to.equal(201);
  });

  it('behind a proxy accepts BASE_URL’s origin and refuses the address the server was reached at', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = { cookie: sessionCookie(proxied.config, admin), 'content-type': 'application/json' };
    const direct = await raw(proxied.url, '/api/faculties', { ...headers, origin: proxied.url }, 'POST', JSON.stringify({ code: 'PRX1', name: { kk: 'а', ru: 'а', en: 'a' } }));
    expect(direct.status).to.equal(403);
    const through = await raw(proxied.url, '/api/faculties', { ...headers, origin: 'https://pikir.example.kz' }, 'POST', JSON.stringify({ code: 'PRX2', name: { kk: 'а', ru: 'а', en: 'a' } }));
    expect(through.status).to.equal(201);
  });

  it('refuses a socket handshake whose Origin equals its Host but not BASE_URL', async () => {
    const path = '/socket.io/?EIO=4&transport=polling';
    const spoofed = await raw(srv.url, path, { host: 'pikir.attacker.example', origin: 'http://pikir.attacker.example' });
    expect(spoofed.status).to.equal(403);
    const own = await raw(srv.url, path, { host: 'pikir.attacker.example', origin: srv.url });
    expect(own.status).to.equal(200);
    expect(own.text).to.include('"sid"');
  });
});
