import { expect } from 'chai';
import fc from 'fast-check';
import { gateComments, gateItem, gateScale, gateUnits, hiddenUnits, withheldForPublication, type GateUnit, type TreeUnit } from '../../server/analytics/suppression.js';

const K = 5;

describe('the suppression gate', () => {
  it('hides groups below k and shows the rest', () => {
    const units: GateUnit[] = [
      { key: 'u', n: 40 },
      { key: 'f1', parent: 'u', n: 30 },
      { key: 'f2', parent: 'u', n: 10 },
      { key: 'p1', parent: 'f1', n: 20 },
      { key: 'p2', parent: 'f1', n: 6 },
      { key: 'p3', parent: 'f1', n: 4 },
    ];
    const hidden = hiddenUnits(units, K);
    expect(hidden.has('p3')).to.equal(true);
    expect(hidden.has('f1')).to.equal(false);
    expect(hidden.has('u')).to.equal(false);
  });

  it('hides a second sibling so the faculty minus the visible programmes does not reveal the small one', () => {
    const units: GateUnit[] = [
      { key: 'f', n: 30 },
      { key: 'p1', parent: 'f', n: 20 },
      { key: 'p2', parent: 'f', n: 7 },
      { key: 'p3', parent: 'f', n: 3 },
    ];
    const hidden = hiddenUnits(units, K);
    expect([...hidden].sort()).to.deep.equal(['p2', 'p3']);
  });

  it('keeps hiding siblings until the hidden ones hold at least k', () => {
    const units: GateUnit[] = [
      { key: 'f', n: 33 },
      { key: 'p1', parent: 'f', n: 1 },
      { key: 'p2', parent: 'f', n: 1 },
      { key: 'p3', parent: 'f', n: 1 },
      { key: 'p4', parent: 'f', n: 12 },
      { key: 'p5', parent: 'f', n: 18 },
    ];
    const hidden = hiddenUnits(units, K);
    expect(hidden.has('p4')).to.equal(true);
    expect(hidden.has('p5')).to.equal(false);
  });

  it('counts responses without a child unit as part of what the parent reveals', () => {
    // 8 faculty responses, 6 in one programme, 2 with no programme: showing p1 would reveal 8 − 6 = 2.
    const hidden = hiddenUnits([{ key: 'f', n: 8 }, { key: 'p1', parent: 'f', n: 6 }, { key: 'p2', parent: 'f', n: 0 }], K);
    expect(hidden.has('p1')).to.equal(true);
    expect(hidden.has('f')).to.equal(false);
    const hidden2 = hiddenUnits([{ key: 'f', n: 12 }, { key: 'p1', parent: 'f', n: 6 }, { key: 'p2', parent: 'f', n: 4 }], K);
    // p2 (4) is hidden; 12 − 6 reveals p2 together with the 2 unassigned: 6 ≥ k, so p1 may stay visible.
    expect(hidden2.has('p2')).to.equal(true);
    expect(hidden2.has('p1')).to.equal(false);
  });

  it('property: no hidden group can be recovered by subtracting visible figures', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 6 }), (children, unassigned) => {
        const total = children.reduce((s, n) => s + n, 0) + unassigned;
        const units: GateUnit[] = [{ key: 'u', n: total }, ...children.map((n, i) => ({ key: `c${i}`, parent: 'u', n }))];
        const hidden = hiddenUnits(units, K);
        // Every visible unit has at least k.
        for (const u of units) if (!hidden.has(u.key) && u.n > 0) expect(u.n).to.be.at.least(K);
        // What subtraction reveals (parent minus visible children) is at least k, or nothing.
        if (!hidden.has('u')) {
          const visibleSum = units.filter((u) => u.parent === 'u' && !hidden.has(u.key)).reduce((s, u) => s + u.n, 0);
          const residue = total - visibleSum;
          expect(residue === 0 || residue >= K, `residue ${residue}`).to.equal(true);
        }
      }),
    );
  });
  it('hides the parts of a unit hidden only to protect a sibling (the sum of its parts would rebuild it)', () => {
    const units: GateUnit[] = [
      { key: 'f', n: 92 },
      { key: 'p1', parent: 'f', n: 90 },
      { key: 'p2', parent: 'f', n: 2 },
      { key: 'c1', parent: 'p1', n: 50 },
      { key: 'c2', parent: 'p1', n: 40 },
    ];
    expect([...hiddenUnits(units, K)].sort()).to.deep.equal(['c1', 'c2', 'p1', 'p2']);
  });

  it('hides forced units and their parts whatever their n', () => {
    const units: GateUnit[] = [
      { key: 'f', n: 100 },
      { key: 'p1', parent: 'f', n: 60 },
      { key: 'p2', parent: 'f', n: 40 },
      { key: 'c1', parent: 'p2', n: 40 },
    ];
    expect([...hiddenUnits(units, K, ['p2'])].sort()).to.deep.equal(['c1', 'p2']);
  });

  it('property: in a three-level tree nothing hidden is recovered by subtraction or by adding up parts', () => {
    const tree = fc.array(fc.array(fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 3 }), (faculties, unassignedPerUnit) => {
        const units: GateUnit[] = [];
        const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
        let total = 0;
        faculties.forEach((programmes, f) => {
          let facultyN = unassignedPerUnit;
          programmes.forEach((cohorts, p) => {
            const programmeN = sum(cohorts) + unassignedPerUnit;
            cohorts.forEach((n, c) => units.push({ key: `c${f}.${p}.${c}`, parent: `p${f}.${p}`, n }));
            units.push({ key: `p${f}.${p}`, parent: `f${f}`, n: programmeN });
            facultyN += programmeN;
          });
          units.push({ key: `f${f}`, parent: 'u', n: facultyN });
          total += facultyN;
        });
        units.push({ key: 'u', n: total });
        const hidden = hiddenUnits(units, K);
        const shown = (u: GateUnit) => !hidden.has(u.key) && u.n > 0;
        for (const u of units) {
          if (shown(u)) expect(u.n, u.key).to.be.at.least(K);
          if (u.parent && hidden.has(u.parent)) expect(hidden.has(u.key), `${u.key} is part of a hidden unit`).to.equal(true);
          if (shown(u)) {
            const residue = u.n - sum(units.filter((c) => c.parent === u.key && shown(c)).map((c) => c.n));
            expect(residue === 0 || residue >= K, `${u.key} minus its visible parts leaves ${residue}`).to.equal(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  // A random three-level tree (faculties → programmes → cohorts) with, per unit, its respondents and how
  // many of them answered one item (never more than the unit's respondents, summed up from the cohorts).
  const figureTree = fc.array(fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
  function buildTree(faculties: [number, number][][][]) {
    const units: TreeUnit[] = [{ key: 'u', level: 'university' }];
    const n = new Map<string, number>([['u', 0]]);
    const answered = new Map<string, number>([['u', 0]]);
    const add = (key: string, by: number, a: number) => {
      n.set(key, (n.get(key) ?? 0) + by);
      answered.set(key, (answered.get(key) ?? 0) + a);
    };
    faculties.forEach((programmes, f) => {
      units.push({ key: `f${f}`, parent: 'u', level: 'faculty' });
      programmes.forEach((cohorts, p) => {
        units.push({ key: `p${f}.${p}`, parent: `f${f}`, level: 'programme' });
        cohorts.forEach(([size, extra], c) => {
          const key = `c${f}.${p}.${c}`;
          units.push({ key, parent: `p${f}.${p}`, level: 'cohort' });
          const a = Math.min(size, extra);
          for (const k of [key, `p${f}.${p}`, `f${f}`, 'u']) add(k, size, a);
        });
      });
    });
    return { units, n: (key: string) => n.get(key) ?? 0, answered: (key: string) => answered.get(key) ?? 0 };
  }
  const sumOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

  it('property: an item gate never shows fewer than k answers, nor a parent minus its visible children below k', () => {
    fc.assert(
      fc.property(figureTree, fc.boolean(), (faculties, sensitive) => {
        const t = buildTree(faculties);
        const hidden = gateUnits(t.units, t.n, K);
        const visible = gateItem({ units: t.units, hidden, k: K, sensitive, answered: t.answered });
        for (const u of t.units) {
          if (!visible(u.key)) continue;
          expect(t.answered(u.key), u.key).to.be.at.least(K);
          expect(hidden.has(u.key), `${u.key} is hidden as a unit`).to.equal(false);
          if (sensitive) expect(u.level === 'university' || u.level === 'faculty', `${u.key}: sensitive below faculty`).to.equal(true);
          const residue = t.answered(u.key) - sumOf(t.units.filter((c) => c.parent === u.key && visible(c.key)).map((c) => t.answered(c.key)));
          expect(residue === 0 || residue >= K, `${u.key} minus its visible parts leaves ${residue} answers`).to.equal(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: a scale index follows the item gate and its alpha needs k complete answers', () => {
    fc.assert(
      fc.property(figureTree, fc.boolean(), fc.integer({ min: 0, max: 10 }), (faculties, sensitive, incomplete) => {
        const t = buildTree(faculties);
        const hidden = gateUnits(t.units, t.n, K);
        const alphaN = (key: string) => Math.max(0, t.answered(key) - incomplete);
        const gate = gateScale({ units: t.units, hidden, k: K, sensitive, indexN: t.answered, alphaN });
        const asItem = gateItem({ units: t.units, hidden, k: K, sensitive, answered: t.answered });
        for (const u of t.units) {
          const g = gate(u.key);
          expect(g.index, u.key).to.equal(asItem(u.key));
          if (g.alpha) expect(g.index && alphaN(u.key) >= K, u.key).to.equal(true);
          if (g.index && alphaN(u.key) >= K) expect(g.alpha, u.key).to.equal(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('shows comments only for a visible unit with at least k respondents, and sensitive ones only at faculty level and above', () => {
    const faculty: TreeUnit = { key: 'f', parent: 'u', level: 'faculty' };
    const programme: TreeUnit = { key: 'p', parent: 'f', level: 'programme' };
    expect(gateComments({ unit: faculty, hidden: new Set(), respondents: K, k: K })).to.deep.equal({ shown: true, sensitiveShown: true });
    expect(gateComments({ unit: programme, hidden: new Set(), respondents: 40, k: K })).to.deep.equal({ shown: true, sensitiveShown: false });
    expect(gateComments({ unit: faculty, hidden: new Set(), respondents: K - 1, k: K }).shown).to.equal(false);
    expect(gateComments({ unit: programme, hidden: new Set(['p']), respondents: 40, k: K }).shown).to.equal(false);
  });

  it('withholds from publication a group whose known response rate is below 50 %', () => {
    const withheld = withheldForPublication([
      { key: 'a', suppressed: false, rate: 0.49 },
      { key: 'b', suppressed: false, rate: 0.5 },
      { key: 'c', suppressed: false, rate: null },
      { key: 'd', suppressed: true, rate: 0.1 },
    ]);
    expect([...withheld]).to.deep.equal(['a']);
  });
});
