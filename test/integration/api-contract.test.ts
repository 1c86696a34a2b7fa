// Regressions of what Schemathesis found against the OpenAPI document (issue 14, item 12): each answer
// here is compared with the statuses the document lists for its operation, on the real server and database.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign, type CampaignInput } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { call, createUser, sessionCookie, type Answer } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const DAY = 86_400_000;

describe('the API keeps its documented contract', () => {
  let srv: TestServer;
  let doc: Doc;
  let world: SurveyWorld;
  let admin: string;

  before(async () => {
    srv = await startTestServer();
    doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as Doc;
  });
  after(async () => srv.close());
  beforeEach(async () => {
    world = await buildSurveyWorld();
    admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
  });

  /** The answer's status is one the document lists for the operation (exactly, or as 4XX/5XX). */
  function expectDocumented(res: Answer, method: string, path: string): void {
    const responses = doc.paths[path]?.[method.toLowerCase()]?.responses;
    expect(responses, `${method} ${path} is documented`).to.not.equal(undefined);
    const listed = Object.keys(responses!);
    const ok = listed.includes(String(res.status)) || listed.includes(`${String(res.status)[0]}XX`);
    expect(ok, `${method} ${path} answered ${res.status}; the document lists ${listed.join(', ')}: ${res.text.slice(0, 200)}`).to.equal(true);
  }

  /** Another campaign like the world's, with changes. */
  const campaignLike = (changes: Partial<CampaignInput>) => {
    const c = world.campaign;
    return createCampaign(SYSTEM_ACTOR, { title: c.title, instrument: c.instrument, audience: c.audience, academicYear: c.academicYear, opensAt: c.opensAt, closesAt: c.closesAt, ...(c.targetSize ? { targetSize: c.targetSize } : {}), openLinkEnabled: true, openLinkCap: 0, ...changes }, 'open');
  };
  const closedCampaign = () => campaignLike({ opensAt: new Date(Date.now() - 20 * DAY), closesAt: new Date(Date.now() - 10 * DAY) });

  describe('invitations of a campaign that never had contacts', () => {
    const templates = {
      kk: { subject: 'Сауалнама', body: 'Сілтеме: {{link}}' },
      ru: { subject: 'Опрос', body: 'Ссылка: {{link}}' },
      en: { subject: 'Survey', body: 'Link: {{link}}' },
    };

    it('saves templates, then reads the invitations and deletes the (absent) contacts without a server error', async () => {
      const c = await closedCampaign();
      const saved = await call(srv.url, 'PUT', `/api/campaigns/${c._id}/invitations/templates`, { cookie: admin, body: { templates, maxReminders: 1, reminderDays: 5 } });
      expect(saved.status, saved.text).to.equal(200);
      expect((saved.json as { counts: { contacts: number } }).counts.contacts).to.equal(0);
      for (let i = 0; i < 2; i++) {
        const read = await call(srv.url, 'GET', `/api/campaigns/${c._id}/invitations`, { cookie: admin });
        expect(read.status, read.text).to.equal(200);
        expect((read.json as { templates: { en: { body: string } }; maxReminders: number }).templates.en.body).to.equal('Link: {{link}}');
        const deleted = await call(srv.url, 'DELETE', `/api/campaigns/${c._id}/contacts`, { cookie: admin });
        expect(deleted.status, deleted.text).to.equal(200);
        expect((deleted.json as { contacts: number }).contacts).to.equal(0);
      }
    });

    it('reads a mailing stored without a contact list (as the templates upsert left them) with its defaults', async () => {
      await mongoose.connection.db!.collection('invitation_mailings').insertOne({ _id: world.campaign._id as never, templates, maxReminders: 1, reminderDays: 5, updatedAt: new Date() });
      const read = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/invitations`, { cookie: admin });
      expect(read.status, read.text).to.equal(200);
      expect(read.json).to.deep.include({ contactsDeleted: false, maxReminders: 1, reminderDays: 5 });
      const deleted = await call(srv.url, 'DELETE', `/api/campaigns/${world.campaign._id}/contacts`, { cookie: admin });
      expect(deleted.status, deleted.text).to.equal(409);
      expect((deleted.json as { error: { code: string } }).error.code).to.equal('campaign_not_closed');
    });
  });

  it('answers results and scales of an open campaign after one of its programmes was archived', async () => {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(14);
    for (let i = 0; i < 12; i++) {
      const res = await call(srv.url, 'POST', `/api/respond/${world.campaign.linkId}`, { body: { submissionId: randomBase32(26), lang: 'en', segment: { programme: world.programmesA[i % 2], cohort: i % 2 ? world.cohortsA[2] : world.cohortsA[0] }, answers: syntheticAnswers(def, random, 4) } });
      expect(res.status, res.text).to.equal(201);
    }
    const archived = await call(srv.url, 'POST', `/api/programmes/${world.programmesA[1]}/archive`, { cookie: admin });
    expect(archived.status, archived.text).to.equal(200);
    for (const what of ['results', 'scales']) {
      const res = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/${what}?unit=university`, { cookie: admin });
      expect(res.status, `${what}: ${res.text.slice(0, 300)}`).to.equal(200);
    }
    const results = (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results`, { cookie: admin })).json as { units: { key: string }[] };
    // The archived programme's cohort goes with its programme.
    expect(results.units.map((u) => u.key)).not.to.include(`cohort~${world.cohortsA[2]}`);
    expect(results.units.map((u) => u.key)).to.include(`cohort~${world.cohortsA[0]}`);
  });

  describe('every success status an operation sends is documented', () => {
    it('contacts import: 201 imported, 200 for a dry run', async () => {
      const c = await campaignLike({ instrument: { id: 'employer-satisfaction', version: 1 }, audience: { kind: 'contacts', ids: [] }, targetSize: 40 });
      const csv = 'name,organisation,email,language,programme\nAigerim,Kaspi,aigerim@example.kz,kk,6B06101';
      const path = '/api/campaigns/{id}/contacts/import';
      const dry = await call(srv.url, 'POST', `/api/campaigns/${c._id}/contacts/import?dryRun=true`, { cookie: admin, body: { csv } });
      expect(dry.status, dry.text).to.equal(200);
      expectDocumented(dry, 'POST', path);
      const real = await call(srv.url, 'POST', `/api/campaigns/${c._id}/contacts/import`, { cookie: admin, body: { csv } });
      expect(real.status, real.text).to.equal(201);
      expectDocumented(real, 'POST', path);
    });

    it('roster import: 201 imported, 200 for a dry run; the schedule answers the summary', async () => {
      const csv = 'email,cohort\nstudent@student.kz,6B06101/2024';
      const path = '/api/campaigns/{id}/roster/import';
      const dry = await call(srv.url, 'POST', `/api/campaigns/${world.campaign._id}/roster/import?dryRun=true&language=ru`, { cookie: admin, body: { csv } });
      expect(dry.status, dry.text).to.equal(200);
      expectDocumented(dry, 'POST', path);
      const real = await call(srv.url, 'POST', `/api/campaigns/${world.campaign._id}/roster/import`, { cookie: admin, body: { csv } });
      expect(real.status, real.text).to.equal(201);
      expectDocumented(real, 'POST', path);
      const schedule = await call(srv.url, 'PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, { cookie: admin, body: { steps: [{ from: 'close', days: 2 }], maxReminders: 1 } });
      expect(schedule.status, schedule.text).to.equal(200);
      expectDocumented(schedule, 'PUT', '/api/campaigns/{id}/invitations/schedule');
    });

    it('structure import: 200 for a check, 201 imported', async () => {
      const csv = 'code,name_kk,name_ru,name_en\nECO,Экономика,Экономика,Economics';
      const check = await call(srv.url, 'POST', '/api/org/import/faculties', { cookie: admin, body: { csv } });
      expect(check.status, check.text).to.equal(200);
      expectDocumented(check, 'POST', '/api/org/import/{kind}');
      const commit = await call(srv.url, 'POST', '/api/org/import/faculties', { cookie: admin, body: { csv, commit: true } });
      expect(commit.status, commit.text).to.equal(201);
      expectDocumented(commit, 'POST', '/api/org/import/{kind}');
    });

    it('submission: 201 stored, 200 for the same submission again', async () => {
      const def = await getPublishedDefinition('student-satisfaction', 1);
      const body = { submissionId: randomBase32(26), segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, seededRandom(3), 4) };
      const first = await call(srv.url, 'POST', `/api/respond/${world.campaign.linkId}`, { body });
      const again = await call(srv.url, 'POST', `/api/respond/${world.campaign.linkId}`, { body });
      expect([first.status, again.status]).to.deep.equal([201, 200]);
      expect(again.json).to.deep.equal({ status: 'duplicate' });
      expectDocumented(first, 'POST', '/api/respond/{link}');
      expectDocumented(again, 'POST', '/api/respond/{link}');
    });
  });

  describe('campaign bodies are strict JSON with ISO 8601 dates', () => {
    const valid = () => ({
      title: { kk: 'Сауалнама', ru: 'Опрос', en: 'Survey' },
      instrument: { id: 'student-satisfaction', version: 1 },
      audience: { kind: 'faculty', ids: [world.facultyA] },
      academicYear: '2025-2026',
      opensAt: '2025-10-01T00:00:00+05:00',
      closesAt: '2025-10-31T23:59:59+05:00',
    });

    it('creates a campaign from dates with a timezone, read as the instants they name', async () => {
      const res = await call(srv.url, 'POST', '/api/campaigns', { cookie: admin, body: valid() });
      expect(res.status, res.text).to.equal(201);
      expect(res.json).to.deep.include({ opensAt: '2025-09-30T19:00:00.000Z', closesAt: '2025-10-31T18:59:59.000Z', openLinkCap: 0 });
    });

    for (const [what, change, field] of [
      ['null and true as dates', { opensAt: null, closesAt: true }, 'opensAt'],
      ['a number as a date', { opensAt: 0 }, 'opensAt'],
      ['a date without a timezone', { opensAt: '2025-10-01T00:00:00' }, 'opensAt'],
      ['a day without a time', { closesAt: '2025-10-31' }, 'closesAt'],
      ['a date that does not exist', { closesAt: '2025-02-30T00:00:00Z' }, 'closesAt'],
      ['null as the open-link cap', { openLinkCap: null }, 'openLinkCap'],
      ['a string as the open-link cap', { openLinkCap: '12' }, 'openLinkCap'],
      ['a string as the target size', { targetSize: '100' }, 'targetSize'],
      ['a string as the instrument version', { instrument: { id: 'student-satisfaction', version: '1' } }, 'instrument.version'],
      ['an academic year whose years do not follow', { academicYear: '2025-2030' }, 'academicYear'],
    ] as const) {
      it(`refuses ${what} with 400 naming ${field}, and stores nothing`, async () => {
        const res = await call(srv.url, 'POST', '/api/campaigns', { cookie: admin, body: { ...valid(), ...change } });
        expect(res.status, res.text).to.equal(400);
        const details = (res.json as { error: { details: { path: string }[] } }).error.details;
        expect(details.map((d) => d.path)).to.include(field);
        expect(await mongoose.connection.db!.collection('campaigns').countDocuments({ _id: { $ne: world.campaign._id } } as never)).to.equal(0);
      });
    }

    it('states those rules in the document: date-time with a timezone, integers, the academic years', () => {
      const body = doc.paths['/api/campaigns']!.post!.requestBody!.content['application/json']!.schema as { properties: Record<string, Record<string, unknown>> };
      expect(body.properties.opensAt).to.include({ type: 'string', format: 'date-time' });
      expect(body.properties.openLinkCap).to.include({ type: 'integer' });
      expect(body.properties.academicYear).to.deep.equal({ $ref: '#/components/schemas/AcademicYear' });
      const years = doc.components.schemas.AcademicYear!.enum as string[];
      expect(years).to.include('2025-2026');
      expect(years).not.to.include('2025-2030');
    });
  });

  describe('a body the document requires is required', () => {
    for (const [method, path] of [
      ['PATCH', '/api/faculties/:id'],
      ['PATCH', '/api/account'],
      ['PUT', '/api/campaigns/:id'],
      ['POST', '/api/campaigns'],
    ] as const) {
      it(`${method} ${path} without a body answers 400 and changes nothing`, async () => {
        const concrete = path.replace(':id', path.startsWith('/api/faculties') ? world.facultyA : world.campaign._id);
        const res = await call(srv.url, method, concrete, { cookie: admin });
        expect(res.status, res.text).to.equal(400);
        expect((res.json as { error: { message: string } }).error.message).to.match(/body is missing/);
        const openapiPath = path.replace(':id', '{id}');
        expect(doc.paths[openapiPath]![method.toLowerCase()]!.requestBody).to.deep.include({ required: true });
      });
    }

    it('an empty JSON object is still a valid change of nothing for a PATCH', async () => {
      const res = await call(srv.url, 'PATCH', `/api/faculties/${world.facultyA}`, { cookie: admin, body: {} });
      expect(res.status, res.text).to.equal(200);
    });
  });

  describe('rules the server applies are stated in the document', () => {
    const bodyOf = (path: string, method = 'post') => doc.paths[path]![method]!.requestBody!.content['application/json']!.schema as { properties: Record<string, Record<string, unknown>>; required?: string[] };

    it('a user email: format and pattern; an address the pattern refuses is refused', async () => {
      expect(bodyOf('/api/users').properties.email).to.include({ type: 'string', format: 'email' });
      const res = await call(srv.url, 'POST', '/api/users', { cookie: admin, body: { email: 'not an email', name: 'X', role: 'viewer', faculties: [world.facultyA] } });
      expect(res.status).to.equal(400);
      const upper = await call(srv.url, 'POST', '/api/users', { cookie: admin, body: { email: 'Mixed.Case@Example.KZ', name: 'X', role: 'viewer', faculties: [world.facultyA] } });
      expect(upper.status, upper.text).to.equal(201);
      expect((upper.json as { user: { email: string } }).user.email).to.equal('mixed.case@example.kz');
    });

    it('a programme code: the classifier pattern, any case; a cohort year and size are JSON integers', async () => {
      const code = bodyOf('/api/programmes').properties.code!;
      expect(new RegExp(code.pattern as string).test('6b06199')).to.equal(true);
      expect(new RegExp(code.pattern as string).test('6X06199')).to.equal(false);
      const dep = (await call(srv.url, 'GET', '/api/departments', { cookie: admin })).json as { items: { id: string; faculty: string }[] };
      const d = dep.items.find((x) => x.faculty === world.facultyA)!;
      const ok = await call(srv.url, 'POST', '/api/programmes', { cookie: admin, body: { code: '6b06199', name: { kk: 'Ж', ru: 'Ж', en: 'J' }, level: 'bachelor', faculty: world.facultyA, department: d.id } });
      expect(ok.status, ok.text).to.equal(201);
      expect((ok.json as { code: string }).code).to.equal('6B06199');
      expect(bodyOf('/api/cohorts').properties.entryYear).to.include({ type: 'integer', minimum: 1990, maximum: 2100 });
      const text = await call(srv.url, 'POST', '/api/cohorts', { cookie: admin, body: { programme: world.programmesA[0], entryYear: '2025', size: 10, label: '2025' } });
      expect(text.status, text.text).to.equal(400);
    });

    it('an instrument definition is the definition schema (with the recursive showIf condition), not any object', () => {
      const body = bodyOf('/api/instruments');
      expect(body.required).to.include.members(['id', 'title', 'pages']);
      expect(body.properties.pages).to.include({ type: 'array' });
      expect(JSON.stringify(doc.paths['/api/instruments']!.post!.requestBody)).to.include('#/components/schemas/Condition');
      expect(bodyOf('/api/instruments/{id}/v/{version}', 'put').required ?? []).not.to.include('id');
    });
  });
});
