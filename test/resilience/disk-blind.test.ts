// Blind credentials against whoever copies the data directory or dumps the database (THREATS.md A3–A5), on
// the real embedded store: for 4 seeds × 30 slips, each respondent gets a credential and answers right away,
// one after another in a known random order — the worst case, where the order of issuance is the order of
// submission. After the mixing period the whole DATA_DIR is copied and every collection dumped: no field,
// value, order or time finer than the day joins an issuance record to a response.
//
// Bounds: SEED_BOUNDS (disk.support.ts), as in disk-anonymity.test.ts. A storage order that followed
// issuance would score ρ = 1 and 30 of 30.
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { issueSlipTokens, unusedKey } from '../../server/campaigns/tokens.js';
import { issuanceId } from '../../server/campaigns/issuances.js';
import { submissionIdOf } from '../../server/credentials/spend.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responseIdFor } from '../../server/responses/store.js';
import { blindRequest, fetchKey, requestCredential } from '../support/blind-client.js';
import { buildSurveyWorld, facultyCampaignInput, type SurveyWorld } from '../support/survey-fixtures.js';
import { dumpAll, stringsOf } from '../support/collections.js';
import { answerAlone, copyAfterMixing, foundIn, pairingAttacks, positionsOf, rowidOf, SeedAudit, seededOrder, spearman, startRig, type DiskRig, type Order } from './disk.support.js';

const SEEDS = [111, 222, 333, 444];
const ISSUED = 40;
const USED = 30;

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

describe('blind credentials on disk: a copy of the data directory and a dump of every collection (embedded store)', function () {
  let rig: DiskRig;
  let world: SurveyWorld;
  const sheets: Sheet[] = [];

  before(async () => {
    rig = await startRig(async () => {
      world = await buildSurveyWorld({ instrument: 'integrity', blindCredentials: true });
      for (const seed of SEEDS) {
        const campaign = await createCampaign(SYSTEM_ACTOR, facultyCampaignInput(world, 'integrity', { title: { kk: `B${seed}`, ru: `B${seed}`, en: `Blind ${seed}` }, openLinkEnabled: false, blindCredentials: true }), 'open');
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
        await answerAlone(rig, sheet.link, { submissionId: randomBase32(26), lang: 'kk', segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, random, 3.5), credential });
        list.push({ token, at, blinded: request.blinded, blindSignature: issued.body.blindSignature!, ...credential });
      }
      uses.set(sheet.campaign, list);
    }
    const copy = await copyAfterMixing(
      rig,
      sheets.map((s) => s.campaign),
      answeringFrom,
    );
    const dump = await dumpAll();

    const audit = new SeedAudit();
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
        // Issuance writes its record and nothing else: the token's unused record stays as printed.
        expect(foundIn(copy, unusedKey(u.token)), 'the used token\u2019s unused record, untouched').to.not.deep.equal([]);
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
      type Person = (typeof people)[number];
      const issuanceOrders: Order<Person>[] = [
        ['issuance record rowid', (p) => p.issuedRowid],
        ['issuance record offset', (p) => p.issuedPosition],
        ['order of use', (p) => p.at],
      ];
      audit.seed(rho, `Spearman(issuance records, responses), campaign ${sheet.campaign}`, pairingAttacks([people], issuanceOrders));
    }
    console.log(`      Spearman(issuance, responses) ${audit.verdict(SEEDS.length * USED)}`);
  });
});
