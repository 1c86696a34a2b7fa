// Email invitations against a copy of the data directory (THREATS.md A3): with the files, the generated
// secret that lies among them, and the contact list, an attacker learns which contacts answered (what
// reminders need) and the segment of each response — and no more: which answering contact of a
// programme gave which of its responses is no better than a guess. The contacts get their mail in kk, ru
// or en and answer in it, some the only answering contact of their programme in their language: a
// response keeps no language, so joining on it narrows nothing.
//
// Bounds (exact, two programmes of 8 answering contacts): a pairing by any order gets the fixed points of
// two random permutations of 8 right, P(≥ 10 of 16) ≈ 5·10⁻⁵; Spearman over 16, P(|ρ| ≥ 0.85) ≈ 7·10⁻⁵
// (Monte Carlo). A storage order that follows the order of answers scores 16 of 16 and ρ = 1.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { invitationToken, tokenHash, unusedKey } from '../../server/campaigns/tokens.js';
import { freePort } from '../../server/db/embedded.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { claimIdOf, contactIdOf, unsubscribeIdOf } from '../../server/invitations/keys.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responseIdFor, responsesCollection } from '../../server/responses/store.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';
import { answerAlone, copyAfterMixing, documentAt, foundIn, pairingAttacks, positionsOf, rowidOf, seededOrder, spearman, staleIndexPages, startRig, type DiskRig, type Order } from './disk.support.js';

const PER_PROGRAMME = 10;
const ANSWERING = 8;
const RIGHT_BOUND = 9;
const RHO_BOUND = 0.85;

