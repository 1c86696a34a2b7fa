// The attacker of THREATS.md A2, as a property: a council member who records every view — at every
// release of live figures, and the final view at closing — holds each released cell as the set of
// responses it aggregates, and tries every difference of two cells (any units, any moments) and every
// "parent minus its visible children" (each term at any moment). No combination may isolate between 1 and
// k − 1 responses. The stronger check: every atom of the family of released sets (responses that no
// released cell tells apart) holds 0 or at least k responses.
import { expect } from 'chai';
import fc from 'fast-check';
import type { UnitCounters } from '../../server/analytics/aggregates/store.js';
import { advanceCut, finalView, ownCounters, touched, unitCells, type CutUnit, type RegionCounters } from '../../server/analytics/cuts.js';
import { gateUnits, gateItem, type TreeUnit } from '../../server/analytics/suppression.js';

const K = 5;
const K_PUBLIC = 10;

interface Response {
  id: number;
  /** The deepest unit it counts in. */
  region: string;
  /** Whether it answered the optional item B (item A everyone answers). */
  answersB: boolean;
}

interface Tree {
  units: TreeUnit[];
  responses: Response[];
}

/** University → faculties → programmes → cohorts; some responses name no cohort (they stay with the programme). */
const treeArb = fc
  .array(fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 0, maxLength: 3 }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
  .chain((faculties) => {
    const units: TreeUnit[] = [{ key: 'U', level: 'university' }];
    const regions: string[] = [];
    faculties.forEach((programmes, f) => {
      units.push({ key: `F${f}`, parent: 'U', level: 'faculty' });
      programmes.forEach(([cohorts, ownSize], p) => {
        const pk = `P${f}.${p}`;
        units.push({ key: pk, parent: `F${f}`, level: 'programme' });
        for (let i = 0; i < ownSize; i++) regions.push(pk);
        cohorts.forEach((size, c) => {
          const ck = `C${f}.${p}.${c}`;
          units.push({ key: ck, parent: pk, level: 'cohort' });
          for (let i = 0; i < size; i++) regions.push(ck);
        });
      });
    });
    return fc.tuple(fc.constant(units), fc.shuffledSubarray(regions, { minLength: regions.length, maxLength: regions.length }), fc.array(fc.boolean(), { minLength: regions.length, maxLength: regions.length }));
  })
  .map(([units, order, answersB]): Tree => ({ units, responses: order.map((region, id) => ({ id, region, answersB: answersB[id]! })) }));

/** The aggregate counters of a set of responses, per unit (as the aggregates hold them). */
function countersOf(tree: Tree, responses: Response[]): Map<string, UnitCounters> {
  const parent = new Map(tree.units.map((u) => [u.key, u.parent]));
  const out = new Map<string, UnitCounters>(tree.units.map((u) => [u.key, { n: 0, items: {} }]));
  for (const r of responses) {
    for (let u: string | undefined = r.region; u; u = parent.get(u)) {
      const c = out.get(u)!;
      c.n++;
      const a = (c.items.a ??= {});
      a['4'] = (a['4'] ?? 0) + 1;
      if (r.answersB) {
        const b = (c.items.b ??= {});
        b['2'] = (b['2'] ?? 0) + 1;
      }
    }
  }
  return out;
}

type Figure = 'n' | 'a' | 'b';
const FIGURES: Figure[] = ['n', 'a', 'b'];

/** Which responses a cell holds: the first `count` of each region, in arrival order, that touch the figure. */
function members(tree: Tree, regionCounts: Map<string, number>, figure: Figure, unit: string): number[] {
  const under = subtree(tree, unit);
  const taken = new Map<string, number>();
  const out: number[] = [];
  for (const r of tree.responses) {
    if (!under.has(r.region) || (figure === 'b' && !r.answersB)) continue;
    const t = taken.get(r.region) ?? 0;
    if (t < (regionCounts.get(r.region) ?? 0)) out.push(r.id);
    taken.set(r.region, t + 1);
  }
  return out;
}

