// Fuzzing every public endpoint with malformed, oversized and hostile input: wrong types, operator objects,
// deep nesting, huge strings, invalid UTF-8, prototype-pollution keys. No 5xx, no crash, nothing stored.
import { expect } from 'chai';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { io as connect } from 'socket.io-client';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens } from '../../server/campaigns/tokens.js';
import { setSummaryPublished } from '../../server/campaigns/publishing.js';
import { createCampaign } from '../../server/campaigns/service.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { createUser, sessionCookie } from '../support/factories.js';
import { clearCollections, connectTestDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('<script>alert(1)</script>', '=HYPERLINK("http://x")', '+cmd|calc', '@SUM(A1)', '{"$gt":""}', '__proto__', 'constructor', '../../etc/passwd', '\u0000', '\ud800', 'é'.repeat(10), '%00', "'; DROP TABLE responses; --"),
  fc.string({ minLength: 5000, maxLength: 200_000 }).map((s) => s.slice(0, 5) + 'x'.repeat(s.length)),
);
const operator = fc.constantFrom({ $gt: '' }, { $ne: null }, { $where: 'sleep(100)' }, { $regex: '.*' }, { $in: [1, 2] }, { $expr: { $eq: [1, 1] } });
/** Deep nesting: a chain of objects and arrays (a tree, not a shared graph). */
function deep(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}
const value: fc.Arbitrary<unknown> = fc.oneof(
  { maxDepth: 3 },
  hostileString,
  operator,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(deep(500)),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', '$set', 'a.b')), hostileString, { maxKeys: 5 }),
);
const body = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom('submissionId', 'lang', 'segment', 'answers', 'token', 'email', 'password', '__proto__', 'constructor', 'nav', 'sid', '_csrf', 'q_overall'), fc.string({ maxLength: 10 })), value, { maxKeys: 8 }),
  fc.jsonValue(),
);

/** Serialises with __proto__ kept as an own key, as an attacker would send it. */
const raw = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x)) : x));

async function counts(): Promise<Record<string, number>> {
  const db = mongoose.connection.db!;
  const out: Record<string, number> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) if (!['audit_log', 'aggregate_state'].includes(name)) out[name] = await db.collection(name).countDocuments();
  return out;
}

