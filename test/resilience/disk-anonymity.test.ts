// Anonymity against whoever copies the data directory (THREATS.md A3), on the real embedded store: slips
// redeemed one at a time in a known random order, the mixing period waited out, the whole DATA_DIR
// copied, and the raw bytes of every file searched (token records, response ids, times, the WAL index's
// list of written pages). Then the modes of the files. Bounds: SEED_BOUNDS (disk.support.ts).
import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { issueSlipTokens, tokenHash, unusedKey } from '../../server/campaigns/tokens.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responseIdFor } from '../../server/responses/store.js';
import { buildSurveyWorld, facultyCampaignInput, type SurveyWorld } from '../support/survey-fixtures.js';
import { answerAlone, copyAfterMixing, foundIn, pairingAttacks, positionsOf, rowidOf, SeedAudit, seededOrder, spearman, staleIndexPages, startRig, type DiskRig, type Order } from './disk.support.js';

const SEEDS = [101, 202, 303, 404];
const ISSUED = 40;
const REDEEMED = 30;

interface Sheet {
  campaign: string;
  link: string;
  /** In the order printed on the sheet. */
  tokens: string[];
}

describe('anonymity on disk: a copy of the data directory (embedded store)', function () {
  let rig: DiskRig;
  let world: SurveyWorld;
  const sheets: Sheet[] = [];

  before(async () => {
    rig = await startRig(async () => {
      world = await buildSurveyWorld();
      const segment = { faculty: world.facultyA, programme: world.programmesA[0], cohort: world.cohortsA[0] };
      for (const seed of SEEDS) {
        const campaign = await createCampaign(SYSTEM_ACTOR, facultyCampaignInput(world, 'student-satisfaction', { title: { kk: `S${seed}`, ru: `S${seed}`, en: `Seed ${seed}` } }), 'open');
        sheets.push({ campaign: campaign._id, link: campaign.linkId, tokens: await issueSlipTokens(SYSTEM_ACTOR, campaign._id, ISSUED, segment) });
      }
    });
  });
  after(async () => rig?.stop());

  it('keeps no redeemed token record and no order of submission once the mixing period has passed (4 seeds × 30 slips)', async () => {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const redeemed = new Map<string, { token: string; submissionId: string; at: number }[]>();
    const answeringFrom = Date.now();
    for (const [s, sheet] of sheets.entries()) {
      const random = seededRandom(SEEDS[s]!);
      const used = seededOrder(sheet.tokens, random).slice(0, REDEEMED);
      const list: { token: string; submissionId: string; at: number }[] = [];
      // One at a time, as in a classroom: every response is a group commit of its own.
      for (const [at, token] of used.entries()) {
        const submissionId = randomBase32(26);
        await answerAlone(rig, sheet.link, { submissionId, lang: 'kk', answers: syntheticAnswers(def, random, 4), token });
        list.push({ token, submissionId, at });
      }
      redeemed.set(sheet.campaign, list);
    }
    // No time written while people answered, and no order of the pages written before the last checkpoint
    // left in the WAL index.
    const copy = await copyAfterMixing(
      rig,
      sheets.map((s) => s.campaign),
      answeringFrom,
    );
    expect(staleIndexPages(copy), 'page numbers of earlier writes in the WAL index').to.deep.equal([]);

    const audit = new SeedAudit();
    for (const sheet of sheets) {
      const list = redeemed.get(sheet.campaign)!;
      const used = new Set(list.map((r) => r.token));
      for (const token of sheet.tokens) {
        expect(foundIn(copy, token), 'a token in plain text').to.deep.equal([]);
        // The redeemed token's unused record is gone from every file; the others are found (the search works).
        if (used.has(token)) expect(foundIn(copy, unusedKey(token)), 'a redeemed token record').to.deep.equal([]);
        else expect(foundIn(copy, unusedKey(token))).to.not.deep.equal([]);
      }
      // Each response is stored once, nowhere else: no copy left by an older generation or in the WAL.
      const people = list.map((r) => {
        const row = `"_id":"${responseIdFor(r.submissionId)}"`;
        const where = positionsOf(copy, row);
        expect(where, 'occurrences of a stored response').to.have.length(1);
        const issued = `"_id":"${tokenHash(r.token)}"`;
        return { ...r, position: where[0]!, rowid: rowidOf(copy, row)!, sheetOrder: sheet.tokens.indexOf(r.token), issuedRowid: rowidOf(copy, issued)! };
      });
      for (const p of people) expect([p.rowid, p.issuedRowid], 'rows found by reading the SQLite format').to.not.include(undefined);
      // Storage order as SQLite keeps it (rowids: FerretDB appends each document with the next one).
      const rho = spearman(
        people.map((p) => p.at),
        people.map((p) => p.rowid),
      );
      // Pairing attacks: whoever used slips in a known order, or by the order printed on the sheet, or in
      // the order of the issued-token records, against the responses in storage order or byte order.
      type Person = (typeof people)[number];
      const personOrders: Order<Person>[] = [
        ['order of use', (p) => p.at],
        ['order on the sheet', (p) => p.sheetOrder],
        ['order of the token records', (p) => p.issuedRowid],
      ];
      audit.seed(rho, `Spearman(order of use, storage order), campaign ${sheet.campaign}`, pairingAttacks([people], personOrders));
    }
    console.log(`      Spearman ${audit.verdict(SEEDS.length * REDEEMED)}`);
  });

  it('keeps the data directory 0700 and every file in it 0600, also when they were created open', () => {
    const modes: string[] = [];
    const walk = (dir: string) => {
      expect(statSync(dir).mode & 0o777, dir).to.equal(0o700);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          expect(statSync(path).mode & 0o777, path).to.equal(0o600);
          modes.push(name);
        }
      }
    };
    walk(rig.dataDir);
    expect(modes).to.include.members(['secrets.json', 'pikir_disk.sqlite', 'left-by-hand.txt']);
  });
});
