// Mid-ranks (average ranks for ties) of a pooled sample and the tie term Σ(t³ − t) used by the rank tests.

export interface Ranking {
  /** ranks[i] is the 1-based mid-rank of values[i]. */
  ranks: number[];
  /** Σ (t³ − t) over groups of t tied values. */
  tieTerm: number;
}

/** Rank values in ascending order; tied values share the mean of the ranks they span. */
export function midRanks(values: readonly number[]): Ranking {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length).fill(0);
  let tieTerm = 0;
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end] as number] === values[order[start] as number]) end++;
    const t = end - start;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let j = start; j < end; j++) ranks[order[j] as number] = rank;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}
