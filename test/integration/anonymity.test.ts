// The anonymity audit: after a batch of token submissions, dump every collection and look for anything —
// a field, a value or the order of records — that joins a response to a token or a person; and for
// students invited from a roster and reminded on a schedule, anything that tells who answered.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { invitationToken, issueSlipTokens, tokenHash, unusedKey } from '../../server/campaigns/tokens.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { unsubscribeIdOf } from '../../server/invitations/keys.js';
import { InvitationWorker } from '../../server/invitations/sender.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { shuffle } from '../../server/lib/shuffle.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { startInbox, tokenIn, type Inbox } from '../support/smtp.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';
import { blindRequest, fetchKey, type Credential } from '../support/blind-client.js';
import { dumpAll, stringsOf, type Dump } from '../support/collections.js';

/** Documents of `after` that `before` did not hold (by collection, compared as JSON). */
function added(before: Dump, after: Dump): Dump {
  const out: Dump = {};
  for (const [name, docs] of Object.entries(after)) {
    const had = new Set((before[name] ?? []).map((d) => JSON.stringify(d)));
    const fresh = docs.filter((d) => !had.has(JSON.stringify(d)));
    if (fresh.length) out[name] = fresh;
  }
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

    // 1. A response holds only campaign, segment, day and answers (not the language it was answered in).
    for (const r of responses) {
      expect(Object.keys(r).sort()).to.deep.equal(['_id', 'answers', 'campaign', 'day', 'segment']);
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

  it('keeps the response-level export apart from tokens, order and day: the same answers in any order give the same file, and exporting writes nothing', async () => {
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const segment = { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] };
    const c = world.campaign;
    const twin = await createCampaign(SYSTEM_ACTOR, { title: { kk: 'Егіз', ru: 'Близнец', en: 'Twin' }, instrument: c.instrument, audience: c.audience, academicYear: c.academicYear, opensAt: c.opensAt, closesAt: c.closesAt, openLinkEnabled: true, openLinkCap: 0, liveResults: 'counts' }, 'open');
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(29);
    const answers = Array.from({ length: 12 }, () => syntheticAnswers(def, random, 3.5));
    // The same twelve answers, by token, in one order into one campaign and in the reverse order into its twin.
    const tokens: string[] = [];
    for (const [campaign, order] of [[world.campaign, answers], [twin, [...answers].reverse()]] as const) {
      const issued = await issueSlipTokens(SYSTEM_ACTOR, campaign._id, order.length, segment);
      tokens.push(...issued);
      for (const [i, a] of order.entries()) {
        const res = await fetch(`${srv.url}/api/respond/${campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: i % 2 ? 'ru' : 'kk', answers: a, token: issued[i] }) });
        expect(res.status).to.equal(201);
      }
    }
    await srv.services.writer.flush();
    for (const c of [world.campaign, twin]) await setCampaignStatus(SYSTEM_ACTOR, c._id, 'closed');
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const before = await dumpAll();
    const files: string[] = [];
    for (const c of [world.campaign, twin]) {
      const res = await fetch(`${srv.url}/api/campaigns/${c._id}/responses.csv?lang=en`, { headers: { cookie: admin } });
      expect(res.status).to.equal(200);
      files.push(await res.text());
    }
    // Nothing in the file says which response came first, which token, day or language it had.
    expect(files[0]).to.equal(files[1]);
    expect(files[0]!.split('\r\n').filter(Boolean)).to.have.length(13);
    for (const token of tokens) {
      expect(files[0]).not.to.include(token);
      expect(files[0]).not.to.include(tokenHash(token));
    }
    expect(files[0]).not.to.match(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}|\b(kk|ru)\b/);
    // Exporting is a read: the database is as it was (aggregate_state aside: the write path marks the
    // aggregates clean a few seconds after its last flush, whenever that falls).
    const { aggregate_state: _before, ...rest } = before;
    const { aggregate_state: _after, ...now } = await dumpAll();
    void _before;
    void _after;
    expect(now).to.deep.equal(rest);
  });

  it('with blind credentials, stores nothing at issuance that shares a field, a value or a time of day with what is stored at submission', async () => {
    const world = await buildSurveyWorld({ instrument: 'integrity', blindCredentials: true });
    const link = world.campaign.linkId;
    const tokens = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 20, {});
    const { spki } = await fetchKey(srv.url, link);
    // The writer's own timers (an earlier test's campaign marked clean later) must not write during the audit.
    await srv.services.writer.settle();
    const before = await dumpAll();
    const headers = { 'user-agent': 'Mozilla/5.0 AuditBrowser', 'x-forwarded-for': '203.0.113.77' };
    // Issuance, one at a time in a known order…
    const sent: { token: string; blinded: string; blindSignature: string; credential: Credential }[] = [];
    for (const token of tokens.slice(0, 15)) {
      const request = await blindRequest(spki);
      const res = await fetch(`${srv.url}/api/respond/${link}/credential`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token, blindedMessage: request.blinded }) });
      expect(res.status).to.equal(201);
      const { blindSignature } = (await res.json()) as { blindSignature: string };
      sent.push({ token, blinded: request.blinded, blindSignature, credential: await request.finalize(blindSignature) });
    }
    const issued = await dumpAll();
    // …then the answers, in the same order (the worst case for order: see the raw-bytes audit for the mix).
    const def = await getPublishedDefinition('integrity', 1);
    const random = seededRandom(12);
    for (const s of sent) {
      const res = await fetch(`${srv.url}/api/respond/${link}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ submissionId: randomBase32(26), lang: 'ru', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 3.5), credential: s.credential }),
      });
      expect(res.status, await res.text()).to.equal(201);
    }
    await srv.services.writer.flush();
    const after = await dumpAll();

    // What issuance wrote: the issuance records (token hash, blinded-message hash) and nothing else — not
    // even a deletion: the unused-token records are as printed. What submission wrote: responses and counters.
    const atIssuance = added(before, issued);
    const atSubmission = added(issued, after);
    expect(Object.keys(atIssuance)).to.deep.equal([`credential_issues_${world.campaign._id}`]);
    expect(atIssuance[`credential_issues_${world.campaign._id}`]).to.have.length(15);
    for (const d of atIssuance[`credential_issues_${world.campaign._id}`]!) expect(Object.keys(d).sort()).to.deep.equal(['_id', 'blinded']);
    expect(issued.unused_tokens).to.deep.equal(before.unused_tokens);
    expect(Object.keys(added(issued, before)), 'nothing removed at issuance').to.deep.equal([]);
    expect(Object.keys(atSubmission).sort()).to.satisfy((names: string[]) => names.every((n) => [`responses_${world.campaign._id}`, 'aggregates', 'aggregate_state', 'released_figures'].includes(n)));
    const responses = after[`responses_${world.campaign._id}`]!;
    expect(responses).to.have.length(15);
    for (const r of responses) expect(Object.keys(r).sort()).to.deep.equal(['_id', 'answers', 'campaign', 'day', 'segment']);

    // No value in common, keys aside: nothing written at issuance appears in what submission wrote.
    const issuanceValues = new Set([...stringsOf(atIssuance)].filter((v) => !['_id', 'blinded'].includes(v) && !v.startsWith('credential_issues_')));
    const submissionValues = stringsOf(atSubmission);
    expect([...issuanceValues].filter((v) => submissionValues.has(v))).to.deep.equal([]);
    // No field in common but _id.
    const issuanceFields = new Set(atIssuance[`credential_issues_${world.campaign._id}`]!.flatMap((d) => Object.keys(d)));
    expect(Object.keys(responses[0]!).filter((k) => issuanceFields.has(k))).to.deep.equal(['_id']);
    // Neither side's secrets are stored anywhere: tokens, blinded messages, blind signatures, credentials.
    const everything = JSON.stringify(after);
    for (const s of sent) {
      for (const secret of [s.token, s.blinded, s.blindSignature, s.credential.message, s.credential.signature]) expect(everything).not.to.include(secret);
    }
    expect(everything).not.to.include('203.0.113.77');
    expect(everything).not.to.include('AuditBrowser');
    // No time finer than the day, on either side.
    const times = (docs: unknown) => JSON.stringify(docs).match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g) ?? [];
    expect(times(atIssuance)).to.deep.equal([]);
    expect(times(responses)).to.deep.equal([]);
    for (const d of atIssuance[`credential_issues_${world.campaign._id}`]!) for (const v of Object.values(d)) expect(v).to.be.a('string');
  });
});

