// A scan of a campaign's responses (a recompute, the comments, the response-level export) runs while the
// respondent path keeps answering: on the embedded store the scan reads on a connection of its own, so a
// submission's insert never waits behind the batches the scan fetches (db/connection.ts, scanDatabase).
import { expect } from 'chai';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32, sha256 } from '../../server/lib/ids.js';
import { eachResponse, responsesCollection, type ResponseDoc } from '../../server/responses/store.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

const STORED = 8000;
/** Documents a scan fetches per batch (store.ts). */
const BATCH = 2000;

describe('scans of the stored responses beside the respondent path', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ RESPONSES_PER_MINUTE_PER_CLIENT: '1000000', RESPONSES_PER_MINUTE_PER_LINK: '1000000' });
  });
  after(async () => srv.close());

  it('answers submissions while a scan reads every response: many per batch the scan fetches, not one', async function () {
    this.timeout(180_000);
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(3);
    const segment = { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] };
    const collection = await responsesCollection(world.campaign._id);
    for (let i = 0; i < STORED; i += 1000) {
      await collection.insertMany(Array.from({ length: 1000 }, (): ResponseDoc => ({ _id: sha256(randomBase32(26)), campaign: world.campaign._id, segment, day: '2026-10-01', answers: syntheticAnswers(def, random, 4) })));
    }
    let scanning = true;
    const scan = (async () => {
      let n = 0;
      for await (const _ of eachResponse(world.campaign._id)) n++;
      scanning = false;
      return n;
    })();
    // One respondent after another, as long as the scan runs.
    let answered = 0;
    while (scanning) {
      const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 4) }) });
      await res.arrayBuffer();
      expect(res.status).to.equal(201);
      if (scanning) answered++;
    }
    expect(await scan).to.be.at.least(STORED);
    // Behind one shared connection each submission waited for the batch being fetched: about two per batch.
    const batches = Math.ceil(STORED / BATCH);
    expect(answered, `${answered} submissions answered during a scan of ${batches} batches`).to.be.at.least(5 * batches);
  });
});
