// The gate of the response-level export (server/reports/response-gate.ts), attacked as THREATS.md A2 asks:
// whatever the tree and the answers, the rows labelled with one group, and the rows of one group that show
// one answer, are never fewer than k — so no row set, and no difference of a group's rows and its parts'
// rows, describes fewer than k people — and nothing is shown that the dashboard hides.
import { expect } from 'chai';
import fc from 'fast-check';
import { belowFaculty, gateItem, gateUnits, type TreeUnit } from '../../server/analytics/suppression.js';
import { responseGate } from '../../server/reports/response-gate.js';

const K = 5;

interface Row {
  /** University first, then as deep as the response named its group. */
  path: string[];
  /** Which items it answered (as the item's figure counts its n). */
  answered: boolean[];
}

const ITEMS = 3;

/** A tree of faculties → programmes → cohorts and responses at any depth, small groups included. */
const worldArb = fc
  .array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
  .chain((faculties) => {
    const units: TreeUnit[] = [{ key: 'u', level: 'university' }];
    const leaves: string[][] = [['u']];
    faculties.forEach((programmes, f) => {
      units.push({ key: `f${f}`, parent: 'u', level: 'faculty' });
      leaves.push(['u', `f${f}`]);
      programmes.forEach((cohorts, p) => {
        units.push({ key: `f${f}p${p}`, parent: `f${f}`, level: 'programme' });
        leaves.push(['u', `f${f}`, `f${f}p${p}`]);
        for (let c = 0; c < cohorts; c++) {
          units.push({ key: `f${f}p${p}c${c}`, parent: `f${f}p${p}`, level: 'cohort' });
          leaves.push(['u', `f${f}`, `f${f}p${p}`, `f${f}p${p}c${c}`]);
        }
      });
    });
    // Responses in few leaves (so many groups are small), each answering each item or not.
    const row = fc.record({ leaf: fc.integer({ min: 0, max: leaves.length - 1 }), answered: fc.array(fc.boolean(), { minLength: ITEMS, maxLength: ITEMS }) });
    return fc.tuple(fc.constant(units), fc.constant(leaves), fc.array(row, { minLength: 0, maxLength: 90 }), fc.array(fc.boolean(), { minLength: ITEMS, maxLength: ITEMS }));
  })
  .map(([units, leaves, raw, sensitive]) => ({ units, rows: raw.map((r) => ({ path: leaves[r.leaf]!, answered: r.answered })) as Row[], sensitive }));

function gateOf(units: TreeUnit[], rows: Row[], sensitive: boolean[]) {
  const n = new Map<string, number>();
  const answered = Array.from({ length: ITEMS }, () => new Map<string, number>());
  for (const r of rows)
    for (const key of r.path) {
      n.set(key, (n.get(key) ?? 0) + 1);
      r.answered.forEach((a, i) => a && answered[i]!.set(key, (answered[i]!.get(key) ?? 0) + 1));
    }
  const items = sensitive.map((s, i) => ({ id: `x${i}`, sensitive: s, answered: (key: string) => answered[i]!.get(key) ?? 0 }));
  const gate = responseGate({ units, n: (key) => n.get(key) ?? 0, k: K, items });
  return { gate, n, answered, items };
}