function subtree(tree: Tree, unit: string): Set<string> {
  const out = new Set([unit]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of tree.units) {
      if (u.parent && out.has(u.parent) && !out.has(u.key)) {
        out.add(u.key);
        grew = true;
      }
    }
  }
  return out;
}

const sizeOf = (figure: Figure, c: UnitCounters | undefined) => (figure === 'n' ? (c?.n ?? 0) : touched(figure, c?.items[figure]));

interface Released {
  unit: string;
  moment: string;
  figure: Figure;
  set: Set<number>;
}

/**
 * Runs a campaign: responses arrive in order; after each, live figures may be released (a cut); at the
 * end, the final view. Returns every cell the viewer could see, through the same static gates as the
 * results service (units, then each item).
 */
function simulate(tree: Tree, live: boolean, releaseAfter: (i: number) => boolean): Released[] {
  const units: CutUnit[] = tree.units;
  const released: Released[] = [];
  let included: RegionCounters = new Map();
  const record = (moment: string, cells: Map<string, UnitCounters>, regionCountsOf: (figure: Figure) => Map<string, number>) => {
    const hidden = gateUnits(tree.units, (key) => cells.get(key)?.n ?? 0, K);
    for (const figure of FIGURES) {
      const visible = figure === 'n' ? (key: string) => !hidden.has(key) && (cells.get(key)?.n ?? 0) > 0 : gateItem({ units: tree.units, hidden, k: K, sensitive: false, answered: (key) => sizeOf(figure, cells.get(key)) });
      const counts = regionCountsOf(figure);
      for (const u of tree.units) if (visible(u.key)) released.push({ unit: u.key, moment, figure, set: new Set(members(tree, counts, figure, u.key)) });
    }
  };
  const regionCounts = (regions: RegionCounters) => (figure: Figure) => new Map([...regions].map(([key, c]) => [key, sizeOf(figure, c)]));
  for (let i = 0; i < tree.responses.length; i++) {
    if (!live || !releaseAfter(i)) continue;
    const own = ownCounters(units, (key) => countersOf(tree, tree.responses.slice(0, i + 1)).get(key));
    const next = advanceCut(units, own, included, K);
    if (!next.moved) continue;
    included = next.cut;
    record(`cut${i}`, unitCells(units, included), regionCounts(included));
  }
  const own = ownCounters(units, (key) => countersOf(tree, tree.responses).get(key));
  const view = finalView(units, own, included, K);
  // A final cell holds, per region under it, all responses when exact, the last cut's otherwise.
  const finalRegions = (figure: Figure, unit: string) => {
    const exact = view.figures.get(unit)!.get(figure)?.exact ?? true;
    return new Map([...own].map(([key]) => [key, sizeOf(figure, (exact ? own : included).get(key))]));
  };
  // The final view inside (at k) and the public page (the same cells re-gated at PUBLISHED_K).
  for (const [moment, gateK] of [['final', K], ['public', K_PUBLIC]] as const) {
    const hidden = gateUnits(tree.units, (key) => view.cells.get(key)?.n ?? 0, gateK);
    for (const figure of FIGURES) {
      const visible = figure === 'n' ? (key: string) => !hidden.has(key) && (view.cells.get(key)?.n ?? 0) > 0 : gateItem({ units: tree.units, hidden, k: gateK, sensitive: false, answered: (key) => sizeOf(figure, view.cells.get(key)) });
      for (const u of tree.units) if (visible(u.key)) released.push({ unit: u.key, moment, figure, set: new Set(members(tree, finalRegions(figure, u.key), figure, u.key)) });
    }
  }
  return released;
}

