import { expect } from 'chai';
import jsQRModule from 'jsqr';
import mongoose from 'mongoose';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { AuditEntry } from '../../server/audit/model.js';
import { tokenHash } from '../../server/campaigns/tokens.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition, newVersion } from '../../server/instruments/service.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { api, campaignBody, signIn, type Staff } from './campaigns.support.js';

// jsqr is CommonJS: its default export sits on .default under NodeNext.
const jsQR = jsQRModule.default;

interface CampaignOut {
  id: string;
  status: string;
  state: string;
  linkId: string;
  link: string;
  faculties: string[];
  title: { kk: string; ru: string; en: string };
  responses: { n: number; target: number; rate: number | null };
}
interface ErrorOut {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

describe('campaigns API', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  let admin: Staff;
  let councilA: Staff;
  let councilB: Staff;

  before(async () => {
    srv = await startTestServer({ RESPONSES_PER_MINUTE_PER_CLIENT: '100000' });
  });
  after(async () => srv.close());
  beforeEach(async () => {
    world = await buildSurveyWorld();
    admin = await signIn(srv, 'admin');
    councilA = await signIn(srv, 'council', { faculties: [world.facultyA] });
    councilB = await signIn(srv, 'council', { faculties: [world.facultyB] });
  });

  const create = (body = campaignBody()) => api<CampaignOut & ErrorOut>(srv, admin, 'POST', '/api/campaigns', body);

  describe('lifecycle', () => {
    it('creates a draft, edits it, opens and closes it, and records each step in the audit log', async () => {
      const created = await create(campaignBody({ audience: { kind: 'faculty', ids: [world.facultyB] } }));
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.status).to.equal('draft');
      expect(created.body.faculties).to.deep.equal([world.facultyB]);
      expect(created.body.link).to.equal(`${srv.config.baseUrl}/s/${created.body.linkId}`);
      const id = created.body.id;

      // The target follows the audience: faculty B's enrolment (30), then faculty A's (60 + 55 + 40).
      expect(created.body.responses.target).to.equal(30);
      const edited = await api<CampaignOut>(srv, admin, 'PUT', `/api/campaigns/${id}`, campaignBody({ audience: { kind: 'faculty', ids: [world.facultyA] }, title: { kk: 'Жаңа атау', ru: 'Новое название', en: 'New title' } }));
      expect(edited.status).to.equal(200);
      expect(edited.body.title.en).to.equal('New title');
      expect(edited.body.responses.target).to.equal(155);

      const opened = await api<CampaignOut>(srv, admin, 'POST', `/api/campaigns/${id}/open`);
      expect(opened.status).to.equal(200);
      expect(opened.body.status).to.equal('open');
      const closed = await api<CampaignOut>(srv, admin, 'POST', `/api/campaigns/${id}/close`);
      expect(closed.body.status).to.equal('closed');
      expect((await api(srv, admin, 'GET', `/api/campaigns/${id}`)).body).to.include({ status: 'closed', state: 'closed' });

      const reopened = await api<ErrorOut>(srv, admin, 'POST', `/api/campaigns/${id}/open`);
      expect(reopened.status).to.equal(409);

      const entries = await AuditEntry.find({ entity: 'campaigns', entityId: id }).lean();
      expect(entries.map((e) => e.action).sort()).to.deep.equal(['close', 'create', 'open', 'update']);
      const update = entries.find((e) => e.action === 'update')!;
      expect(update.after).to.have.deep.property('audience', { kind: 'faculty', ids: [world.facultyA] });
      expect(update.after).not.to.have.property('academicYear');
      expect(entries.find((e) => e.action === 'close')!.after).to.deep.equal({ status: 'closed' });
    });

    it('refuses to change the instrument of a campaign that has opened', async () => {
      const res = await api<ErrorOut>(srv, admin, 'PUT', `/api/campaigns/${world.campaign._id}`, campaignBody({ instrument: { id: 'integrity', version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] } }));
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.match(/cannot change/);
    });

    it('rejects a closing date before the opening date, naming the field', async () => {
      const res = await create(campaignBody({ opensAt: '2025-11-01T00:00:00Z', closesAt: '2025-10-01T00:00:00Z' }));
      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.equal('The closing date must be after the opening date.');
      expect(res.body.error.details?.[0]?.path).to.equal('closesAt');
    });

    it('rejects an instrument version that is not published (a draft, or one that does not exist)', async () => {
      await newVersion(SYSTEM_ACTOR, 'student-satisfaction');
      const draft = await create(campaignBody({ instrument: { id: 'student-satisfaction', version: 2 } }));
      expect(draft.status).to.equal(400);
      expect(draft.body.error.message).to.match(/student-satisfaction version 2 is not published/);
      const missing = await create(campaignBody({ instrument: { id: 'no-such-instrument', version: 1 } }));
      expect(missing.status).to.equal(400);
      expect(missing.body.error.details?.[0]?.path).to.equal('instrument');
    });

    it('rejects units that are not in the structure, and an audience with no units', async () => {
      const unknown = await create(campaignBody({ audience: { kind: 'programme', ids: [world.programmeB, 'prg_doesnotexist0000'] } }));
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error.message).to.include('Unknown programme: prg_doesnotexist0000');
      const wrongKind = await create(campaignBody({ audience: { kind: 'cohort', ids: [world.facultyA] } }));
      expect(wrongKind.status).to.equal(400);
      expect(wrongKind.body.error.message).to.match(/Unknown cohort/);
      const empty = await create(campaignBody({ audience: { kind: 'faculty', ids: [] } }));
      expect(empty.status).to.equal(400);
      expect(empty.body.error.message).to.match(/at least one faculty/);
    });

