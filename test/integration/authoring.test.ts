// Authoring end to end through the API and the services: imports whose answers keep their meaning (the
// top of every scale stays the top in the results), the builder's check and preview, LimeSurvey through
// the API, and publishing that stops for warnings until they are confirmed.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import { convertLimeSurvey } from '../../server/instruments/limesurvey.js';
import type { Definition, Item } from '../../server/instruments/schema.js';
import { createInstrument, getPublishedDefinition, publish } from '../../server/instruments/service.js';
import { convertSurveyJs } from '../../server/instruments/surveyjs.js';
import type { StoredAnswers } from '../../server/responses/answers.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const fixture = (dir: string, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', dir, name), 'utf8');

/** A respondent who answers the top of every scale — "strongly agree", the highest rating — and the first choice of every choice. */
function topAnswers(def: Definition): StoredAnswers {
  const answers: StoredAnswers = {};
  for (const item of def.pages.flatMap((p) => p.items) as Item[]) {
    if (item.type === 'likert') answers[item.id] = 5;
    else if (item.type === 'rating') answers[item.id] = item.max;
    else if (item.type === 'nps') answers[item.id] = 10;
    else if (item.type === 'matrix') for (const row of item.rows) answers[row.id] = item.labels?.length ?? 5;
    // Choices: the first option (so that questions shown after it are asked too); every option of a multiple choice.
    else if (item.type === 'single') answers[item.id] = item.options[0]!.value;
    else if (item.type === 'multiple') answers[item.id] = item.options.map((o) => o.value);
  }
  return answers;
}

