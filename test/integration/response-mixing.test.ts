// The response mix (server/responses/mix.ts) in this process, against the test database: storage order
// stops following submission order, and while a mix runs every response stays stored exactly once —
// retries are still recognised, scans begun before the switch finish, start-up cleans up after a crash.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { buildAggregates, sameAggregates } from '../../server/analytics/aggregates/recompute.js';
import { readAggregates } from '../../server/analytics/aggregates/store.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { generationName, writerState } from '../../server/responses/generations.js';
import { mixCampaign } from '../../server/responses/mix.js';
import { ResponseMixer } from '../../server/responses/mixer.js';
import { eachResponse, responseIdFor, responsesCollection } from '../../server/responses/store.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';

/** P(|ρ| ≥ 0.6) for 40 responses in a uniformly random order is about 2·10⁻⁴; in submission order ρ = 1. */
const RHO_BOUND = 0.6;

function spearman(a: number[], b: number[]): number {
  const rank = (v: number[]) => {
    const r: number[] = [];
    v.map((x, i) => [x, i] as const)
      .sort((p, q) => p[0] - q[0])
      .forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const [ra, rb] = [rank(a), rank(b)];
  const n = a.length;
  return 1 - (6 * ra.reduce((s, x, i) => s + (x - rb[i]!) ** 2, 0)) / (n * (n * n - 1));
}

describe('mixing the stored responses', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  const segment = () => ({ faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] });
  before(async () => {
    // Many submissions from one client while a mix runs: the flood guard would otherwise step in.
    srv = await startTestServer({ RESPONSES_PER_MINUTE_PER_CLIENT: '1000000', RESPONSES_PER_MINUTE_PER_LINK: '1000000' });
  });
  after(async () => srv.close());
  beforeEach(async () => {
    world = await buildSurveyWorld();
  });

  async function fill(n: number): Promise<void> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(n);
    for (let i = 0; i < n; i += 500) await srv.services.submissions.storeAccepted(world.campaign, def, Array.from({ length: Math.min(500, n - i) }, () => ({ answers: syntheticAnswers(def, random, 4), segment: segment(), day: '2026-10-01' })));
  }

  async function post(submissionId: string): Promise<number> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId, lang: 'kk', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, seededRandom(submissionId.charCodeAt(0)), 4) }) });
    await res.arrayBuffer();
    return res.status;
  }

  const storedOrder = async () => ((await (await responsesCollection(world.campaign._id)).find({}).toArray()) as { _id: string }[]).map((d) => d._id);

  it('drops the language that responses stored by earlier versions kept, and keeps everything else', async () => {
    await fill(20);
    const current = await responsesCollection(world.campaign._id);
    // As an earlier version stored them: the same documents with the language answered in.
    const legacy = (await current.find({}).toArray()).slice(0, 8);
    for (const [i, doc] of legacy.entries()) await current.updateOne({ _id: doc._id }, { $set: { lang: ['kk', 'ru', 'en'][i % 3] } as never });
    expect(await current.countDocuments({ lang: mongoose.trusted({ $exists: true }) as never })).to.equal(8);
    const before = new Map((await current.find({}).toArray()).map((d) => [d._id, JSON.stringify({ ...d, lang: undefined })]));
    await mixCampaign(world.campaign._id);
    const after = await (await responsesCollection(world.campaign._id)).find({}).toArray();
    expect(after.filter((d) => 'lang' in d), 'a language left after the mix').to.deep.equal([]);
    expect(new Map(after.map((d) => [d._id, JSON.stringify({ ...d, lang: undefined })]))).to.deep.equal(before);
  });

  it('rewrites a campaign in random order while submissions and retries go on, storing each exactly once', async function () {
    // A mix rests as long as it works (mix.ts): 2,500 responses take about 20 s here, more on a loaded machine.
    this.timeout(120_000);
    await fill(2500);
    const sequential = Array.from({ length: 40 }, () => randomBase32(26));
    for (const id of sequential) expect(await post(id)).to.equal(201);
    const positions = (order: string[]) => sequential.map((id) => order.indexOf(responseIdFor(id)));
    // Control: before the mix the storage order is the order of submission.
    expect(spearman(sequential.map((_, i) => i), positions(await storedOrder()))).to.be.above(0.99);

    const acknowledged = new Set(sequential);
    let running = true;
    let storedDuringMix = 0;
    const statuses: number[] = [];
    const workers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; running || i < 5; i++) {
        // Every third request repeats an acknowledged submission: it must stay a duplicate at every step.
        const retry = i % 3 === 2;
        const id = retry ? [...acknowledged][(i * 7 + w) % acknowledged.size]! : randomBase32(26);
        const status = await post(id);
        statuses.push(status);
        if (retry) expect(status, 'a retry during the mix').to.equal(200);
        else if (status === 201) {
          acknowledged.add(id);
          if (running) storedDuringMix++;
        }
      }
    });
    const report = await mixCampaign(world.campaign._id);
    running = false;
    await Promise.all(workers);
    expect(report.responses).to.be.at.least(2540);
    expect(storedDuringMix, 'responses stored while the mix ran').to.be.above(3);
    expect(statuses.filter((s) => s !== 200 && s !== 201)).to.deep.equal([]);

    expect((await writerState(world.campaign._id)).gen).to.equal(1);
    const names = (await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`responses_${world.campaign._id}`));
    expect(names).to.deep.equal([generationName(world.campaign._id, 1)]);
    const order = await storedOrder();
    expect(new Set(order).size, 'duplicates').to.equal(order.length);
    const stored = new Set(order);
    expect([...acknowledged].filter((id) => !stored.has(responseIdFor(id))), 'acknowledged but not stored').to.deep.equal([]);
    expect(Math.abs(spearman(sequential.map((_, i) => i), positions(order)))).to.be.below(RHO_BOUND);
    for (const id of sequential.slice(0, 5)) expect(await post(id), 'a retry after the mix').to.equal(200);
    await srv.services.writer.flush();
    const rebuilt = await buildAggregates(world.campaign._id, world.campaign.instrument);
    expect(sameAggregates(await readAggregates(world.campaign._id), rebuilt.aggregates), 'aggregates agree with a recompute').to.equal(true);
  });

  it('lets a scan begun before the switch finish on the old generation, and drops it after', async function () {
    this.timeout(120_000);
    await fill(2600);
    const scan = eachResponse(world.campaign._id)[Symbol.asyncIterator]();
    let scanned = (await scan.next()).done ? 0 : 1;
    const mixing = mixCampaign(world.campaign._id);
    await waitFor('the switch to the next generation', async () => (await writerState(world.campaign._id)).gen === 1, { timeout: 100_000 });
    const names = async () => (await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(await names()).to.include(generationName(world.campaign._id, 0));
    for (let r = await scan.next(); !r.done; r = await scan.next()) scanned++;
    expect(scanned).to.equal(2600);
    await mixing;
    expect(await names()).to.not.include(generationName(world.campaign._id, 0));
  });

  it('marks a campaign before its first response is stored, and at start-up drops what a crash left and mixes it', async function () {
    this.timeout(60_000);
    const mixer = new ResponseMixer({ config: { responseMixSeconds: 1 } });
    const db = mongoose.connection.db!;
    try {
      expect(await mixer.start(true)).to.equal(true);
      expect(await post(randomBase32(26))).to.equal(201);
      // Durable before the "thank you": a crash now still leaves the campaign due for a mix.
      expect(await db.collection('response_stores').findOne({ _id: world.campaign._id as never })).to.include({ unmixed: true });
      await waitFor('the schedule to mix the campaign', () => mixer.reports.some((r) => r.campaign === world.campaign._id), { timeout: 40_000 });
      expect(await db.collection('response_stores').findOne({ _id: world.campaign._id as never })).to.include({ gen: 1, unmixed: false });
      await mixer.stop();

      // What a kill -9 in the middle of the next mix leaves: the next generation and a bucket, half filled.
      await db.collection(generationName(world.campaign._id, 2)).insertOne({ _id: 'half' as never });
      await db.collection(`${generationName(world.campaign._id, 2)}_b0`).insertOne({ _id: 'bucket' as never });
      const restarted = new ResponseMixer({ config: { responseMixSeconds: 1 } });
      await restarted.recover();
      const left = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`responses_${world.campaign._id}`));
      expect(left).to.deep.equal([generationName(world.campaign._id, 1)]);
      expect(await (await responsesCollection(world.campaign._id)).countDocuments()).to.equal(1);
    } finally {
      await mixer.stop();
    }
  });
});
