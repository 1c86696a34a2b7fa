// The analytics service as a whole: figures computed once per state and shared by every viewer, reads
// that write nothing, caches that follow closing, and a respondent-level refresh that recovers from a
// failure instead of freezing.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { AggregateWriter } from '../../server/analytics/aggregates/writer.js';
import { computeRespondentLevel } from '../../server/analytics/respondent-level.js';
import { Analytics } from '../../server/analytics/service.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { startTestServer, testConfig, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

describe('the analytics service', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SUPPRESSION_K: '5' });
  });
  after(async () => srv.close());

  async function store(world: SurveyWorld, count: number, seed: number) {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(seed);
    const [c1, , c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];
    await srv.services.submissions.storeAccepted(
      world.campaign,
      def,
      Array.from({ length: count }, (_, i) => ({ answers: syntheticAnswers(def, random, 3.5), segment: i % 2 ? { faculty: world.facultyA, programme: pA1, cohort: c1 } : { faculty: world.facultyA, programme: pA2, cohort: c3 }, lang: 'kk' as const, day: '2026-10-01' })),
    );
    await srv.services.writer.flush();
  }

  it('computes a campaign state once, whatever the number of viewers and requests, and again after new figures are released', async () => {
    const world = await buildSurveyWorld();
    await store(world, 20, 1);
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.once.${Date.now()}@test.pikir.kz` }));
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyA], email: `council.once.${Date.now()}@test.pikir.kz` }));
    const before = srv.services.analytics.figureComputations;
    for (const cookie of [admin, council, admin, council]) {
      expect((await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results`, { cookie })).status).to.equal(200);
      expect((await call(srv.url, 'GET', `/results/${world.campaign._id}`, { cookie })).status).to.equal(200);
    }
    expect(srv.services.analytics.figureComputations - before, 'one computation for 8 requests of two scopes').to.equal(1);

    await store(world, 10, 2);
    const res = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results`, { cookie: admin });
    expect((res.json as { units: { key: string; n: number | null }[] }).units.find((u) => u.key === 'university')?.n).to.equal(30);
    expect(srv.services.analytics.figureComputations - before).to.equal(2);
  });

  it('writes nothing to the database while serving results, scales, trends and dashboards', async () => {
    const world = await buildSurveyWorld();
    await store(world, 12, 3);
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.readonly.${Date.now()}@test.pikir.kz` }));
    const writes: string[] = [];
    const WRITES = /^(insert|update|replace|delete|bulkWrite|findOneAndUpdate|findOneAndReplace|findOneAndDelete|create)/;
    mongoose.set('debug', (collection: string, method: string) => {
      if (WRITES.test(method) && collection !== 'users') writes.push(`${collection}.${method}`);
    });
    try {
      for (const path of ['results', 'scales', 'trends']) expect((await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/${path}`, { cookie: admin })).status).to.equal(200);
      expect((await call(srv.url, 'GET', `/results/${world.campaign._id}`, { cookie: admin })).status).to.equal(200);
      expect((await call(srv.url, 'GET', `/results/${world.campaign._id}/items`, { cookie: admin })).status).to.equal(200);
    } finally {
      mongoose.set('debug', false);
    }
    expect(writes).to.deep.equal([]);
  });

  it('serves the final scales, alpha and indices right after closing, not the last open step', async () => {
    const world = await buildSurveyWorld();
    await store(world, 12, 4);
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.close.${Date.now()}@test.pikir.kz` }));
    type Scales = { scales: { id: string; basedOn: number | null; index: { n: number } | null }[] };
    const scales = async () => (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/scales`, { cookie: admin })).json as Scales;
    expect((await scales()).scales.find((s) => s.index)?.basedOn).to.equal(12);
    // Three more: while open the respondent-level figures move in steps of k, so they stay at 12.
    await store(world, 3, 5);
    expect((await scales()).scales.find((s) => s.index)?.basedOn).to.equal(12);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    expect((await scales()).scales.find((s) => s.index)?.basedOn).to.equal(15);
    const results = (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results`, { cookie: admin })).json as { final: boolean; units: { key: string; n: number | null }[] };
    expect(results.final).to.equal(true);
    expect(results.units.find((u) => u.key === 'university')?.n).to.equal(15);
  });

  it('recovers from a failed respondent-level computation instead of freezing, and reports the failure', async () => {
    const world = await buildSurveyWorld();
    await store(world, 6, 6);
    const logged: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    let fail = true;
    const analytics = new Analytics({
      config: testConfig({ SUPPRESSION_K: '5' }),
      logger,
      writer: new AggregateWriter(),
      computeRespondentLevel: async (campaign) => {
        if (fail) throw new Error('the database went away');
        return computeRespondentLevel(campaign);
      },
    });
    let error: unknown;
    await analytics.scalesAndComments(SYSTEM_ACTOR, world.campaign._id).catch((err: unknown) => (error = err));
    expect(String(error)).to.include('the database went away');
    expect(logged.length).to.equal(1);
    fail = false;
    const scales = await analytics.scalesAndComments(SYSTEM_ACTOR, world.campaign._id);
    expect(scales.scales.some((s) => s.index !== null)).to.equal(true);
  });
});
