// Sorting in runs and merging them (server/reports/sorted-runs.ts), as the response-level export sorts its
// rows without holding the event loop: the same order as one sort, whatever the lengths of the runs.
import { expect } from 'chai';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { mergeRuns, sortInRuns } from '../../server/reports/sorted-runs.js';
import { seededRandom } from '../../server/demo/synthetic.js';

interface Row {
  rank: number;
  key: string;
}
const compare = (a: Row, b: Row) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

describe('sorting in runs', () => {
  it('gives the order of one sort for any number of rows and any run length, duplicates included', async () => {
    const random = seededRandom(11);
    for (const count of [0, 1, 2, 7, 100, 1000, 4097]) {
      for (const runLength of [1, 3, 64, 4096]) {
        const rows = Array.from({ length: count }, () => ({ rank: Math.floor(random() * 4), key: String(Math.floor(random() * 50)) }));
        const expected = [...rows].sort(compare);
        const runs = await sortInRuns(rows, compare, runLength);
        expect(rows, 'the input is emptied').to.have.length(0);
        expect(runs).to.have.length(Math.ceil(count / runLength));
        expect([...mergeRuns(runs, compare)], `${count} rows in runs of ${runLength}`).to.deep.equal(expected);
        // Each row is let go as it is handed out.
        expect(runs.flat().filter((r) => r !== undefined)).to.deep.equal([]);
      }
    }
  });

  it('lets the event loop run between runs', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ rank: 0, key: String(9 - i) }));
    let turns = 0;
    const ticking = (async () => {
      for (let i = 0; i < 20; i++, turns++) await nextTurn();
    })();
    const runs = await sortInRuns(rows, compare, 2);
    expect(runs).to.have.length(5);
    expect(turns, 'other work ran while the runs were sorted').to.be.greaterThan(2);
    await ticking;
  });
});
