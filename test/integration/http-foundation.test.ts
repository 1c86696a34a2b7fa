import { expect } from 'chai';
import express from 'express';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { errorHandler } from '../../server/lib/error-handler.js';
import { useViews } from '../../server/lib/views/engine.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('HTTP foundation', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv.close();
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('answers /readyz after pinging the database', async () => {
    const res = await fetch(`${srv.url}/readyz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok', database: 'ok' });
  });

  it('sends a strict Content-Security-Policy with no inline script or style', async () => {
    const res = await fetch(`${srv.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("default-src 'self'");
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("style-src 'self'");
    expect(csp).to.include("object-src 'none'");
    expect(csp).to.include("frame-ancestors 'none'");
    expect(csp).not.to.include('unsafe-inline');
    expect(csp).not.to.include('unsafe-eval');
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('gives the anonymous submission API (mounted before sessions) the same headers and refuses cross-site posts', async () => {
    const page = await fetch(`${srv.url}/`);
    const api = await fetch(`${srv.url}/api/respond/nosuchlink`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).to.equal(400);
    for (const name of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy']) {
      expect(api.headers.get(name), name).to.equal(page.headers.get(name));
    }
    expect(api.headers.get('set-cookie')).to.equal(null);
    const crossSite = await fetch(`${srv.url}/api/respond/nosuchlink`, { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body: '{}' });
    expect(crossSite.status).to.equal(403);
    const foreignOrigin = await fetch(`${srv.url}/api/respond/nosuchlink`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
    expect(foreignOrigin.status).to.equal(403);
    expect(((await foreignOrigin.json()) as { error: { code: string } }).error.code).to.equal('csrf');
  });

  it('renders the home page in the language of ?lang= and remembers it', async () => {
    const res = await fetch(`${srv.url}/?lang=en`);
    const html = await res.text();
    expect(html).to.include('<html lang="en">');
    expect(html).to.include('Surveys for quality councils');
    expect(res.headers.get('set-cookie')).to.match(/pikir_lang=en/);
    const ru = await fetch(`${srv.url}/`, { headers: { cookie: 'pikir_lang=ru' } });
    expect(await ru.text()).to.include('Опросы для советов по качеству');
    const kk = await fetch(`${srv.url}/`, { headers: { 'accept-language': 'kk-KZ' } });
    expect(await kk.text()).to.include('Сапа кеңестеріне арналған сауалнамалар');
  });

  it('answers an unknown page with a 404 page and an unknown API path with 404 JSON', async () => {
    const page = await fetch(`${srv.url}/no-such-page?lang=en`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(404);
    expect(await page.text()).to.include('Page not found');
    const api = await fetch(`${srv.url}/api/no-such-thing`);
    expect(api.status).to.equal(404);
    expect(await api.json()).to.deep.equal({ error: { code: 'not_found', message: 'The page or resource you asked for does not exist.' } });
  });

  it('answers a malformed JSON body with 400 JSON, not 500', async () => {
    const res = await fetch(`${srv.url}/api/openapi.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": ' });
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).to.equal('malformed_json');
  });

  it('answers an oversized JSON body with 413 JSON', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(200_000) });
    const res = await fetch(`${srv.url}/api/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('payload_too_large');
  });

  it('serves the stylesheet, Chart.js and jsonc-parser from our own origin', async () => {
    expect((await fetch(`${srv.url}/static/css/app.css`)).status).to.equal(200);
    const chart = await fetch(`${srv.url}/vendor/chart.umd.min.js`);
    expect(chart.status).to.equal(200);
    expect(chart.headers.get('content-type')).to.match(/javascript/);
    // The parser's modules import "./impl/scanner" without an extension; both addresses answer JavaScript.
    for (const path of ['/vendor/jsonc-parser/main.js', '/vendor/jsonc-parser/impl/scanner']) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type'), path).to.match(/javascript/);
    }
  });
});

describe('the one error handler', () => {
  it('turns an unknown error into 500 JSON without internals, and a page into the error view', async () => {
    const app = express();
    useViews(app, false);
    app.use((_req, res, next) => {
      res.locals.lang = 'en';
      next();
    });
    app.get('/api/boom', () => {
      throw new Error('secret internal detail at /srv/x.ts:1');
    });
    app.get('/boom', () => {
      throw new Error('secret internal detail at /srv/x.ts:1');
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const api = await fetch(`http://127.0.0.1:${port}/api/boom`);
      expect(api.status).to.equal(500);
      const text = await api.text();
      expect(JSON.parse(text)).to.deep.equal({ error: { code: 'internal', message: 'Something went wrong on our side. Please try again later.' } });
      const page = await fetch(`http://127.0.0.1:${port}/boom`, { headers: { accept: 'text/html' } });
      expect(page.status).to.equal(500);
      const html = await page.text();
      expect(html).to.include('Something went wrong');
      expect(html).not.to.include('secret internal detail');
    } finally {
      server.close();
    }
  });
});