    it('rejects a body that is not a campaign with 400 naming the fields', async () => {
      const res = await create(campaignBody({ targetSize: 0, academicYear: '2025', extra: true } as never));
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.message).to.include('targetSize');
      expect(res.body.error.message).to.include('academicYear');
    });
  });

  describe('hostile input', () => {
    it('answers operator objects in ids and bodies with 400, never a query', async () => {
      const inPath = await api<ErrorOut>(srv, admin, 'GET', `/api/campaigns/${encodeURIComponent('{"$gt":""}')}`);
      expect(inPath.status).to.equal(400);
      const inOpen = await api<ErrorOut>(srv, admin, 'POST', `/api/campaigns/${encodeURIComponent('{"$ne":null}')}/open`);
      expect(inOpen.status).to.equal(400);
      const inUnits = await create(campaignBody({ audience: { kind: 'faculty', ids: [{ $gt: '' }] } }));
      expect(inUnits.status).to.equal(400);
      const inInstrument = await create(campaignBody({ instrument: { id: { $gt: '' }, version: 1 } }));
      expect(inInstrument.status).to.equal(400);
      const inSegment = await api<ErrorOut>(srv, admin, 'POST', `/api/campaigns/${world.campaign._id}/tokens`, { count: 1, segment: { cohort: { $gt: '' } } });
      expect(inSegment.status).to.equal(400);
      const inYear = await api<ErrorOut>(srv, admin, 'GET', `/api/plan?year=${encodeURIComponent('{"$gt":""}')}`);
      expect(inYear.status).to.equal(400);
      // Bracket keys are not parsed into objects (the "simple" query parser): the field is simply unknown.
      const bracket = await api<{ year: string }>(srv, admin, 'GET', '/api/plan?year[$gt]=');
      expect(bracket.status).to.equal(200);
      expect(bracket.body.year).to.match(/^\d{4}-\d{4}$/);
      expect(await mongoose.connection.db!.collection('campaigns').countDocuments()).to.equal(1);
    });

    it('stores a title with a script tag as plain text', async () => {
      const title = { kk: '<script>alert(1)</script>', ru: '<img src=x onerror=alert(1)>', en: '"><b>bold</b>' };
      const res = await create(campaignBody({ title }));
      expect(res.status).to.equal(201);
      const stored = await mongoose.connection.db!.collection('campaigns').findOne({ _id: res.body.id as never });
      expect(stored?.title).to.deep.equal(title);
    });
  });

  describe('roles and scope', () => {
    it('lets only admins create, edit, open, close or issue tokens', async () => {
      const viewer = await signIn(srv, 'viewer', { faculties: [world.facultyA] });
      const leader = await signIn(srv, 'programme_leader', { programmes: [world.programmesA[0]!] });
      const id = world.campaign._id;
      for (const who of [councilA, viewer, leader]) {
        expect((await api(srv, who, 'POST', '/api/campaigns', campaignBody())).status).to.equal(403);
        expect((await api(srv, who, 'PUT', `/api/campaigns/${id}`, campaignBody())).status).to.equal(403);
        expect((await api(srv, who, 'POST', `/api/campaigns/${id}/open`)).status).to.equal(403);
        expect((await api(srv, who, 'POST', `/api/campaigns/${id}/close`)).status).to.equal(403);
        expect((await api(srv, who, 'POST', `/api/campaigns/${id}/tokens`, { count: 1 })).status).to.equal(403);
        expect((await api(srv, who, 'GET', `/api/campaigns/${id}`)).status).to.equal(200);
      }
      expect((await api(srv, undefined, 'GET', '/api/campaigns')).status).to.equal(401);
      expect((await api(srv, undefined, 'GET', `/api/campaigns/${id}/qr.png`)).status).to.equal(401);
    });

    it('hides a faculty-B campaign from a council member of faculty A: 404, and absent from lists and the plan', async () => {
      const b = await create(campaignBody({ audience: { kind: 'programme', ids: [world.programmeB] } }));
      const id = b.body.id;
      expect((await api(srv, councilA, 'GET', `/api/campaigns/${id}`)).status).to.equal(404);
      expect((await api(srv, councilA, 'GET', `/api/campaigns/${id}/qr.svg`)).status).to.equal(404);
      const listA = await api<{ items: CampaignOut[] }>(srv, councilA, 'GET', '/api/campaigns');
      expect(listA.body.items.map((c) => c.id)).to.deep.equal([world.campaign._id]);
      const planA = await api<{ rows: { faculty: { id: string } | null; count: number }[]; total: number }>(srv, councilA, 'GET', '/api/plan?year=2025-2026');
      expect(planA.body.total).to.equal(1);
      expect(planA.body.rows.map((r) => r.faculty?.id ?? 'university')).to.deep.equal([world.facultyA]);

      expect((await api(srv, councilB, 'GET', `/api/campaigns/${id}`)).status).to.equal(200);
      expect((await api(srv, councilB, 'GET', `/api/campaigns/${world.campaign._id}`)).status).to.equal(404);
      const listB = await api<{ items: CampaignOut[] }>(srv, councilB, 'GET', '/api/campaigns');
      expect(listB.body.items.map((c) => c.id)).to.deep.equal([id]);
    });

    it('shows a programme leader the campaigns of their programme only', async () => {
      const leaderB = await signIn(srv, 'programme_leader', { programmes: [world.programmeB] });
      const b = await create(campaignBody({ audience: { kind: 'programme', ids: [world.programmeB] } }));
      const list = await api<{ items: CampaignOut[] }>(srv, leaderB, 'GET', '/api/campaigns');
      expect(list.body.items.map((c) => c.id)).to.deep.equal([b.body.id]);
    });
  });

  describe('QR codes', () => {
    it('serves a PNG that decodes to the open link', async () => {
      const res = await fetch(`${srv.url}/api/campaigns/${world.campaign._id}/qr.png`, { headers: { cookie: councilA.cookie } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('image/png');
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).to.equal(`${srv.config.baseUrl}/s/${world.campaign.linkId}`);
    });

    it('serves an SVG of the same link, and a download when asked', async () => {
      const res = await fetch(`${srv.url}/api/campaigns/${world.campaign._id}/qr.svg?download=1`, { headers: { cookie: admin.cookie } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^image\/svg\+xml/);
      expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="?pikir-c[0-9a-z]{14}-qr\.svg"?$/);
      const svg = await res.text();
      expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).not.to.match(/<script/i);
      const expected = await QRCode.toString(`${srv.config.baseUrl}/s/${world.campaign.linkId}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      expect(svg).to.equal(expected);
    });

    it('is documented with its image type in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>> };
      expect(Object.keys(doc.paths['/api/campaigns/{id}/qr.png']!.get!.responses['200']!.content)).to.deep.equal(['image/png']);
      expect(Object.keys(doc.paths['/api/campaigns/{id}/qr.svg']!.get!.responses['200']!.content)).to.deep.equal(['image/svg+xml']);
    });
  });

  describe('single-use tokens', () => {
    it('returns N distinct tokens once, stores only their hashes, and each opens /t/<token>', async () => {
      const cohort = world.cohortsA[1]!;
      const res = await api<{ tokens: string[]; segment: Record<string, string>; urls: string[] }>(srv, admin, 'POST', `/api/campaigns/${world.campaign._id}/tokens`, { count: 25, segment: { cohort } });
      expect(res.status).to.equal(201);
      expect(res.headers.get('cache-control')).to.equal('no-store');
      const { tokens } = res.body;
      expect(tokens).to.have.length(25);
      expect(new Set(tokens).size).to.equal(25);
      for (const t of tokens) expect(t).to.match(/^[0-9a-hjkmnp-tv-z]{12}$/);
      expect(res.body.segment).to.deep.equal({ cohort, programme: world.programmesA[0], faculty: world.facultyA });
      expect(res.body.urls[0]).to.equal(`${srv.config.baseUrl}/t/${tokens[0]}`);

      // Nowhere in the database is a token in plain text: not in the token collections, not in the audit log.
      const db = mongoose.connection.db!;
      for (const name of ['tokens', 'unused_tokens', 'audit_log', 'campaigns']) {
        const dump = JSON.stringify(await db.collection(name).find({}).toArray());
        for (const t of tokens) expect(dump, `${name} holds a plain token`).not.to.include(t);
      }
      const stored = await db.collection('tokens').find({ campaign: world.campaign._id }).toArray();
      expect(stored.map((d) => d._id).sort()).to.deep.equal(tokens.map(tokenHash).sort());
      expect(stored[0]).to.deep.include({ kind: 'slip', segment: { cohort, programme: world.programmesA[0], faculty: world.facultyA } });
      const audit = await AuditEntry.findOne({ entityId: world.campaign._id, action: 'issue_tokens' }).lean();
      expect(audit?.after).to.deep.equal({ count: 25, segment: { cohort, programme: world.programmesA[0], faculty: world.facultyA } });

      const opened = await fetch(`${srv.url}/t/${tokens[0]}?lang=en`);
      expect(opened.status).to.equal(200);
      expect(await opened.text()).to.include('Student satisfaction 2025');
      const typed = await fetch(`${srv.url}/t/${tokens[1]!.toUpperCase().match(/.{4}/g)!.join('-')}`);
      expect(typed.status).to.equal(200);
    });

    it('rejects a count out of range and a group outside the campaign\u2019s audience', async () => {
      const url = `/api/campaigns/${world.campaign._id}/tokens`;
      expect((await api(srv, admin, 'POST', url, { count: 0 })).status).to.equal(400);
      expect((await api(srv, admin, 'POST', url, { count: 5001 })).status).to.equal(400);
      const outside = await api<ErrorOut>(srv, admin, 'POST', url, { count: 1, segment: { programme: world.programmeB } });
      expect(outside.status).to.equal(400);
      expect(outside.body.error.message).to.match(/not part of the campaign/);
      const unknown = await api<ErrorOut>(srv, admin, 'POST', url, { count: 1, segment: { cohort: 'coh_nosuchcohort000' } });
      expect(unknown.status).to.equal(400);
      expect(await mongoose.connection.db!.collection('tokens').countDocuments()).to.equal(0);
    });

    it('refuses tokens for a closed campaign', async () => {
      await api(srv, admin, 'POST', `/api/campaigns/${world.campaign._id}/close`);
      expect((await api(srv, admin, 'POST', `/api/campaigns/${world.campaign._id}/tokens`, { count: 1 })).status).to.equal(400);
    });
  });

  describe('responses and the plan', () => {
    it('reports the responses stored so far against the target', async () => {
      const def = await getPublishedDefinition('student-satisfaction', 1);
      const random = seededRandom(3);
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 4) }),
        });
        expect(r.status).to.equal(201);
      }
      await srv.services.writer.flush();
      const res = await api<CampaignOut>(srv, councilA, 'GET', `/api/campaigns/${world.campaign._id}`);
      expect(res.body.responses).to.deep.equal({ n: 3, target: 155, targetFrom: 'enrolment', rate: 3 / 155 });
      const list = await api<{ items: CampaignOut[] }>(srv, councilA, 'GET', '/api/campaigns?year=2025-2026');
      expect(list.body.items[0]?.responses.n).to.equal(3);
    });

    it('groups the plan by faculty and opening month, university-wide campaigns in a row of their own', async () => {
      const at = (day: string) => ({ opensAt: `${day}T00:00:00+05:00`, closesAt: `${day.slice(0, 8)}28T23:59:59+05:00` });
      await create(campaignBody({ ...at('2025-09-10'), audience: { kind: 'university', ids: [] } }));
      await create(campaignBody({ ...at('2025-10-01'), audience: { kind: 'faculty', ids: [world.facultyA] } }));
      await create(campaignBody({ ...at('2025-10-05'), audience: { kind: 'programme', ids: [world.programmeB] } }));
      await create(campaignBody({ ...at('2026-02-01'), audience: { kind: 'cohort', ids: [world.cohortsA[0]!] } }));
      // An Oct 1 opening at 00:00 in Almaty is Sep 30 in UTC: the plan must still put it in October.
      await create(campaignBody({ ...at('2026-03-01'), academicYear: '2026-2027' }));

      const plan = await api<{
        year: string;
        months: string[];
        total: number;
        rows: { faculty: { id: string } | null; count: number; months: { month: string; campaigns: { title: { en: string }; responses: { target: number } }[] }[] }[];
      }>(srv, admin, 'GET', '/api/plan?year=2025-2026');
      expect(plan.status).to.equal(200);
      // The world's own campaign (2025-2026) opened yesterday, whatever today is: its month joins the plan.
      const worldMonth = new Date(world.campaign.opensAt.getTime() + 5 * 3600_000).toISOString().slice(0, 7);
      const yearMonths = ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'];
      expect(plan.body.months).to.deep.equal([...new Set([...yearMonths, worldMonth])].sort());
      expect(plan.body.total).to.equal(5);
      const cells = (row: (typeof plan.body.rows)[number]) => Object.fromEntries(row.months.filter((m) => m.campaigns.length).map((m) => [m.month, m.campaigns.length]));
      const byRow = Object.fromEntries(plan.body.rows.map((r) => [r.faculty?.id ?? 'university', cells(r)]));
      const expectA: Record<string, number> = { '2025-10': 1, '2026-02': 1 };
      expectA[worldMonth] = (expectA[worldMonth] ?? 0) + 1;
      expect(byRow).to.deep.equal({ university: { '2025-09': 1 }, [world.facultyA]: expectA, [world.facultyB]: { '2025-10': 1 } });
      expect(Object.keys(byRow)[0]).to.equal('university');
    });
  });
});