describe('anonymity on disk: email invitations (embedded store)', function () {
  let smtp: SMTPServer;
  let rig: DiskRig;
  let world: SurveyWorld;
  let cookie = '';
  const inbox = new Map<string, string>();

  before(async () => {
    const port = await freePort();
    smtp = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          // The plain-text part of the mail (it also has an HTML part), decoded.
          simpleParser(Buffer.concat(chunks)).then(
            (mail) => {
              for (const r of session.envelope.rcptTo) inbox.set(r.address, mail.text ?? '');
              cb();
            },
            (err: unknown) => cb(err as Error),
          );
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    rig = await startRig(
      async (config) => {
        world = await buildSurveyWorld({ instrument: 'employer-satisfaction' });
        cookie = sessionCookie(config, await createUser({ role: 'admin' }));
      },
      { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Pikir <qa@university.kz>' },
    );
  });
  after(async () => {
    await rig?.stop();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('lets a copy of the files and the contacts tell who answered, never which response is whose', async () => {
    const campaign = world.campaign._id;
    const programmes = [
      { code: '6B06101', id: world.programmesA[0]!, cohort: world.cohortsA[0]! },
      { code: '6B06102', id: world.programmesA[1]!, cohort: world.cohortsA[2]! },
    ];
    const people = programmes.flatMap((p, j) => Array.from({ length: PER_PROGRAMME }, (_, i) => ({ email: `person${j}-${i}@example.kz`, programme: p, csvLine: j * PER_PROGRAMME + i, lang: 'ru' as 'kk' | 'ru' | 'en' })));
    // Several contacts of each programme answer, in a known random order across the programmes.
    const random = seededRandom(15);
    const answering = seededOrder(
      programmes.flatMap((p) => seededOrder(people.filter((x) => x.programme === p), random).slice(0, ANSWERING)),
      random,
    );
    // Mixed languages: in each programme one answering contact alone in English, one alone in Kazakh, the
    // rest in Russian (and those who do not answer in Kazakh): stored with their responses, the language
    // would name the first two of each programme.
    for (const p of programmes) {
      const theirs = answering.filter((x) => x.programme === p);
      theirs[0]!.lang = 'en';
      theirs[1]!.lang = 'kk';
      for (const x of people.filter((y) => y.programme === p && !answering.includes(y))) x.lang = 'kk';
    }
    const csv = ['name,organisation,email,language,programme', ...people.map((p, i) => `Person ${i},Org ${i},${p.email},${p.lang},${p.programme.code}`)].join('\n');
    const imported = await call(rig.server.url, 'POST', `/api/campaigns/${campaign}/contacts/import`, { cookie, body: { csv } });
    expect(imported.status, imported.text).to.equal(201);
    const sent = await call(rig.server.url, 'POST', `/api/campaigns/${campaign}/invitations/send`, { cookie, body: { kind: 'invitation' } });
    expect(sent.status, sent.text).to.equal(202);
    await waitFor(() => `all ${people.length} invitations to arrive (got ${inbox.size}); the server said:\n${rig.server.output()}`, () => inbox.size === people.length, { timeout: 30_000 });

    const def = await getPublishedDefinition('employer-satisfaction', 1);
    const answers = new Map<string, { submissionId: string; at: number }>();
    const answeringFrom = Date.now();
    for (const [at, person] of answering.entries()) {
      // The link opens the survey in the mail's language; the answer is sent from it (and says so).
      const [, token, linkLang] = /\/t\/([0-9a-z]{20})\?lang=(kk|ru|en)/.exec(inbox.get(person.email)!)!;
      expect(linkLang, person.email).to.equal(person.lang);
      const submissionId = randomBase32(26);
      await answerAlone(rig, world.campaign.linkId, { submissionId, lang: linkLang, segment: { cohort: person.programme.cohort }, answers: syntheticAnswers(def, random, 3), token });
      answers.set(person.email, { submissionId, at });
    }
    const copy = await copyAfterMixing(rig, [campaign], answeringFrom);
    expect(staleIndexPages(copy), 'page numbers of earlier writes in the WAL index').to.deep.equal([]);

    // The attacker's means: the secret (it lies in DATA_DIR), the contacts, and the bytes.
    const secret = (JSON.parse(readFileSync(join(rig.dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string }).jwtSecret;
    const contacts = await mongoose.connection.db!.collection('contacts').find({ campaign }).toArray();
    expect(contacts).to.have.length(people.length);
    for (const c of contacts) {
      expect(Object.keys(c), 'a contact keeps nothing about answering').to.not.include.members(['answered', 'response', 'responseId', 'submissionId']);
      expect(JSON.stringify(c), 'a contact keeps no time of day').to.not.match(/T\d{2}:\d{2}/);
    }
    // Each contact keeps the language of their mail, as reminders need.
    for (const p of people) expect(contacts.find((c) => c.email === p.email)?.lang, p.email).to.equal(p.lang);
    const claims = await mongoose.connection.db!.collection('invitation_sends').find({ campaign }).toArray();
    expect(claims).to.have.length(people.length);
    expect(JSON.stringify(claims), 'a send claim keeps no time of day').to.not.match(/T\d{2}:\d{2}/);

    const seen = people.map((p) => {
      const contactId = contactIdOf(campaign, p.email);
      const token = invitationToken(secret, campaign, contactId);
      expect(inbox.get(p.email)).to.contain(`/t/${token}`);
      // Who answered is readable (reminders need it): the unused record of an answering contact is gone from every file.
      const answeredOnDisk = foundIn(copy, unusedKey(token)).length === 0;
      expect(answeredOnDisk, p.email).to.equal(answers.has(p.email));
      // Where each record of this contact lies in storage order (SQLite rowids), as an attacker reads it.
      const row = (id: string) => {
        const rowid = rowidOf(copy, `"_id":"${id}"`);
        expect(rowid, id).to.not.equal(undefined);
        return rowid!;
      };
      const answer = answers.get(p.email);
      const stored = answer ? positionsOf(copy, `"_id":"${responseIdFor(answer.submissionId)}"`) : [];
      if (answer) expect(stored, 'occurrences of a stored response').to.have.length(1);
      return {
        ...p,
        answer,
        position: stored[0] ?? -1,
        rowid: answer ? row(responseIdFor(answer.submissionId)) : -1,
        contactRecord: row(contactId),
        tokenRecord: row(tokenHash(token)),
        claim: row(claimIdOf(secret, campaign, contactId, 'invitation', 0)),
        unsubscribeKey: row(unsubscribeIdOf(secret, contactId)),
      };
    });

    const answered = seen.filter((p) => p.answer);

    // The language join: every field a stored response keeps that a contact keeps too — the segment, and a
    // language if there were one. However an attacker matches them, each response is one of all the
    // answering contacts of its programme, not of those who answered in some language.
    const stored = await (await responsesCollection(campaign)).find({}).toArray();
    expect(stored).to.have.length(answered.length);
    for (const r of stored) {
      expect(Object.keys(r).sort(), 'what a response keeps').to.deep.equal(['_id', 'answers', 'campaign', 'day', 'segment']);
      const lang = (r as { lang?: string }).lang;
      const candidates = answered.filter((p) => p.programme.cohort === r.segment.cohort && (lang === undefined || lang === p.lang));
      expect(candidates.length, `candidates for a response of ${r.segment.cohort}`).to.equal(ANSWERING);
    }
    // Nor does any file hold a response's language next to it: no stored response has a "lang" in its bytes.
    for (const p of answered) {
      const at = positionsOf(copy, `"_id":"${responseIdFor(p.answer!.submissionId)}"`)[0]!;
      const doc = documentAt(copy, at);
      expect(doc, 'the stored bytes of a response').to.contain('"answers"');
      expect(doc, 'the stored bytes of a response').to.not.contain('"lang"');
    }
    const rho = spearman(
      answered.map((p) => p.answer!.at),
      answered.map((p) => p.rowid),
    );
    expect(Math.abs(rho), 'Spearman(order of answers, storage order)').to.be.below(RHO_BOUND);
    type Seen = (typeof seen)[number];
    const orders: Order<Seen>[] = [
      ['order of answers', (p) => p.answer!.at],
      ['order in the contact list', (p) => p.csvLine],
      ['contact records', (p) => p.contactRecord],
      ['token records', (p) => p.tokenRecord],
      ['send claims', (p) => p.claim],
      ['unsubscribe keys', (p) => p.unsubscribeKey],
      // The language of the mail first (what a stored language would join on), then the contact list's order.
      ['language, then the contact list', (p) => ['en', 'kk', 'ru'].indexOf(p.lang) * 1000 + p.csvLine],
    ];
    // Within a programme: the response's segment already narrows it to the programme's answering contacts.
    const attacks = pairingAttacks(
      programmes.map((prog) => answered.filter((p) => p.programme === prog)),
      orders,
    );
    const report: string[] = [];
    for (const [name, right] of attacks) {
      expect(right, `pairs right by ${name}`).to.be.at.most(RIGHT_BOUND);
      report.push(`${right} by ${name}`);
    }
    console.log(`      Spearman ${rho.toFixed(3)}; pairs right of ${answered.length}: ${report.join('; ')}`);
  });
});
