// Faults under load: the database killed and restarted, the server killed and restarted. Every
// acknowledged response is stored exactly once, the aggregates equal a recompute, clients see a
// retryable 503 while the database is down, and the server recovers without a restart of its own.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { responseIdFor } from '../../server/responses/store.js';
import { responsesCollection } from '../../server/responses/store.js';
import { buildAggregates, sameAggregates } from '../../server/analytics/aggregates/recompute.js';
import { readAggregates } from '../../server/analytics/aggregates/store.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';
import { KillableDatabase, startLoad, startServer, useDatabase, type LoadResult } from './support.js';

/** Enough acknowledged responses for a phase of the load to count as under way (a few hundred ms here). */
const PHASE = 200;

async function acknowledgedAtLeast(load: { result: LoadResult }, n: number, what: string): Promise<void> {
  await waitFor(() => `${n} acknowledged responses ${what} (got ${load.result.acknowledged.size}; statuses ${JSON.stringify([...load.result.statuses])})`, () => load.result.acknowledged.size >= n, { timeout: 30_000 });
}

async function expectExactlyOnce(world: SurveyWorld, load: LoadResult): Promise<number> {
  const stored = await (await responsesCollection(world.campaign._id)).find({}, { projection: { _id: 1 } }).toArray();
  const ids = new Set(stored.map((d) => d._id));
  expect(ids.size, 'duplicate _ids').to.equal(stored.length);
  const missing = [...load.acknowledged].filter((id) => !ids.has(responseIdFor(id)));
  expect(missing, 'acknowledged but not stored').to.deep.equal([]);
  return stored.length;
}

async function expectAggregatesMatch(world: SurveyWorld): Promise<void> {
  const rebuilt = await buildAggregates(world.campaign._id, world.campaign.instrument);
  expect(sameAggregates(await readAggregates(world.campaign._id), rebuilt.aggregates), 'aggregates differ from a recompute').to.equal(true);
}

describe('faults under load', function () {
  const segment = () => ({ programme: world.programmesA[0], cohort: world.cohortsA[0] });
  let db: KillableDatabase;
  let world: SurveyWorld;
  let answers: () => Record<string, unknown>;

  beforeEach(async () => {
    db = new KillableDatabase();
    await db.start();
    await useDatabase(db.uri);
    world = await buildSurveyWorld({ audience: 'faculty' });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(3);
    answers = () => ({ ...syntheticAnswers(def, random, 4) });
    await mongoose.disconnect(); // only the server process writes during the load
  });
  afterEach(async () => {
    await mongoose.disconnect();
    await db.server.stop().catch(() => undefined);
  });

  it('survives the database being killed and restarted during a submission load', async () => {
    const server = await startServer(db.uri);
    const load = startLoad(server.url, world.campaign.linkId, () => ({ ...answers() }), 8, segment());
    await acknowledgedAtLeast(load, PHASE, 'before the database is killed');
    await db.kill();
    await waitFor('/readyz to answer 503 while the database is down', async () => (await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5_000) })).status === 503, { timeout: 15_000, interval: 100 });
    await waitFor('a submission to get a retryable 503 while the database is down', () => (load.result.statuses.get(503) ?? 0) > 0, { timeout: 15_000 });
    await db.start();
    await acknowledgedAtLeast(load, load.result.acknowledged.size + PHASE, 'after the database came back');
    const result = await load.stop();
    expect((await fetch(`${server.url}/readyz`)).status, 'server reconnected by itself').to.equal(200);
    expect(result.retryAfterMissing).to.equal(0);
    expect([...result.statuses.keys()].filter((s) => s >= 500 && s !== 503)).to.deep.equal([]);
    // A graceful stop writes the last aggregate increments before the process exits.
    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    await useDatabase(db.uri);
    const stored = await expectExactlyOnce(world, result);
    expect(stored).to.be.greaterThan(50);
    await expectAggregatesMatch(world);
  });

  it('survives the server being killed (SIGKILL) during a load and started again', async () => {
    const first = await startServer(db.uri);
    const port = Number(new URL(first.url).port);
    const load = startLoad(first.url, world.campaign.linkId, () => ({ ...answers() }), 8, segment());
    await acknowledgedAtLeast(load, PHASE, 'before the server is killed');
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startServer(db.uri, port); // repairs dirty aggregates at start-up
    await acknowledgedAtLeast(load, load.result.acknowledged.size + PHASE, 'by the restarted server');
    const result = await load.stop();
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
    await useDatabase(db.uri);
    const stored = await expectExactlyOnce(world, result);
    expect(stored).to.be.greaterThan(50);
    await expectAggregatesMatch(world);
  });
});
