// Property: for random sequences of submissions (random groups, answers, retries and concurrency),
// the incrementally maintained aggregates equal a recompute from the raw responses.
import { expect } from 'chai';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { buildAggregates, sameAggregates } from '../../server/analytics/aggregates/recompute.js';
import { readAggregates } from '../../server/analytics/aggregates/store.js';
import { pino } from 'pino';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { entryFor } from '../../server/respond/entry.js';
import { createServices } from '../../server/services.js';
import { testConfig } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

describe('aggregates under random submission sequences', function () {
  this.timeout(120_000);
  it('always equal a recompute from the raw responses', async () => {
    const world: SurveyWorld = await buildSurveyWorld();
    const { submissions: service, writer } = createServices(testConfig({ RESPONSES_PER_MINUTE_PER_CLIENT: '100000' }), pino({ level: 'silent' }));
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const entry = await entryFor({ link: world.campaign.linkId });
    const segments = [
      { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] },
      { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[1] },
      { faculty: world.facultyA, programme: world.programmesA[1], cohort: world.cohortsA[2] },
    ];
    const step = fc.record({ segment: fc.nat(segments.length - 1), seed: fc.nat(), climate: fc.double({ min: 1, max: 5, noNaN: true }), retries: fc.nat(2), parallel: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        await mongoose.connection.db!.collection(`responses_${world.campaign._id}`).deleteMany({});
        await mongoose.connection.db!.collection('aggregates').deleteMany({});
        const submissions = steps.map((s) => {
          const submission = { answers: syntheticAnswers(def, seededRandom(s.seed), s.climate), segment: segments[s.segment]!, submissionId: randomBase32(26), client: { address: 'test' } };
          // A retried submission (same id) is sent again, sometimes in parallel with the first.
          return () => Promise.all(Array.from({ length: 1 + s.retries }, () => service.accept(entry, submission)));
        });
        const parallel = steps.flatMap((s, i) => (s.parallel ? [submissions[i]!()] : []));
        for (let i = 0; i < steps.length; i++) if (!steps[i]!.parallel) await submissions[i]!();
        await Promise.all(parallel);
        await writer.flush();
        const rebuilt = await buildAggregates(world.campaign._id, world.campaign.instrument);
        expect(rebuilt.responses).to.equal(steps.length);
        expect(sameAggregates(await readAggregates(world.campaign._id), rebuilt.aggregates)).to.equal(true);
      }),
      { numRuns: 15 },
    );
  });
});
