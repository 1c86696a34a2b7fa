// Anonymity against whoever copies the data directory (THREATS.md A3), on the real embedded store: slips
// redeemed one at a time in a known random order, the mixing period waited out, the whole DATA_DIR
// copied, and the raw bytes of every file searched (token records, response ids, times, the WAL index's
// list of written pages). Then the modes of the files.
//
// Bounds (Monte Carlo over 2·10⁶ uniformly random storage orders, n = 30): |Spearman| ≥ 0.65 has
// probability 1.3·10⁻⁴ per seed, and the mean over 4 seeds ≥ 0.35 has 1.3·10⁻⁴; a pairing attack gets
// the number of fixed points of a random permutation right, P(≥ 8 of 30) ≈ 1·10⁻⁵ and, summed over 4
// seeds, P(≥ 14) ≈ 8·10⁻⁵ (exact). A storage order that follows submission scores ρ = 1 and 30 of 30.
// (The 99 % critical value, 0.47, would fail a correct implementation about once in 25 runs of 4 seeds.)
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
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { copyDataDir, foundIn, positionsOf, rightPairs, rowidOf, seededOrder, spearman, staleIndexPages, startRig, timesWithin, waitUntilMixedAndCheckpointed, type DiskRig } from './disk.support.js';

const SEEDS = [101, 202, 303, 404];
const ISSUED = 40;
const REDEEMED = 30;
const RHO_PER_SEED = 0.65;
const RHO_MEAN = 0.35;
const RIGHT_PER_SEED = 7;
const RIGHT_TOTAL = 13;

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
        const campaign = await createCampaign(SYSTEM_ACTOR, { ...campaignInput(world), title: { kk: `S${seed}`, ru: `S${seed}`, en: `Seed ${seed}` } }, 'open');
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
        const res = await fetch(`${rig.server.url}/api/respond/${sheet.link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId, lang: 'kk', answers: syntheticAnswers(def, random, 4), token }) });
        expect(res.status, await res.text()).to.equal(201);
        list.push({ token, submissionId, at });
        await new Promise((r) => setTimeout(r, 20));
      }
      redeemed.set(sheet.campaign, list);
    }
    await waitUntilMixedAndCheckpointed(
      rig,
      sheets.map((s) => s.campaign),
    );
    const copy = copyDataDir(rig.dataDir);
    // No time written while people answered (FerretDB keeps dates as milliseconds), and no order of the
    // pages written before the last checkpoint left in the WAL index.
    expect(timesWithin(copy, answeringFrom, Date.now()), 'times of day from the answering period').to.deep.equal([]);
    expect(staleIndexPages(copy), 'page numbers of earlier writes in the WAL index').to.deep.equal([]);

    const rhos: number[] = [];
    const rightTotal = new Map<string, number>();
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
      expect(Math.abs(rho), `Spearman(order of use, storage order), campaign ${sheet.campaign}`).to.be.below(RHO_PER_SEED);
      rhos.push(rho);
      // Pairing attacks: whoever used slips in a known order, or by the order printed on the sheet, or in
      // the order of the issued-token records, against the responses in storage order or byte order.
      type Person = (typeof people)[number];
      const personOrders: [string, (p: Person) => number][] = [
        ['order of use', (p) => p.at],
        ['order on the sheet', (p) => p.sheetOrder],
        ['order of the token records', (p) => p.issuedRowid],
      ];
      const responseOrders: [string, (p: Person) => number][] = [
        ['rowid', (p) => p.rowid],
        ['byte offset', (p) => p.position],
      ];
      for (const [person, key] of personOrders) {
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
    console.log(`      Spearman per seed: ${rhos.map((r) => r.toFixed(3)).join(', ')}; pairs right of ${SEEDS.length * REDEEMED}: ${[...rightTotal].map(([n, r]) => `${r} by ${n}`).join('; ')}`);
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

function campaignInput(world: SurveyWorld) {
  return {
    title: { kk: 'S', ru: 'S', en: 'S' },
    instrument: { id: 'student-satisfaction', version: 1 },
    audience: { kind: 'faculty' as const, ids: [world.facultyA] },
    academicYear: '2025-2026',
    opensAt: new Date(Date.now() - 86_400_000),
    closesAt: new Date(Date.now() + 30 * 86_400_000),
    openLinkEnabled: true,
    openLinkCap: 0,
  };
}