function attack(tree: Tree, released: Released[]): string | null {
  for (const figure of FIGURES) {
    const cells = released.filter((r) => r.figure === figure);
    // Every difference of two released cells, any units, any moments.
    for (const a of cells)
      for (const b of cells) {
        if (b.set.size >= a.set.size || ![...b.set].every((x) => a.set.has(x))) continue;
        const d = a.set.size - b.set.size;
        if (d > 0 && d < K) return `${figure}: ${a.unit}@${a.moment} − ${b.unit}@${b.moment} isolates ${d}`;
      }
    // Parent minus its visible children, each term at any moment (the children's latest and earliest views).
    for (const p of cells) {
      const kids = tree.units.filter((u) => u.parent === p.unit).map((u) => cells.filter((c) => c.unit === u.key));
      for (const pick of [0, -1]) {
        const chosen = kids.map((views) => views.at(pick)).filter((v): v is Released => Boolean(v));
        const union = new Set(chosen.flatMap((c) => [...c.set]));
        if (![...union].every((x) => p.set.has(x))) continue;
        const d = p.set.size - union.size;
        if (chosen.length && d > 0 && d < K) return `${figure}: ${p.unit}@${p.moment} minus its visible parts isolates ${d}`;
      }
    }
    // Atoms: responses no released cell tells apart.
    const signature = new Map<number, string>();
    cells.forEach((c, i) => {
      for (const x of c.set) signature.set(x, `${signature.get(x) ?? ''},${i}`);
    });
    const atoms = new Map<string, number>();
    for (const sig of signature.values()) atoms.set(sig, (atoms.get(sig) ?? 0) + 1);
    for (const [sig, size] of atoms) if (size < K) return `${figure}: an atom of ${size} (${sig.split(',').slice(1, 4).map((i) => `${cells[Number(i)]!.unit}@${cells[Number(i)]!.moment}`).join(' ')})`;
  }
  return null;
}

describe('the attacker who records every view (live cuts and the final view)', function () {
  // Hundreds of random campaigns, each replayed response by response: slower than a unit test usually is.
  this.timeout(60_000);
  it('property: with live figures, no combination of views isolates fewer than k responses', () => {
    fc.assert(
      fc.property(treeArb, fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), (tree, moments) => {
        const found = attack(tree, simulate(tree, true, (i) => moments[i % moments.length]!));
        expect(found, found ?? '').to.equal(null);
      }),
      { numRuns: 150 },
    );
  });

  it('property: with counts only while open, the exact final view isolates nothing', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const found = attack(tree, simulate(tree, false, () => false));
        expect(found, found ?? '').to.equal(null);
      }),
      { numRuns: 150 },
    );
  });

  it('the reference case: a programme of 3 (P5) beside one of 18 (P4) stays unrecoverable across open views and the final view', () => {
    const units: TreeUnit[] = [
      { key: 'U', level: 'university' },
      { key: 'F1', parent: 'U', level: 'faculty' },
      { key: 'F2', parent: 'U', level: 'faculty' },
      { key: 'P1', parent: 'F1', level: 'programme' },
      { key: 'P2', parent: 'F1', level: 'programme' },
      { key: 'P3', parent: 'F2', level: 'programme' },
      { key: 'P4', parent: 'F2', level: 'programme' },
      { key: 'P5', parent: 'F2', level: 'programme' },
    ];
    const sizes: Record<string, number> = { P1: 40, P2: 35, P3: 25, P4: 18, P5: 3 };
    let random = 7;
    const next = () => ((random = (random * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 20; round++) {
      const regions = Object.entries(sizes).flatMap(([key, n]) => Array.from({ length: n }, () => key));
      for (let i = regions.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [regions[i], regions[j]] = [regions[j]!, regions[i]!];
      }
      const tree: Tree = { units, responses: regions.map((region, id) => ({ id, region, answersB: next() < 0.7 })) };
      expect(tree.responses.length).to.equal(121);
      const released = simulate(tree, true, () => true);
      expect(attack(tree, released)).to.equal(null);
      // P4 is shown while open; P5 never, and F2 − P3 − P4 never equals P5 at any moments.
      expect(released.some((r) => r.unit === 'P4' && r.moment !== 'final')).to.equal(true);
      expect(released.some((r) => r.unit === 'P5')).to.equal(false);
    }
  });
});