describe('anonymity audit: roster invitations and scheduled reminders', () => {
  let srv: TestServer;
  let smtp: Inbox;
  before(async () => {
    smtp = await startInbox();
    srv = await startTestServer({ SMTP_URL: smtp.url });
  });
  after(async () => {
    await srv.close();
    await smtp.close();
  });

  it('stores nothing — field, value or order — that tells which student answered, or joins a student to a response', async () => {
    const world = await buildSurveyWorld();
    const cookie = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const api = (method: string, path: string, body?: unknown) => call(srv.url, method, path, { cookie, body });
    const cohorts = ['6B06101/2024', '6B06101/2023', '6B06102/2024'];
    const emails = Array.from({ length: 40 }, (_, i) => `student${i}@student.kz`);
    const roster = ['email,name,cohort,language', ...emails.map((e, i) => `${e},Студент ${i},${cohorts[i % 3]},${['kk', 'ru', 'en'][i % 3]}`)].join('\n');
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: roster })).status).to.equal(201);
    expect((await api('PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, { steps: [{ from: 'invitation', days: 3 }], maxReminders: 1 })).status).to.equal(200);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind: 'invitation' })).status).to.equal(202);
    let clock = Date.now();
    const worker = () => new InvitationWorker({ config: { ...srv.config, quietHours: null }, now: () => new Date(clock) });
    const w1 = worker();
    await w1.drain();
    await w1.stop();
    expect(smtp.mails).to.have.length(40);
    const tokenOf = new Map(smtp.mails.map((m) => [m.to, tokenIn(m)]));

    const before = await dumpAll();
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(17);
    // Fifteen students answer, in an order whoever watched would know.
    const answering = shuffle([...emails]).slice(0, 15);
    for (const email of answering) {
      const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 AuditBrowser', 'x-forwarded-for': '203.0.113.78' },
        body: JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', answers: syntheticAnswers(def, random, 4), token: tokenOf.get(email) }),
      });
      expect(res.status).to.equal(201);
    }
    await srv.services.writer.flush();
    const mid = await dumpAll();

    // The step falls due: reminders for the 25 who did not answer. Every write the worker makes is recorded in
    // the order the database receives it — the order a copy of the write-ahead log keeps.
    clock += 3 * 86_400_000 + 3_600_000;
    const writes: { collection: string; method: string; args: string }[] = [];
    const WRITES = /^(insert|update|replace|delete|bulkWrite|findOneAndUpdate|findOneAndDelete|create)/;
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      if (WRITES.test(method) && collection !== 'invitation_workers') writes.push({ collection, method, args: JSON.stringify(args) });
    });
    const w2 = worker();
    try {
      await w2.drain();
    } finally {
      mongoose.set('debug', false);
    }
    await w2.stop();
    expect(smtp.mails.slice(40).map((m) => m.to).sort()).to.deep.equal(emails.filter((e) => !answering.includes(e)).sort());
    const after = await dumpAll();
    const summary = (await api('GET', `/api/campaigns/${world.campaign._id}/invitations`)).json as { counts: { answered: number } };
    expect(summary.counts.answered, 'the count is still known').to.equal(15);

    // 1. A response holds campaign, segment (no finer than the cohort the link counts in), day and answers:
    // not the language, which the student's contact record keeps too.
    const responses = after[`responses_${world.campaign._id}`]!;
    expect(responses).to.have.length(15);
    for (const r of responses) {
      expect(Object.keys(r).sort()).to.deep.equal(['_id', 'answers', 'campaign', 'day', 'segment']);
      expect(Object.keys(r.segment as object).sort()).to.deep.equal(['cohort', 'faculty', 'programme']);
    }

    // 2. No value of a student (id, address, name, unsubscribe key, token, token hash) in a response; no
    //    response id anywhere else.
    const contacts = after.contacts!;
    const responseText = JSON.stringify(responses);
    for (const c of contacts) {
      for (const value of [c._id, c.email, c.name, unsubscribeIdOf(srv.config.jwtSecret, String(c._id))]) expect(responseText).to.not.contain(String(value));
    }
    for (const token of tokenOf.values()) {
      expect(responseText).to.not.contain(token);
      expect(responseText).to.not.contain(tokenHash(token));
    }
    for (const [name, docs] of Object.entries(after)) {
      if (name.startsWith('responses_')) continue;
      const text = JSON.stringify(docs);
      for (const r of responses) expect(text, name).to.not.contain(String(r._id));
      expect(text, name).to.not.contain('AuditBrowser');
      expect(text, name).to.not.contain('203.0.113.78');
    }

    // 3. Answering wrote nothing about students: their contacts, tokens, mailing, claims and unsubscribe keys
    //    are as they were; only the answered tokens' unused records are gone.
    for (const name of ['contacts', 'tokens', 'invitation_mailings', 'invitation_sends', 'invitation_unsubscribe_keys', 'invitation_workers']) expect(mid[name] ?? [], name).to.deep.equal(before[name] ?? []);
    const gone = before.unused_tokens!.map((d) => d._id).filter((id) => !mid.unused_tokens!.some((u) => u._id === id));
    expect(gone.sort()).to.deep.equal(answering.map((e) => unusedKey(tokenOf.get(e)!)).sort());

    // 4. After the reminder step, the contact records of those who answered read exactly like those of
    //    those who did not (no flag, same counters, days and step). The send claims (one per turn, mail or not)
    //    hold an id keyed by the secret, the kind, the day and a worker's random id — nothing else — and the
    //    workers' heartbeats a counter; no time of day anywhere.
    const strip = (c: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => !['_id', 'email', 'name', 'lang', 'cohort', 'programme', 'faculty'].includes(k)).sort()));
    expect(new Set(contacts.map(strip)).size, [...new Set(contacts.map(strip))].join('\n')).to.equal(1);
    expect(after.invitation_sends, 'a claim for every invitation and every reminder turn, answered or not').to.have.length(40 + 40);
    for (const claim of after.invitation_sends!) {
      expect(Object.keys(claim).sort()).to.deep.equal(['_id', 'campaign', 'claimedOn', 'kind', 'worker']);
      expect(claim.claimedOn).to.match(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const name of ['contacts', 'invitation_sends', 'invitation_workers', 'invitation_unsubscribe_keys', 'tokens', 'unused_tokens']) expect(JSON.stringify(after[name] ?? []), name).to.not.match(/T\d{2}:\d{2}/);

    // 5. The order of the step's writes: the claims of every turn in one batch, then each contact's record in
    //    an order unrelated to who answered (recording those who answered first would name them to a copy of
    //    the write-ahead log). Rank-sum test of the answered contacts' places among the 40 records.
    // (Queueing the step first wrote every contact alike, in the list's order.)
    const queueing = writes.filter((w) => w.collection === 'contacts' && w.args.includes('"pending":"reminder"'));
    expect(queueing, 'the step queued for all 40').to.have.length(40);
    const contactWrites = writes.filter((w) => w.collection === 'contacts' && !queueing.includes(w));
    const claimWrites = writes.filter((w) => w.collection === 'invitation_sends');
    expect(claimWrites.map((w) => w.method), 'claims written').to.deep.equal(['insertMany']);
    expect(contactWrites.map((w) => w.method)).to.deep.equal(Array(40).fill('updateOne'));
    expect(writes.indexOf(claimWrites[0]!), 'claims before any record').to.be.below(writes.indexOf(contactWrites[0]!));
    const answeredIds = new Set(contacts.filter((c) => answering.includes(String(c.email))).map((c) => String(c._id)));
    const places = contactWrites.flatMap((w, i) => ([...answeredIds].some((id) => w.args.includes(id)) ? [i + 1] : []));
    expect(places).to.have.length(15);
    const rankSum = places.reduce((a, b) => a + b, 0);
    const z = (rankSum - (15 * 41) / 2) / Math.sqrt((15 * 25 * 41) / 12);
    expect(Math.abs(z), `answered contacts' places among the records: ${places.join(', ')} (z = ${z.toFixed(2)})`).to.be.below(4);
    const shape = (w: { args: string }) => Object.keys((JSON.parse(w.args) as [unknown, { $set: object; $inc?: object }])[1].$set).sort().join(',');
    expect(new Set(contactWrites.map(shape)).size, 'one shape of record for every contact').to.equal(1);

    // 6. Storage order: the personal tokens were stored in an order unrelated to the contacts' (the roster's),
    //    so the position of an unused-token record does not name its student.
    const positionOfToken = new Map(after.tokens!.map((t, i) => [String(t._id), i]));
    const pairs = contacts.map((c, i) => [i, positionOfToken.get(tokenHash(invitationToken(srv.config.jwtSecret, world.campaign._id, String(c._id))))!] as const);
    expect(pairs.every(([, p]) => p !== undefined)).to.equal(true);
    const rho = spearman(pairs.map(([a]) => a), pairs.map(([, b]) => b));
    expect(Math.abs(rho), `rank correlation of contact and token storage order: ${rho.toFixed(2)}`).to.be.below(0.6);
  });
});

/** Spearman's rank correlation of two sequences of distinct numbers. */
function spearman(a: number[], b: number[]): number {
  const ranks = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    order.forEach(([, i], rank) => (r[i] = rank));
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((sum, r, i) => sum + (r - rb[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