describe('authoring: imports, the builder API and publishing', () => {
  let srv: TestServer;
  let admin: string;
  before(async () => {
    srv = await startTestServer({ SUPPRESSION_K: '5', RESPONSES_PER_MINUTE_PER_CLIENT: '100000' });
  });
  // Every test starts with empty collections: the admin is made again each time.
  beforeEach(async () => {
    admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.authoring.${Date.now()}@test.pikir.kz` }));
  });
  after(async () => srv.close());

  /** Imports a definition, publishes it, has six respondents answer the top of every scale, closes, returns the results. */
  async function answeredAtTheTop(world: SurveyWorld, definition: Record<string, unknown>) {
    const id = definition.id as string;
    await createInstrument(SYSTEM_ACTOR, definition, 'surveyjs');
    await publish(SYSTEM_ACTOR, id, 1, { confirmWarnings: true });
    const def = await getPublishedDefinition(id, 1);
    const campaign = await createCampaign(
      SYSTEM_ACTOR,
      { title: { kk: 'Импорт', ru: 'Импорт', en: `Imported ${id}` }, instrument: { id, version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] }, academicYear: '2025-2026', opensAt: new Date(Date.now() - 86_400_000), closesAt: new Date(Date.now() + 86_400_000), ...(def.audience === 'student' ? {} : { targetSize: 20 }), openLinkEnabled: true, openLinkCap: 0 },
      'open',
    );
    const segment = { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: world.cohortsA[0]! };
    await srv.services.submissions.storeAccepted(campaign, def, Array.from({ length: 6 }, () => ({ answers: topAnswers(def), segment, day: '2026-10-01' })));
    await srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, campaign._id, 'closed');
    const res = await call(srv.url, 'GET', `/api/campaigns/${campaign._id}/results`, { cookie: admin });
    expect(res.status).to.equal(200);
    return { def, results: res.json as { items: { id: string; figures: Record<string, { kind: string; agree?: { p: number }; mean?: { mean: number }; distribution?: Record<string, number>; max?: number; n: number }> }[] } };
  }

  for (const [label, make] of [
    ['SurveyJS: a reversed agreement matrix', () => convertSurveyJs(JSON.parse(fixture('surveyjs', 'reversed-agreement.json')), { id: 'imp-reversed', audience: 'student' }).definition],
    ['SurveyJS: ratings 0–3, 1–4, 1–5 and 1–10 in a Russian file', () => convertSurveyJs(JSON.parse(fixture('surveyjs', 'russian-ratings.json')), { id: 'imp-ratings', audience: 'student' }).definition],
    ['LimeSurvey 3.x: a reversed array with "cannot say", a 5-point choice', () => convertLimeSurvey(fixture('limesurvey', 'teaching-ls3.lss'), { id: 'imp-ls3', audience: 'student' }).definition],
    ['LimeSurvey 6.x: 5- and 10-point arrays', () => convertLimeSurvey(fixture('limesurvey', 'employers-ls6.lss'), { id: 'imp-ls6', audience: 'employer' }).definition],
  ] as const) {
    it(`${label}: answering the top of each scale gives 100 % agree, or the top rating, in the results`, async () => {
      const world = await buildSurveyWorld();
      const { def, results } = await answeredAtTheTop(world, make());
      const scored = results.items.filter((i) => ['scale', 'rating'].includes(i.figures.university?.kind ?? ''));
      const expected = def.pages.flatMap((p) => p.items).reduce((n, i) => n + (i.type === 'matrix' ? i.rows.length : ['likert', 'rating'].includes(i.type) ? 1 : 0), 0);
      // Items hidden by conditions the top answers do not meet have no figures; every other scored item has.
      expect(scored.length).to.be.greaterThan(0);
      expect(scored.length).to.be.at.most(expected);
      for (const item of scored) {
        const f = item.figures.university!;
        expect(f.n, item.id).to.equal(6);
        if (f.kind === 'scale') {
          expect(f.agree!.p, item.id).to.equal(1);
          expect(f.mean!.mean, item.id).to.equal(5);
        } else {
          expect(f.mean!.mean, item.id).to.equal(f.max);
          expect(f.distribution![String(f.max)], item.id).to.equal(1);
        }
      }
    });
  }

  it('imports a LimeSurvey file through the API, with the report; a file that is not one answers 400', async () => {
    const ok = await call(srv.url, 'POST', '/api/instruments/import/limesurvey', { cookie: admin, body: { xml: fixture('limesurvey', 'teaching-ls3.lss'), id: 'api-ls3', audience: 'student' } });
    expect(ok.status, JSON.stringify(ok.json)).to.equal(201);
    const body = ok.json as { version: { source: string; status: string }; unmapped: { kind: string }[] };
    expect(body.version).to.include({ source: 'limesurvey', status: 'draft' });
    expect(body.unmapped.map((u) => u.kind)).to.include('scale_reversed');
    const bad = await call(srv.url, 'POST', '/api/instruments/import/limesurvey', { cookie: admin, body: { xml: '<document/>', id: 'api-ls-bad', audience: 'student' } });
    expect(bad.status).to.equal(400);
    expect((bad.json as { error: { code: string } }).error.code).to.equal('invalid_limesurvey');
  });

  it('answers an imagepicker-only SurveyJS file with 422 nothing_to_import, and an unclear scale with 422 and the scales to decide', async () => {
    const images = await call(srv.url, 'POST', '/api/instruments/import/surveyjs', { cookie: admin, body: { json: fixture('surveyjs', 'imagepicker-only.json'), id: 'api-images', audience: 'student' } });
    expect(images.status).to.equal(422);
    expect((images.json as { error: { code: string; message: string } }).error).to.include({ code: 'nothing_to_import' });
    const unclear = await call(srv.url, 'POST', '/api/instruments/import/surveyjs', { cookie: admin, body: { json: fixture('surveyjs', 'unclear-direction.json'), id: 'api-unclear', audience: 'student' } });
    expect(unclear.status).to.equal(422);
    const details = (unclear.json as { error: { details: { at: string }[] } }).error.details;
    const told = await call(srv.url, 'POST', '/api/instruments/import/surveyjs', { cookie: admin, body: { json: fixture('surveyjs', 'unclear-direction.json'), id: 'api-unclear', audience: 'student', directions: { [details[0]!.at]: 'ascending' } } });
    expect(told.status).to.equal(201);
  });

  it('checks a definition being built: problems by path in the page language, and warnings', async () => {
    const definition = JSON.parse(fixture('surveyjs', 'personal-data.json')) as unknown;
    const converted = convertSurveyJs(definition, { id: 'check-me', audience: 'student' }).definition;
    (converted.pages as { items: { text: { kk: string } }[] }[])[0]!.items[0]!.text.kk = '';
    const res = await call(srv.url, 'POST', '/api/instruments/check?lang=ru', { cookie: admin, body: { definition: converted } });
    expect(res.status).to.equal(200);
    const body = res.json as { problems: { path: string; text: string }[]; warnings: { kind: string; owner?: string }[] };
    expect(body.problems).to.deep.include({ path: 'pages[0].items[0].text.kk', message: 'missing', text: 'не заполнено' });
    expect(body.warnings.filter((w) => w.kind === 'personal_data').map((w) => w.owner)).to.deep.equal(['email', 'phone']);
    expect(body.warnings.some((w) => w.kind === 'untranslated')).to.equal(true);
    const viewer = sessionCookie(srv.config, await createUser({ role: 'viewer', email: `viewer.check.${Date.now()}@test.pikir.kz` }));
    expect((await call(srv.url, 'POST', '/api/instruments/check', { cookie: viewer, body: { definition: converted } })).status).to.equal(403);
  });

  it('renders the live preview of an unfinished definition with the respondent templates', async () => {
    const definition = {
      title: { kk: 'Т', ru: 'Т', en: 'Preview test' },
      pages: [{ title: { kk: '', ru: '', en: 'First page' }, items: [{ id: 'r', type: 'rating', min: 0, max: 3, text: { kk: '', ru: '', en: 'How often?' }, lowLabel: { kk: '', ru: '', en: 'Never' } }, { id: 'broken', type: 'likert' }] }],
    };
    const res = await fetch(`${srv.url}/api/instruments/preview`, { method: 'POST', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify({ definition, lang: 'en' }) });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const html = await res.text();
    expect(html).to.include('How often?');
    for (const n of [0, 1, 2, 3]) expect(html).to.include(`id="f-r-${n}"`);
    expect(html).to.include('0 — Never');
    expect(html).to.match(/Question “broken” cannot be shown yet/);
  });

  it('stops publishing a draft with untranslated copies or personal data until the warnings are confirmed', async () => {
    const { definition } = convertSurveyJs(JSON.parse(fixture('surveyjs', 'personal-data.json')), { id: 'warn-me', audience: 'student' });
    await createInstrument(SYSTEM_ACTOR, definition, 'surveyjs');
    const refused = await call(srv.url, 'POST', '/api/instruments/warn-me/v/1/publish', { cookie: admin });
    expect(refused.status).to.equal(409);
    const error = (refused.json as { error: { code: string; details: { kind: string }[] } }).error;
    expect(error.code).to.equal('publish_warnings');
    expect(new Set(error.details.map((d) => d.kind))).to.deep.equal(new Set(['personal_data', 'untranslated']));
    expect((await call(srv.url, 'GET', '/api/instruments/warn-me/v/1', { cookie: admin })).json).to.have.nested.property('version.status', 'draft');
    const confirmed = await call(srv.url, 'POST', '/api/instruments/warn-me/v/1/publish?confirmWarnings=true', { cookie: admin });
    expect(confirmed.status).to.equal(200);
  });
});
