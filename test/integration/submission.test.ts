import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens } from '../../server/campaigns/tokens.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { readAggregates } from '../../server/analytics/aggregates/store.js';
import { responsesCollection } from '../../server/responses/store.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

async function submit(srv: TestServer, world: SurveyWorld, body: Record<string, unknown>) {
  const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; message: string } } };
}

describe('the submission path', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  before(async () => {
    srv = await startTestServer({ RESPONSES_PER_MINUTE_PER_CLIENT: '100000' });
  });
  after(async () => srv.close());
  beforeEach(async () => {
    world = await buildSurveyWorld();
  });

  async function validAnswers(seed = 1) {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    return syntheticAnswers(def, seededRandom(seed), 4);
  }
  const segment = (w: SurveyWorld) => ({ programme: w.programmesA[0], cohort: w.cohortsA[0] });

  it('stores a valid response and counts it in the aggregates', async () => {
    const r = await submit(srv, world, { submissionId: randomBase32(26), segment: segment(world), answers: await validAnswers() });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body.status).to.equal('stored');
    await srv.services.writer.flush();
    const agg = await readAggregates(world.campaign._id);
    expect(agg.university.all?.n).to.equal(1);
    expect(agg.faculty[world.facultyA]?.n).to.equal(1);
    expect(agg.programme[world.programmesA[0]!]?.n).to.equal(1);
  });

  it('never stores a retried submission twice', async () => {
    const body = { submissionId: randomBase32(26), segment: segment(world), answers: await validAnswers() };
    const results = await Promise.all(Array.from({ length: 5 }, () => submit(srv, world, body)));
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 200, 201]);
    expect(await (await responsesCollection(world.campaign._id)).countDocuments()).to.equal(1);
  });

  it('redeems a token exactly once when 20 requests race with it', async () => {
    const [token] = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {});
    const answers = await validAnswers();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => submit(srv, world, { submissionId: randomBase32(26), segment: segment(world), answers, token })),
    );
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error?.code === 'already_answered')).to.equal(true);
    expect(results.filter((r) => r.status === 409)).to.have.length(19);
    expect(await (await responsesCollection(world.campaign._id)).countDocuments()).to.equal(1);
  });

  it('counts every one of 200 parallel submissions to one segment, and the aggregates equal a recompute', async () => {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(7);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => submit(srv, world, { submissionId: randomBase32(26), segment: segment(world), answers: syntheticAnswers(def, random, 3.5) })),
    );
    expect(results.every((r) => r.status === 201)).to.equal(true);
    await srv.services.writer.flush();
    expect((await readAggregates(world.campaign._id)).cohort[world.cohortsA[0]!]?.n).to.equal(200);
    const report = await srv.services.analytics.recompute(world.campaign._id);
    expect(report.responses).to.equal(200);
    expect(report.matched).to.equal(true);
  });

  it('rejects malformed and hostile submissions with 4xx and stores nothing', async () => {
    const good = { submissionId: randomBase32(26), segment: segment(world), answers: await validAnswers() };
    const bad: unknown[] = [
      { ...good, answers: { teach_explain: { $gt: '' } } },
      { ...good, submissionId: { $gt: '' } },
      { ...good, lang: 'de' },
      { ...good, segment: { programme: world.programmeB } },
      { ...good, segment: { programme: { $ne: null } } },
      { ...good, answers: { ...good.answers, teach_explain: 9 } },
      { ...good, answers: { ...good.answers, __proto__: { polluted: true } }, extra: 1 },
      { ...good, answers: { ...good.answers, improve: 'x'.repeat(6000) } },
      { ...good, answers: {} },
      { ...good, answers: { ...good.answers, no_such_item: 3 } },
      { ...good, answers: { ...good.answers, $where: 'sleep(1000)' } },
      'not an object',
      [],
    ];
    for (const body of bad) {
      const r = await submit(srv, world, body as Record<string, unknown>);
      expect(r.status, `case ${bad.indexOf(body)}: ${JSON.stringify(body).slice(0, 80)}`).to.be.within(400, 499);
      expect(r.body.error?.message).to.be.a('string').with.length.greaterThan(0);
    }
    expect(await (await responsesCollection(world.campaign._id)).countDocuments()).to.equal(0);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('refuses submissions before a campaign opens and after it closes', async () => {
    const future = await buildSurveyWorldLater();
    const r = await submit(srv, future, { submissionId: randomBase32(26), segment: segment(future), answers: await validAnswers() });
    expect(r.status).to.equal(409);
    expect(r.body.error?.code).to.equal('campaign_not_open');
  });

  async function buildSurveyWorldLater(): Promise<SurveyWorld> {
    await mongoose.connection.db!.dropDatabase();
    return buildSurveyWorld({ opensAt: new Date(Date.now() + 86_400_000), closesAt: new Date(Date.now() + 5 * 86_400_000) });
  }
});
