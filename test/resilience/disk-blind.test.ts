// Blind credentials against whoever copies the data directory or dumps the database (THREATS.md A3–A5), on
// the real embedded store: for 4 seeds × 30 slips, each respondent gets a credential and answers right away,
// one after another in a known random order — the worst case, where the order of issuance is the order of
// submission. After the mixing period the whole DATA_DIR is copied and every collection dumped: no field,
// value, order or time finer than the day joins an issuance record to a response.
//
// Bounds as in disk-anonymity.test.ts (a Monte Carlo over random storage orders, n = 30): |Spearman| ≥ 0.65
// per seed has probability 1.3·10⁻⁴, a mean over 4 seeds ≥ 0.35 likewise; ≥ 8 right pairs in one seed
// ≈ 1·10⁻⁵, ≥ 14 over four ≈ 8·10⁻⁵. A storage order that followed issuance would score ρ = 1 and 30 of 30.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { issueSlipTokens, unusedKey } from '../../server/campaigns/tokens.js';
import { issuanceId } from '../../server/credentials/issue.js';
import { submissionIdOf } from '../../server/credentials/spend.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responseIdFor } from '../../server/responses/store.js';
import { blindRequest, fetchKey, requestCredential } from '../support/blind-client.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { copyDataDir, foundIn, positionsOf, rightPairs, rowidOf, seededOrder, spearman, startRig, timesWithin, waitUntilMixedAndCheckpointed, type DiskRig } from './disk.support.js';

const SEEDS = [111, 222, 333, 444];
const ISSUED = 40;
const USED = 30;
const RHO_PER_SEED = 0.65;
const RHO_MEAN = 0.35;
const RIGHT_PER_SEED = 7;
const RIGHT_TOTAL = 13;

interface Sheet {
  campaign: string;
  link: string;
  tokens: string[];
}

interface Use {
  token: string;
  at: number;
  blinded: string;
  blindSignature: string;
  message: string;
  signature: string;
}

function stringsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      stringsOf(v, out);
    }
  }
  return out;
}

