// The analytics service as a whole: figures computed once per state and shared by every viewer, reads
// that write nothing, caches that follow closing, and a respondent-level refresh that recovers from a
// failure instead of freezing.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { AggregateWriter } from '../../server/analytics/aggregates/writer.js';
import { computeRespondentLevel } from '../../server/analytics/comments.js';
import { Campaign } from '../../server/campaigns/model.js';
import { forgetCampaign } from '../../server/campaigns/service.js';
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
      Array.from({ length: count }, (_, i) => ({ answers: syntheticAnswers(def, random, 3.5), segment: i % 2 ? { faculty: world.facultyA, programme: pA1, cohort: c1 } : { faculty: world.facultyA, programme: pA2, cohort: c3 }, day: '2026-10-01' })),
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

  it('keeps a live count and its responses per day adding up, before and after the increments are written', async () => {
    const world = await buildSurveyWorld();
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(9);
    const segment = { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: world.cohortsA[0]! };
    const put = (day: string, count: number) => srv.services.submissions.storeAccepted(world.campaign, def, Array.from({ length: count }, () => ({ answers: syntheticAnswers(def, random, 3.5), segment, day })));
    const sum = (days: Record<string, number>) => Object.values(days).reduce((a, b) => a + b, 0);
    await put('2026-10-01', 4);
    await put('2026-10-02', 3);
    // Stored, not yet written to the aggregates (the flush waits half a second): the days still add up to n.
    let live = await srv.services.analytics.liveCount(world.campaign._id);
    expect(live.n).to.equal(7);
    expect(live.days).to.deep.equal({ '2026-10-01': 4, '2026-10-02': 3 });
    await srv.services.writer.flush();
    live = await srv.services.analytics.liveCount(world.campaign._id);
    expect(live.days).to.deep.equal({ '2026-10-01': 4, '2026-10-02': 3 });
    await put('2026-10-02', 2);
    live = await srv.services.analytics.liveCount(world.campaign._id);
    expect([live.n, sum(live.days), live.days['2026-10-02']]).to.deep.equal([9, 9, 5]);
    await srv.services.writer.flush();
    live = await srv.services.analytics.liveCount(world.campaign._id);
    expect([live.n, sum(live.days)]).to.deep.equal([9, 9]);
  });

  it('writes nothing to the database while serving results, scales, trends and dashboards', async () => {
    const world = await buildSurveyWorld();
    await store(world, 12, 3);
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.readonly.${Date.now()}@test.pikir.kz` }));
    // The write path's own later work (marking the campaign's aggregates clean after 2 s idle) happens now, not during the reads.
    await srv.services.writer.settle();
    const writes: string[] = [];
    const WRITES = /^(insert|update|replace|delete|bulkWrite|findOneAndUpdate|findOneAndReplace|findOneAndDelete|create)/;
    // Only writes about this campaign count: other tests' writers in this process may still mark their own campaigns clean.
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      if (WRITES.test(method) && collection !== 'users' && JSON.stringify(args).includes(world.campaign._id)) writes.push(`${collection}.${method}`);
    });
    try {
      for (const path of ['results', 'scales', 'trends']) expect((await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/${path}`, { cookie: admin })).status).to.equal(200);
      expect((await call(srv.url, 'GET', `/results/${world.campaign._id}`, { cookie: admin })).status).to.equal(200);
    } finally {
      mongoose.set('debug', false);
    }
    expect(writes).to.deep.equal([]);
  });

  type Scales = { scales: { id: string; reason?: string; index: { n: number; mean: number } | null; alpha: { n: number } | null }[]; commentsReason?: string };
  type Results = { final: boolean; held: number; units: { key: string; n: number | null; late?: number; reason?: string }[]; items: { id: string; figures: Record<string, { kind: string; n?: number; reason?: string }> }[] };

  it('counts only while open: group counts move, figures wait, and right after closing every scale, alpha and index is final', async () => {
    const world = await buildSurveyWorld();
    await Campaign.updateOne({ _id: world.campaign._id }, { $set: { liveResults: 'counts' } });
    forgetCampaign(world.campaign._id);
    await store(world, 12, 4);
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.counts.${Date.now()}@test.pikir.kz` }));
    const get = async <T>(path: string) => (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/${path}`, { cookie: admin })).json as T;
    let results = await get<Results>('results');
    expect(results.units.find((u) => u.key === 'university')?.n).to.equal(12);
    expect(results.items.every((i) => i.figures.university?.kind === 'suppressed' && i.figures.university.reason === 'counts-only')).to.equal(true);
    expect((await get<Scales>('scales')).scales.every((sc) => sc.index === null && sc.reason === 'counts-only')).to.equal(true);
    await store(world, 3, 5);
    expect((await get<Results>('results')).units.find((u) => u.key === 'university')?.n).to.equal(15);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const scales = await get<Scales>('scales');
    expect(scales.scales.find((sc) => sc.index)?.index?.n).to.equal(15);
    expect(scales.scales.some((sc) => sc.alpha && sc.alpha.n > 0)).to.equal(true);
    results = await get<Results>('results');
    expect(results.final).to.equal(true);
    expect(results.units.find((u) => u.key === 'university')?.late).to.equal(undefined);
    expect(results.items.find((i) => i.id === 'teach_engage')?.figures.university).to.include({ kind: 'scale', n: 15 });
  });

  it('live figures move in cuts of at least k per group; after closing, late responses too few to show apart stay out, and say so', async () => {
    const world = await buildSurveyWorld();
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.live.${Date.now()}@test.pikir.kz` }));
    const get = async <T>(path: string) => (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/${path}`, { cookie: admin })).json as T;
    await store(world, 12, 6); // 6 in each of two cohorts: both enter the first cut
    let results = await get<Results>('results');
    expect(results.units.find((u) => u.key === 'university')?.n).to.equal(12);
    expect(results.held).to.equal(0);
    await store(world, 3, 7); // 1 and 2 more: held
    results = await get<Results>('results');
    expect(results.units.find((u) => u.key === 'university')?.n).to.equal(12);
    expect(results.held).to.equal(3);
    expect((await get<Scales>('scales')).scales.find((sc) => sc.index)?.index?.n).to.equal(12);
    expect((await get<Scales>('scales')).commentsReason).to.equal('open');
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    results = await get<Results>('results');
    expect(results.final).to.equal(true);
    const university = results.units.find((u) => u.key === 'university')!;
    expect(university.n).to.equal(12);
    expect(university.late).to.equal(3);
    expect((await get<Scales>('scales')).scales.find((sc) => sc.index)?.index?.n).to.equal(12);
  });

  it('recovers from a failed read of the comments instead of freezing, and reports the failure', async () => {
    const world = await buildSurveyWorld();
    await store(world, 6, 6);
    const logged: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    let fail = true;
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed'); // comments are read once closed
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
    expect(scales.comments.length + scales.scales.length).to.be.greaterThan(0);
  });
});