describe('the response-level export gate', () => {
  it('labels no set of rows with fewer than k, and shows no answer of fewer than k in one group', () => {
    fc.assert(
      fc.property(worldArb, ({ units, rows, sensitive }) => {
        const { gate, n, items } = gateOf(units, rows, sensitive);
        const dashboardHidden = gateUnits(units, (key) => n.get(key) ?? 0, K);
        const labelled = new Map<string, Row[]>();
        for (const r of rows) {
          const label = gate.labelOf(r.path);
          if (label) labelled.set(label, [...(labelled.get(label) ?? []), r]);
        }
        for (const [label, own] of labelled) {
          // A label names at least k responses, and only a group the dashboard shows.
          expect(own.length, `rows labelled ${label}`).to.be.at.least(K);
          expect(dashboardHidden.has(label), `${label} is hidden on the dashboard`).to.equal(false);
          const unit = units.find((u) => u.key === label)!;
          if (sensitive.some(Boolean)) expect(belowFaculty(unit), `${label} is below faculty in an instrument with sensitive questions`).to.equal(false);
          for (const [i, item] of items.entries()) {
            if (!gate.shownItems(label).has(item.id)) continue;
            // The answers shown in these rows: the dashboard shows this question for the group…
            const visible = gateItem({ units, hidden: dashboardHidden, k: K, sensitive: item.sensitive, answered: item.answered });
            expect(visible(label), `${item.id} is hidden at ${label} on the dashboard`).to.equal(true);
            // …and they are 0 or at least k answers: the group's rows minus its parts' rows reveal no fewer.
            const shownAnswers = own.filter((r) => r.answered[i]).length;
            expect(shownAnswers === 0 || shownAnswers >= K, `${shownAnswers} answers to ${item.id} in rows labelled ${label}`).to.equal(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('labels a row with the deepest group shown on its path, and leaves it out when even the top is hidden', () => {
    const units: TreeUnit[] = [
      { key: 'u', level: 'university' },
      { key: 'f', parent: 'u', level: 'faculty' },
      { key: 'p1', parent: 'f', level: 'programme' },
      { key: 'p2', parent: 'f', level: 'programme' },
      { key: 'p3', parent: 'f', level: 'programme' },
    ];
    // The reference case: a programme of 3 beside one of 18 and one of 9 — the 3 are hidden, and so is the
    // 9 (the faculty minus the visible programmes would otherwise be the 3).
    const rows: Row[] = [
      ...Array.from({ length: 18 }, () => ({ path: ['u', 'f', 'p1'], answered: [true, true, true] })),
      ...Array.from({ length: 3 }, () => ({ path: ['u', 'f', 'p2'], answered: [true, true, true] })),
      ...Array.from({ length: 9 }, () => ({ path: ['u', 'f', 'p3'], answered: [true, true, true] })),
    ];
    const { gate } = gateOf(units, rows, [false, false, false]);
    expect(gate.labelOf(['u', 'f', 'p1'])).to.equal('p1');
    expect(gate.labelOf(['u', 'f', 'p2'])).to.equal('f');
    expect(gate.labelOf(['u', 'f', 'p3'])).to.equal('f');
    expect([...gate.shownItems('f')].sort()).to.deep.equal(['x0', 'x1', 'x2']);

    const tiny = gateOf(units, rows.slice(0, 3), [false, false, false]).gate;
    expect(tiny.labelOf(['u', 'f', 'p1'])).to.equal(undefined);
  });

  it('labels the rows of an instrument with sensitive questions by faculty at most', () => {
    const units: TreeUnit[] = [
      { key: 'u', level: 'university' },
      { key: 'f', parent: 'u', level: 'faculty' },
      { key: 'p', parent: 'f', level: 'programme' },
    ];
    const rows: Row[] = Array.from({ length: 40 }, () => ({ path: ['u', 'f', 'p'], answered: [true, true, true] }));
    const { gate } = gateOf(units, rows, [true, false, false]);
    expect(gate.labelOf(['u', 'f', 'p'])).to.equal('f');
    expect([...gate.shownItems('f')].sort()).to.deep.equal(['x0', 'x1', 'x2']);
    expect(gate.shownItems('p').size).to.equal(0);
  });

  it('leaves an answer out of a group whose part shows that question hidden (its parts would reveal it)', () => {
    const units: TreeUnit[] = [
      { key: 'u', level: 'university' },
      { key: 'f', parent: 'u', level: 'faculty' },
      { key: 'p1', parent: 'f', level: 'programme' },
      { key: 'p2', parent: 'f', level: 'programme' },
    ];
    // p1: 15 responses, 13 answer x0; p2: 5 responses, 2 answer x0 — x0 is hidden in both programmes.
    const rows: Row[] = [
      ...Array.from({ length: 15 }, (_, i) => ({ path: ['u', 'f', 'p1'], answered: [i < 13, true, true] })),
      ...Array.from({ length: 5 }, (_, i) => ({ path: ['u', 'f', 'p2'], answered: [i < 2, true, true] })),
    ];
    const { gate } = gateOf(units, rows, [false, false, false]);
    expect(gate.labelOf(['u', 'f', 'p1'])).to.equal('p1');
    expect(gate.labelOf(['u', 'f', 'p2'])).to.equal('p2');
    expect(gate.shownItems('p1').has('x0')).to.equal(false);
    expect(gate.shownItems('p2').has('x0')).to.equal(false);
    expect(gate.shownItems('p1').has('x1')).to.equal(true);
  });
});