describe('blind credentials on disk: a copy of the data directory and a dump of every collection (embedded store)', function () {
  let rig: DiskRig;
  let world: SurveyWorld;
  const sheets: Sheet[] = [];

  before(async () => {
    rig = await startRig(async () => {
      world = await buildSurveyWorld({ instrument: 'integrity', blindCredentials: true });
      for (const seed of SEEDS) {
        const campaign = await createCampaign(
          SYSTEM_ACTOR,
          { title: { kk: `B${seed}`, ru: `B${seed}`, en: `Blind ${seed}` }, instrument: { id: 'integrity', version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] }, academicYear: '2025-2026', opensAt: new Date(Date.now() - 86_400_000), closesAt: new Date(Date.now() + 30 * 86_400_000), openLinkEnabled: false, openLinkCap: 0, blindCredentials: true },
          'open',
        );
        sheets.push({ campaign: campaign._id, link: campaign.linkId, tokens: await issueSlipTokens(SYSTEM_ACTOR, campaign._id, ISSUED, {}) });
      }
    });
  });
  after(async () => rig?.stop());

  it('joins no issuance record to a response by field, value, order or time once the mixing period has passed (4 seeds × 30)', async () => {
    const def = await getPublishedDefinition('integrity', 1);
    const uses = new Map<string, Use[]>();
    const answeringFrom = Date.now();
    for (const [s, sheet] of sheets.entries()) {
      const random = seededRandom(SEEDS[s]!);
      const { spki } = await fetchKey(rig.server.url, sheet.link);
      const list: Use[] = [];
      for (const [at, token] of seededOrder(sheet.tokens, random).slice(0, USED).entries()) {
        const request = await blindRequest(spki);
        const issued = await requestCredential(rig.server.url, sheet.link, token, request.blinded);
        expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
        const credential = await request.finalize(issued.body.blindSignature!);
        const res = await fetch(`${rig.server.url}/api/respond/${sheet.link}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 3.5), credential }),
        });
        expect(res.status, await res.text()).to.equal(201);
        list.push({ token, at, blinded: request.blinded, blindSignature: issued.body.blindSignature!, ...credential });
        await new Promise((r) => setTimeout(r, 20));
      }
      uses.set(sheet.campaign, list);
    }
    await waitUntilMixedAndCheckpointed(
      rig,
      sheets.map((s) => s.campaign),
    );
    const copy = copyDataDir(rig.dataDir);
    const db = mongoose.connection.db!;
    const dump: Record<string, Record<string, unknown>[]> = {};
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) dump[name] = (await db.collection(name).find({}).toArray()) as Record<string, unknown>[];

    expect(timesWithin(copy, answeringFrom, Date.now()), 'times of day from the answering period').to.deep.equal([]);
    const rhos: number[] = [];
    const rightTotal = new Map<string, number>();
    for (const sheet of sheets) {
      const list = uses.get(sheet.campaign)!;
      const issuanceDocs = dump[`credential_issues_${sheet.campaign}`]!;
      const responseDocs = Object.entries(dump).filter(([name]) => name.startsWith(`responses_${sheet.campaign}`)).flatMap(([, docs]) => docs);
      expect(issuanceDocs).to.have.length(USED);
      expect(responseDocs).to.have.length(USED);
      // Fields: an issuance record is a token hash and a blinded-message hash; a response shares only _id with it.
      for (const d of issuanceDocs) expect(Object.keys(d).sort()).to.deep.equal(['_id', 'blinded']);
      for (const r of responseDocs) expect(Object.keys(r).sort()).to.deep.equal(['_id', 'answers', 'campaign', 'day', 'segment']);
      // Values: nothing of an issuance record appears in any response.
      const fromIssuance = [...stringsOf(issuanceDocs)].filter((v) => v !== '_id' && v !== 'blinded');
      const inResponses = stringsOf(responseDocs);
      expect(fromIssuance.filter((v) => inResponses.has(v)), 'values shared by issuance records and responses').to.deep.equal([]);

      for (const u of list) {
        // No secret of either side is anywhere in the files: token, blinded message, blind signature, credential.
        for (const secret of [u.token, u.blinded, u.blindSignature, u.message, u.signature]) expect(foundIn(copy, secret), 'a secret in the files').to.deep.equal([]);
        expect(foundIn(copy, unusedKey(u.token)), 'the used token\u2019s unused record').to.deep.equal([]);
      }
      const people = list.map((u) => {
        const response = `"_id":"${responseIdFor(submissionIdOf(Buffer.from(u.message, 'base64url')))}"`;
        const issued = `"_id":"${issuanceId(u.token)}"`;
        const where = positionsOf(copy, response);
        expect(where, 'occurrences of a stored response').to.have.length(1);
        expect(positionsOf(copy, issued), 'occurrences of an issuance record').to.have.length(1);
        return { ...u, position: where[0]!, rowid: rowidOf(copy, response)!, issuedRowid: rowidOf(copy, issued)!, issuedPosition: positionsOf(copy, issued)[0]! };
      });
      for (const p of people) expect([p.rowid, p.issuedRowid], 'rows found by reading the SQLite format').to.not.include(undefined);
      // The issuance records keep the order of issuance (nothing rewrites them): the attacker's best key.
      expect(spearman(people.map((p) => p.at), people.map((p) => p.issuedRowid)), 'issuance records in issuance order (the attack has its key)').to.be.above(0.9);
      const rho = spearman(
        people.map((p) => p.issuedRowid),
        people.map((p) => p.rowid),
      );
      expect(Math.abs(rho), `Spearman(issuance records, responses), campaign ${sheet.campaign}`).to.be.below(RHO_PER_SEED);
      rhos.push(rho);
      type Person = (typeof people)[number];
      const issuanceOrders: [string, (p: Person) => number][] = [
        ['issuance record rowid', (p) => p.issuedRowid],
        ['issuance record offset', (p) => p.issuedPosition],
        ['order of use', (p) => p.at],
      ];
      const responseOrders: [string, (p: Person) => number][] = [
        ['rowid', (p) => p.rowid],
        ['byte offset', (p) => p.position],
      ];
      for (const [person, key] of issuanceOrders) {
        for (const [response, at] of responseOrders) {
          const name = `${person} × responses by ${response}`;
          const right = rightPairs(people, key, at);
          expect(right, `pairs right by ${name}`).to.be.at.most(RIGHT_PER_SEED);
          rightTotal.set(name, (rightTotal.get(name) ?? 0) + right);
        }
      }
    }
    const mean = rhos.reduce((a, b) => a + b, 0) / rhos.length;
    expect(Math.abs(mean), `mean Spearman over the seeds (${rhos.map((r) => r.toFixed(2)).join(', ')})`).to.be.below(RHO_MEAN);
    for (const [name, right] of rightTotal) expect(right, `pairs right by ${name} over the seeds`).to.be.at.most(RIGHT_TOTAL);
    console.log(`      Spearman(issuance, responses) per seed: ${rhos.map((r) => r.toFixed(3)).join(', ')}; pairs right of ${SEEDS.length * USED}: ${[...rightTotal].map(([n, r]) => `${r} by ${n}`).join('; ')}`);
  });
});