describe('fuzzing the public endpoints', function () {
  let srv: TestServer;
  let world: SurveyWorld;
  let token: string;
  let socketAdmin: Awaited<ReturnType<typeof createUser>>;
  let initialCounts: Record<string, number>;
  let publishedId: string;
  let blind: CampaignDoc;
  let blindToken: string;
  const statuses = new Map<string, number[]>();

  const expectNo5xx = (name: string, status: number, detail: string) => {
    (statuses.get(name) ?? statuses.set(name, []).get(name)!).push(status);
    expect(status, `${name}: ${detail.slice(0, 200)}`).to.be.below(500);
  };

  before(async () => {
    await connectTestDatabase();
    await clearCollections();
    srv = await startTestServer({}, { realtime: true });
    world = await buildSurveyWorld();
    token = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {}))[0]!;
    socketAdmin = await createUser({ role: 'admin', email: 'fuzz.admin@test.pikir.kz' });
    // A closed campaign with a public summary, so hostile group filters reach the real summary page.
    const c = world.campaign;
    const closed = await createCampaign(SYSTEM_ACTOR, { title: c.title, instrument: c.instrument, audience: c.audience, academicYear: c.academicYear, opensAt: new Date(Date.now() - 20 * 86_400_000), closesAt: new Date(Date.now() - 10 * 86_400_000), ...(c.targetSize ? { targetSize: c.targetSize } : {}), openLinkEnabled: true, openLinkCap: 0 }, 'open');
    await setSummaryPublished(SYSTEM_ACTOR, closed._id, true);
    publishedId = closed._id;
    // A survey with blind credentials, a slip for it and its key (made now, so the counts stay as they are).
    blind = await createCampaign(SYSTEM_ACTOR, { title: c.title, instrument: { id: 'integrity', version: 1 }, audience: c.audience, academicYear: c.academicYear, opensAt: c.opensAt, closesAt: c.closesAt, openLinkEnabled: false, openLinkCap: 0, blindCredentials: true }, 'open');
    blindToken = (await issueSlipTokens(SYSTEM_ACTOR, blind._id, 1, {}))[0]!;
    await srv.services.credentials.key(blind);
    initialCounts = await counts();
  });
  after(async () => {
    await srv?.close();
  });

  it('submission API: 1,000 hostile JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw(b) });
        expectNo5xx('submit', res.status, raw(b));
        await res.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });

  it('submission API: invalid UTF-8, broken JSON and wrong content types', async () => {
    const payloads: [string, Buffer | string][] = [];
    for (let i = 0; i < RUNS; i++) {
      const bytes = Buffer.from(`{"submissionId":"aaaaaaaaaaaaaaaaaaaa","lang":"kk","answers":{"overall":"`);
      payloads.push([i % 3 === 0 ? 'application/json' : i % 3 === 1 ? 'text/plain' : 'application/x-www-form-urlencoded', Buffer.concat([bytes, Buffer.from([0xff, 0xfe, 0xc3, 0x28, i % 256]), Buffer.from(i % 2 ? '"}}' : '')])]);
    }
    for (const [type, payload] of payloads) {
      const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(payload as Buffer) });
      expectNo5xx('submit-bytes', res.status, type);
      await res.arrayBuffer();
    }
  });

  it('respondent pages and token links: 1,000 hostile paths and form bodies', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })), { maxKeys: 6 }), fc.integer({ min: 0, max: 4 }), async (segment, form, which) => {
        const encoded = encodeURIComponent((segment.slice(0, 300) as unknown as { toWellFormed(): string }).toWellFormed()).replace(/%2F/g, '/');
        const path = [`/s/${encoded}`, `/t/${encoded}`, `/s/${world.campaign.linkId}/step/${encoded}`, `/t/${token}/step/1`, `/s/${world.campaign.linkId}/step/2`][which]!;
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x.slice(0, 5000));
        const get = await fetch(`${srv.url}${path}`, { redirect: 'manual' });
        expectNo5xx('pages-get', get.status, path);
        await get.arrayBuffer();
        const post = await fetch(`${srv.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
        expectNo5xx('pages-post', post.status, path + ' ' + params.toString());
        await post.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
    for (const bad of ['/s/%FF%FE', '/t/%C3%28', '/s/%00', '/t/' + 'a'.repeat(5000)]) {
      const res = await fetch(`${srv.url}${bad}`);
      expectNo5xx('pages-bytes', res.status, bad);
    }
  });

  it('blind credentials: 1,000 hostile credential exchanges and submissions with credentials', async () => {
    const fields = fc.dictionary(fc.constantFrom('token', 'blindedMessage', 'credential', 'message', 'signature', '__proto__', 'submissionId'), value, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fields, fc.boolean(), fc.boolean(), async (b, realToken, submission) => {
        const path = submission ? `/api/respond/${blind.linkId}` : `/api/respond/${blind.linkId}/credential`;
        const payload = submission
          ? { submissionId: 'fuzz-fuzz-fuzz-fuzz', lang: 'kk', answers: {}, ...(realToken ? { credential: b } : b) }
          : { ...(realToken ? { token: blindToken } : {}), ...b };
        const res = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw(payload) });
        expectNo5xx(submission ? 'blind-submit' : 'credential', res.status, raw(payload));
        await res.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });

  it('verification pages and keys: 1,000 hostile addresses', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, fc.integer({ min: 0, max: 3 }), async (id, which) => {
        const enc = encodeURIComponent((id.slice(0, 300) as unknown as { toWellFormed(): string }).toWellFormed());
        const path = [`/credentials/${enc}`, `/api/credentials/${enc}`, `/api/respond/${enc}/key`, `/credentials/${blind._id}?lang=${enc.slice(0, 20)}`][which]!;
        const res = await fetch(`${srv.url}${path}`, { redirect: 'manual' });
        expectNo5xx('verification', res.status, path);
        await res.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });

  it('public summaries: 1,000 hostile addresses and group filters', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, fc.boolean(), async (id, unit, real) => {
        const enc = (x: string) => encodeURIComponent((x.slice(0, 300) as unknown as { toWellFormed(): string }).toWellFormed());
        const path = `/published/${real ? publishedId : enc(id)}?unit=${enc(unit)}&lang=${enc(id.slice(0, 5))}`;
        const res = await fetch(`${srv.url}${path}`, { redirect: 'manual' });
        expectNo5xx('published', res.status, path);
        await res.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
    for (const bad of ['/published/%FF%FE', '/published/%00', '/published/' + 'a'.repeat(5000), '/published?unit[$gt]=', '/published/x?unit[$ne]=1']) {
      const res = await fetch(`${srv.url}${bad}`);
      expectNo5xx('published-bytes', res.status, bad);
    }
  });

  it('login: 1,000 hostile bodies to the JSON and form logins', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (b, asForm) => {
        const res = asForm
          ? await fetch(`${srv.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(Object.entries(typeof b === 'object' && b ? (b as Record<string, unknown>) : { email: String(b) }).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : raw(v)])).toString() })
          : await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw(b) });
        expectNo5xx('login', res.status, raw(b));
        expect(res.headers.get('set-cookie') ?? '').not.to.match(/pikir_session=[^;]/);
        await res.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });

  it('socket events: 1,000 hostile payloads keep the server up and answer errors', async () => {
    const socket = connect(srv.url, { transports: ['websocket'], extraHeaders: { cookie: sessionCookie(srv.config, socketAdmin) }, reconnectionDelay: 50 });
    const connected = () =>
      socket.connected
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          });
    await connected();
    let dropped = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('subscribe', 'snapshot', 'join', 'leave', '__proto__', 'constructor', 'x'.repeat(300)), value, async (event, payload) => {
        await connected();
        // Frames above the 16 kB limit make Socket.IO close that connection (the client reconnects).
        const oversize = (JSON.stringify(payload) ?? '').length > 16_000;
        if (event === 'subscribe' || event === 'snapshot') {
          try {
            const reply = (await socket.timeout(3000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } };
            if (!reply.ok) expect(reply.error?.code).to.be.a('string').and.not.equal('internal');
          } catch (err) {
            // Socket.IO closes a connection that sends an oversize frame or a malformed event (a reserved
            // or invalid name such as "__proto__"); the client reconnects. Anything else is a failure.
            if (!oversize && !/disconnected/.test(String(err))) throw err;
            dropped++;
          }
        } else socket.emit(event, payload);
      }),
      { numRuns: RUNS },
    );
    // The last hostile frames may still close the connection after it looked connected: retry on that only.
    let reply: { ok: boolean } | undefined;
    for (let attempt = 0; attempt < 5 && !reply; attempt++) {
      await connected();
      reply = (await socket
        .timeout(3000)
        .emitWithAck('subscribe', { campaign: world.campaign._id, unit: 'university' })
        .catch((err: unknown) => {
          if (!/disconnected/.test(String(err))) throw err;
          return undefined;
        })) as { ok: boolean } | undefined;
    }
    expect(reply?.ok, 'a well-formed event still works afterwards').to.equal(true);
    socket.close();
    void dropped;
  });

  it('stored nothing and is still healthy', async () => {
    expect(await counts()).to.deep.equal(initialCounts);
    expect((await fetch(`${srv.url}/readyz`)).status).to.equal(200);
  });
});
