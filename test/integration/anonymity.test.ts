// The anonymity audit: after a batch of token submissions, dump every collection and look for anything —
// a field, a value or the order of records — that joins a response to a token or a person.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens, tokenHash, unusedKey } from '../../server/campaigns/tokens.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

async function dumpAll(): Promise<Record<string, Record<string, unknown>[]>> {
  const db = mongoose.connection.db!;
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) out[name] = (await db.collection(name).find({}).toArray()) as Record<string, unknown>[];
  return out;
}

describe('anonymity audit', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  it('stores nothing that joins a token submission to its token, its order of use, or the person', async () => {
    const world = await buildSurveyWorld();
    const segment = { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] };
    const tokens = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 20, segment);
    const before = await dumpAll();
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(11);
    const submitted: string[] = [];
    // Sequential on purpose: the order of use is known to whoever watched, and must not be stored.
    for (const token of tokens.slice(0, 15)) {
      const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 AuditBrowser', 'x-forwarded-for': '203.0.113.77' },
        body: JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', answers: syntheticAnswers(def, random, 4), token }),
      });
      expect(res.status).to.equal(201);
      submitted.push(token);
    }
    await srv.services.writer.flush();
    const after = await dumpAll();
    const responses = after[`responses_${world.campaign._id}`]!;
    expect(responses).to.have.length(15);

    // 1. A response holds only campaign, segment, day, language and answers.
    for (const r of responses) {
      expect(Object.keys(r).sort()).to.deep.equal(['_id', 'answers', 'campaign', 'day', 'lang', 'segment']);
      expect(r.day).to.match(/^\d{4}-\d{2}-\d{2}$/);
    }

    // 2. No token, token hash, address, user agent or time of day anywhere in the database.
    const everything = JSON.stringify(after);
    for (const token of tokens) expect(everything).not.to.include(token);
    const responseText = JSON.stringify(responses);
    for (const token of tokens) expect(responseText).not.to.include(tokenHash(token));
    expect(everything).not.to.include('203.0.113.77');
    expect(everything).not.to.include('127.0.0.1');
    expect(everything).not.to.include('AuditBrowser');
    expect(responseText).not.to.match(/T\d{2}:\d{2}/);

    // 3. Using a token writes nothing that records when or in which order: the issued-token records are
    //    unchanged, and the unused-token records only disappear.
    expect(after.tokens).to.deep.equal(before.tokens);
    const unusedAfter = new Set(after.unused_tokens!.map((d) => d._id));
    expect(unusedAfter.size).to.equal(5);
    for (const d of before.unused_tokens!) if (!unusedAfter.has(d._id)) expect(submitted.map(unusedKey)).to.include(d._id);
    // An unused record cannot be matched to its issued record by value.
    const issued = new Set(after.tokens!.map((d) => d._id));
    for (const d of before.unused_tokens!) expect(issued.has(d._id)).to.equal(false);

    // 4. No collection other than the responses gained records during the submissions that could be
    //    lined up with them by storage order (aggregates and the released cut are counters by _id; the
    //    state record is one flag).
    const grown = Object.keys(after).filter((name) => name !== `responses_${world.campaign._id}` && (after[name]?.length ?? 0) > (before[name]?.length ?? 0));
    expect(grown.sort()).to.satisfy((names: string[]) => names.every((n) => ['aggregates', 'aggregate_state', 'released_figures'].includes(n)));
    for (const doc of [...(after.aggregates ?? []), ...(after.released_figures ?? [])]) expect(JSON.stringify(doc)).not.to.match(/tok|usr_|token/);
  });
});
