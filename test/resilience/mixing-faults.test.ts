// kill -9 during the response mix: the server and the database are both killed at chosen moments of a
// mix — while responses are spread over temporary buckets, as the next generation is created, while the
// shuffled copy is written, just after the pointer switched — under a submission load that retries like a
// respondent. After each restart every acknowledged response is stored exactly once, in one generation.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { buildAggregates, sameAggregates } from '../../server/analytics/aggregates/recompute.js';
import { readAggregates } from '../../server/analytics/aggregates/store.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { IN_MEMORY_DOCS } from '../../server/responses/mix.js';
import { responseIdFor, responsesCollection } from '../../server/responses/store.js';
import { createServices } from '../../server/services.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { testConfig } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { KillableDatabase, startLoad, startServer, useDatabase, type ServerChild } from './support.js';

const ENV = { RESPONSE_MIX_SECONDS: '1' };

describe('kill -9 during the response mix', function () {
  let db: KillableDatabase;
  let world: SurveyWorld;
  let watch: mongoose.Connection;
  /** The server of the moment, killed after the test whatever happened. */
  let server: ServerChild | undefined;

  beforeEach(async () => {
    db = new KillableDatabase();
    await db.start();
    await useDatabase(db.uri);
    world = await buildSurveyWorld({ audience: 'faculty' });
    // More responses than are shuffled in memory, so a mix goes through buckets; stored through the real
    // write path (aggregates included) by a process that does not mix.
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(9);
    const services = createServices(testConfig(), pino({ level: 'silent' }));
    const segment = { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] };
    const n = IN_MEMORY_DOCS + 500;
    for (let i = 0; i < n; i += 500) await services.submissions.storeAccepted(world.campaign, def, Array.from({ length: Math.min(500, n - i) }, () => ({ answers: syntheticAnswers(def, random, 4), segment, day: '2026-10-01' })));
    await services.writer.settle();
    await mongoose.disconnect();
    watch = mongoose.createConnection(db.uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 2_000 });
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await watch.close().catch(() => undefined);
    await mongoose.disconnect();
    await db.server.stop().catch(() => undefined);
  });

  /** What the watching connection sees now; a database that is down shows nothing. */
  async function look(): Promise<{ names: string[]; gen: number } | undefined> {
    try {
      const names = (await watch.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`responses_${world.campaign._id}`));
      const pointer = await watch.db!.collection<{ _id: string; gen: number }>('response_stores').findOne({ _id: world.campaign._id });
      return { names, gen: pointer?.gen ?? 0 };
    } catch {
      return undefined;
    }
  }

  it('keeps every acknowledged response exactly once, whenever the server and the database die together', async function () {
    // Four kills and restarts of both processes, each waiting for a mix of 4,500+ responses to reach its moment
    // (each moment lasts seconds; a mix rests as long as it works, and a loaded machine is slower still).
    this.timeout(900_000);
    server = await startServer(db.uri, undefined, ENV);
    const port = Number(new URL(server.url).port);
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(4);
    const load = startLoad(server.url, world.campaign.linkId, () => ({ ...syntheticAnswers(def, random, 4) }), 3, { programme: world.programmesA[0], cohort: world.cohortsA[0] });
    const campaign = world.campaign._id;
    let gen = 0;
    let mostBuckets = 0;
    const buckets = (s: { names: string[] }) => s.names.filter((n) => /_b[\d-]+$/.test(n)).length;
    const moments: [string, (seen: { names: string[]; gen: number }) => boolean][] = [
      ['while responses are spread over buckets', (s) => buckets(s) > 0],
      ['as the next generation is created', (s) => s.names.includes(`responses_${campaign}_${s.gen + 1}`)],
      // Buckets are dropped one by one as each is shuffled into the next generation.
      ['while the shuffled copy is written', (s) => (mostBuckets = Math.max(mostBuckets, buckets(s))) > buckets(s) && buckets(s) > 0],
      ['just after the pointer switched', (s) => s.gen > gen],
    ];
    for (const [moment, now] of moments) {
      gen = (await look())?.gen ?? gen;
      await waitFor(`a mix to reach the moment "${moment}"`, async () => {
        const seen = await look();
        return seen !== undefined && now(seen);
      }, { timeout: 180_000, interval: 50 });
      process.kill(server.child.pid!, 'SIGKILL');
      process.kill(db.server.pid, 'SIGKILL');
      await Promise.all([server.exited, db.server.exited]);
      const before = load.result.acknowledged.size;
      await db.start();
      server = await startServer(db.uri, port, ENV); // recovers: drops the generation the pointer does not name
      await waitFor(() => `50 more acknowledged responses after the kill ${moment}`, () => load.result.acknowledged.size >= before + 50, { timeout: 60_000 });
    }
    const result = await load.stop();
    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);

    await useDatabase(db.uri);
    const stored = await (await responsesCollection(campaign)).find({}, { projection: { _id: 1 } }).toArray();
    const ids = new Set(stored.map((d) => d._id));
    expect(ids.size, 'duplicate _ids').to.equal(stored.length);
    const missing = [...result.acknowledged].filter((id) => !ids.has(responseIdFor(id)));
    expect(missing, 'acknowledged but not stored').to.deep.equal([]);
    expect(stored.length).to.be.at.least(IN_MEMORY_DOCS + 500 + 200);
    console.log(`      ${result.acknowledged.size} acknowledged over four kills, ${stored.length} stored (with ${IN_MEMORY_DOCS + 500} from before)`);
    // One generation: nothing of an interrupted mix is left to be counted twice.
    const names = (await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`responses_${campaign}`));
    expect(names).to.have.length(1);
    const rebuilt = await buildAggregates(campaign, world.campaign.instrument);
    expect(sameAggregates(await readAggregates(campaign), rebuilt.aggregates), 'aggregates differ from a recompute').to.equal(true);
  });
});
