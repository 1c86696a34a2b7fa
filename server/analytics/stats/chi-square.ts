// Pearson chi-square test of independence on an r × c table of counts, with Cramér's V and a small-expected-count flag.
import { chiSquareSf } from './distributions.js';
import { assertCount } from './validate.js';

export interface ChiSquareResult {
  /** Grand total. */
  n: number;
  /** Indexes of the input rows and columns used: all-zero rows and columns are left out. */
  rows: number[];
  columns: number[];
  /** Σ (O − E)² / E, without continuity correction. */
  statistic: number;
  /** (r − 1)(c − 1) over the rows and columns used. */
  df: number;
  p: number;
  /** √(χ² / (n · min(r − 1, c − 1))), 0..1. */
  cramersV: number;
  /** Expected counts Rᵢ·Cⱼ/n of the rows and columns used. */
  expected: number[][];
  minExpected: number;
  /** Cells with an expected count below 5, and their share of all cells. */
  cellsExpectedBelow5: number;
  shareExpectedBelow5: number;
  /** True when any expected count is below 5: the chi-square approximation may be poor. */
  lowExpected: boolean;
}

/** Chi-square test of independence. Returns null when fewer than two non-empty rows or columns remain. */
export function chiSquareIndependence(table: readonly (readonly number[])[]): ChiSquareResult | null {
  const width = table[0]?.length ?? 0;
  for (const row of table) {
    if (row.length !== width) throw new RangeError('every row of the table needs the same number of columns');
    for (const c of row) assertCount('cell count', c);
  }
  const rowTotals = table.map((row) => row.reduce((s, c) => s + c, 0));
  const columnTotals = Array.from({ length: width }, (_, j) => table.reduce((s, row) => s + (row[j] as number), 0));
  const rows = rowTotals.flatMap((t, i) => (t > 0 ? [i] : []));
  const columns = columnTotals.flatMap((t, j) => (t > 0 ? [j] : []));
  if (rows.length < 2 || columns.length < 2) return null;
  const n = rowTotals.reduce((s, t) => s + t, 0);
  let statistic = 0;
  let minExpected = Infinity;
  let cellsExpectedBelow5 = 0;
  const expected = rows.map((i) =>
    columns.map((j) => {
      const e = ((rowTotals[i] as number) * (columnTotals[j] as number)) / n;
      const o = (table[i] as readonly number[])[j] as number;
      statistic += ((o - e) * (o - e)) / e;
      minExpected = Math.min(minExpected, e);
      if (e < 5) cellsExpectedBelow5++;
      return e;
    }),
  );
  const df = (rows.length - 1) * (columns.length - 1);
  const cells = rows.length * columns.length;
  return {
    n,
    rows,
    columns,
    statistic,
    df,
    p: chiSquareSf(statistic, df),
    cramersV: Math.min(1, Math.sqrt(statistic / (n * Math.min(rows.length - 1, columns.length - 1)))),
    expected,
    minExpected,
    cellsExpectedBelow5,
    shareExpectedBelow5: cellsExpectedBelow5 / cells,
    lowExpected: cellsExpectedBelow5 > 0,
  };
}
