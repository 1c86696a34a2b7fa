// bench:analytics — dashboard data read time and full recompute time at 10k and 100k responses of a
// demo instrument, against a raw driver scan of the same responses (the ceiling), and peak memory.
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { pino } from 'pino';
import { advanceRelease } from '../../server/analytics/releases.js';
import { createServices } from '../../server/services.js';
import { testConfig } from '../support/server.js';
import { responsesCollection, type ResponseDoc } from '../../server/responses/store.js';
import { randomBase32, sha256 } from '../../server/lib/ids.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { buildBenchWorld, startBenchDatabase } from './setup.js';

export interface AnalyticsFigures {
  size: number;
  /** A dashboard read right after the figures changed: the whole tree is computed and gated. */
  readMs: number;
  readP95Ms: number;
  /** A further read of the same state (every other viewer, push and reload): served from the cache. */
  cachedReadMs: number;
  scanMs: number;
  recomputeMs: number;
  recomputeToScan: number;
  recomputePeakRssMb: number;
}

async function fill(campaign: string, segment: ResponseDoc['segment'], size: number, instrumentId: string): Promise<void> {
  const def = await getPublishedDefinition(instrumentId, 1);
  const random = seededRandom(size);
  const collection = await responsesCollection(campaign);
  for (let done = 0; done < size; done += 1000) {
    const batch: ResponseDoc[] = Array.from({ length: Math.min(1000, size - done) }, () => ({ _id: sha256(randomBase32(26)), campaign, segment, day: '2026-11-20', answers: syntheticAnswers(def, random, 3 + random() * 2) }));
    await collection.insertMany(batch, { ordered: false });
  }
}

export async function benchAnalytics(sizes = [10_000, 100_000]): Promise<AnalyticsFigures[]> {
  const db = await startBenchDatabase();
  const out: AnalyticsFigures[] = [];
  try {
    for (const size of sizes) {
      const world = await buildBenchWorld(db, { id: 'student-satisfaction', version: 1 });
      const segment = { faculty: world.faculty, programme: world.programme, cohort: world.cohort };
      process.stdout.write(`  filling ${size} responses… `);
      const t0 = Date.now();
      await fill(world.campaign._id, segment, size, 'student-satisfaction');
      console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);

      // Ceiling: a raw driver scan that decodes every response.
      const s0 = performance.now();
      let scanned = 0;
      for await (const _ of (await responsesCollection(world.campaign._id)).find({}, { batchSize: 2000 })) scanned++;
      const scanMs = performance.now() - s0;

      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const r0 = performance.now();
      const config = testConfig();
      const services = createServices(config, pino({ level: 'silent' }));
      const report = await services.analytics.recompute(world.campaign._id);
      const recomputeMs = performance.now() - r0;
      clearInterval(sampler);
      if (report.responses !== scanned) throw new Error(`recompute saw ${report.responses}, scan ${scanned}`);
      await advanceRelease(world.campaign, 5);

      // Cold: a fresh set of services per read, so nothing is cached (the first read after a change).
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const { analytics } = createServices(config, pino({ level: 'silent' }));
        const q0 = performance.now();
        await analytics.resultsFor(SYSTEM_ACTOR, world.campaign);
        times.push(performance.now() - q0);
      }
      const steady = times.slice(10).sort((a, b) => a - b);
      const cached: number[] = [];
      for (let i = 0; i < 60; i++) {
        const q0 = performance.now();
        await services.analytics.resultsFor(SYSTEM_ACTOR, world.campaign);
        cached.push(performance.now() - q0);
      }
      const warm = cached.slice(10);
      out.push({
        size,
        readMs: round(steady.reduce((s, x) => s + x, 0) / steady.length),
        readP95Ms: round(steady[Math.floor(steady.length * 0.95)]!),
        cachedReadMs: round(warm.reduce((s, x) => s + x, 0) / warm.length),
        scanMs: round(scanMs),
        recomputeMs: round(recomputeMs),
        recomputeToScan: round(recomputeMs / scanMs, 2),
        recomputePeakRssMb: Math.round(peak / 1024 / 1024),
      });
      await mongoose.connection.db!.collection(`responses_${world.campaign._id}`).drop();
    }
  } finally {
    await mongoose.disconnect();
    await db.stop();
  }
  return out;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
