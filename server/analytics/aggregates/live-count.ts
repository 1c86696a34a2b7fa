// The exact number of stored responses of a campaign: the aggregate documents plus this process's
// stored responses whose increments are not flushed yet (other processes' arrive with their flush).
// If a flush lands while the document is read, read again.
import { readLiveTotals } from './store.js';
import { aggregateWriter } from './writer.js';

export async function liveCount(campaign: string): Promise<{ n: number; days: Record<string, number> }> {
  for (;;) {
    const generation = aggregateWriter.generation(campaign);
    const unflushed = aggregateWriter.unflushedResponses(campaign);
    const totals = await readLiveTotals(campaign);
    if (aggregateWriter.generation(campaign) === generation) return { n: totals.n + unflushed, days: totals.days };
  }
}
