// Sorting many rows without holding the event loop: one sort of 100,000 response-level rows takes about
// half a second, during which no submission or page would be answered. The rows are sorted in runs of a
// few thousand with the event loop let in between, and the runs merged one row at a time as the file is
// written (whose writer lets the event loop in itself).
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Rows per run: a sort of this many takes a few milliseconds. */
export const RUN_LENGTH = 4096;

/** Sorts `items` into sorted runs of at most `runLength` items, letting the event loop run between runs; `items` is emptied. */
export async function sortInRuns<T>(items: T[], compare: (a: T, b: T) => number, runLength = RUN_LENGTH): Promise<T[][]> {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += runLength) {
    runs.push(items.slice(i, i + runLength).sort(compare));
    await nextTurn();
  }
  items.length = 0;
  return runs;
}

/** The items of sorted runs in order (a k-way merge over a binary heap of the runs' heads); each is let go once handed out. */
export function* mergeRuns<T>(runs: (T | undefined)[][], compare: (a: T, b: T) => number): Generator<T> {
  const at = runs.map(() => 0);
  const heap = runs.flatMap((run, i) => (run.length ? [i] : []));
  const before = (a: number, b: number) => compare(runs[a]![at[a]!]!, runs[b]![at[b]!]!) < 0;
  const down = (from: number) => {
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length) {
    const r = heap[0]!;
    const run = runs[r]!;
    const item = run[at[r]!]!;
    run[at[r]!] = undefined;
    if (++at[r]! === run.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
    yield item;
  }
}
