// Issue 22, point 5: a lecture hall (or a campus) reaches us through one NAT address. With the default
// limits, 400 phones from one address — each with its own cookie, as every browser has — scan the QR code at
// the end of a lecture and answer the whole survey through the pages; none may be refused, and all must be
// done within two minutes. At the same time a script floods the same open link from the same address
// without cookies, and must still be slowed. The server is the compiled one, in its own process, as users
// run it; the phones and the script are this process.
import { expect } from 'chai';
import http from 'node:http';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responsesCollection } from '../../server/responses/store.js';
import { clearCollections, connectTestDatabase } from '../support/database.js';
import { percentile, Phone, phoneAgent, type PhoneRun } from '../support/phone.js';
import { startCompiledServer, type RunningServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const PHONES = 400;
/** The phones arrive over this long (the QR code on the last slide), and read each page for up to THINK_MS. */
const ARRIVALS_MS = 20_000;
const THINK_MS = 300;
const FLOOD = 600;
const FLOOD_CONCURRENCY = 8;

function postJson(url: URL, body: string): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: phoneAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a lecture hall behind one address (default limits)', function () {
  let srv: RunningServer;
  let world: SurveyWorld;

  before(async () => {
    await connectTestDatabase();
    await clearCollections();
    world = await buildSurveyWorld();
    // Default flood limits: nothing here is raised for the test.
    srv = await startCompiledServer();
  });
  after(async () => {
    await srv?.close();
  });

  it('lets 400 phones with their own cookies answer within two minutes, none refused, while a cookieless flood of the link is slowed', async function () {
    // Room to report the figures (and fail on them) when a busy machine makes the hall slower than two minutes.
    this.timeout(360_000);
    const random = seededRandom(22);
    const started = Date.now();
    const hall: Promise<PhoneRun>[] = Array.from({ length: PHONES }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i / PHONES) * ARRIVALS_MS));
      return new Phone(srv.url, random, {}, THINK_MS).answer(`/s/${world.campaign.linkId}`);
    });

    // The script: the same link, the same address, no cookies, as fast as it can, while the hall answers.
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const answers = JSON.stringify(syntheticAnswers(def, seededRandom(9), 3));
    const link = new URL(`/api/respond/${world.campaign.linkId}`, srv.url);
    const flood = { stored: 0, refused: 0, other: 0, ms: 0 };
    const floodStarted = Date.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: FLOOD_CONCURRENCY }, async () => {
        while (sent < FLOOD) {
          sent++;
          const body = `{"submissionId":"${randomBase32(26)}","lang":"kk","segment":{"programme":"${world.programmesA[0]}","cohort":"${world.cohortsA[0]}"},"answers":${answers}}`;
          const res = await postJson(link, body);
          if (res.status === 201) flood.stored++;
          else if (res.status === 429 && Number(res.retryAfter) > 0) flood.refused++;
          else flood.other++;
        }
      }),
    );
    flood.ms = Date.now() - floodStarted;

    const runs = await Promise.all(hall);
    const wall = Date.now() - started;
    const completed = runs.filter((r) => r.completed).length;
    const refused = runs.reduce((s, r) => s + r.refused, 0);
    const durations = runs.map((r) => r.ms);
    const latencies = runs.flatMap((r) => r.latencies);
    const figures = {
      phones: PHONES,
      completed,
      refused,
      wallSeconds: +(wall / 1000).toFixed(1),
      phoneP50s: +(percentile(durations, 50) / 1000).toFixed(2),
      phoneP95s: +(percentile(durations, 95) / 1000).toFixed(2),
      requests: latencies.length,
      requestP95ms: Math.round(percentile(latencies, 95)),
      flood: { sent: FLOOD, stored: flood.stored, refused: flood.refused, other: flood.other, seconds: +(flood.ms / 1000).toFixed(1) },
    };
    console.log(`      lecture hall: ${JSON.stringify(figures)}`);

    const failures = runs.filter((r) => !r.completed).map((r) => r.failure);
    expect(failures.slice(0, 3), 'phones that did not finish').to.deep.equal([]);
    expect(completed).to.equal(PHONES);
    expect(refused).to.equal(0);
    expect(wall).to.be.below(120_000);
    // The script was slowed: at most RESPONSES_PER_MINUTE_PER_CLIENT (300) stored per minute it ran.
    expect(flood.other).to.equal(0);
    const windows = Math.floor(flood.ms / 60_000) + 1;
    expect(flood.stored).to.be.at.most(300 * windows);
    expect(flood.refused).to.be.at.least(FLOOD - 300 * windows);
    expect(flood.refused).to.be.above(0);
    expect(await (await responsesCollection(world.campaign._id)).countDocuments()).to.equal(PHONES + flood.stored);
  });
});
