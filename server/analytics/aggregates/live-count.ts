// The exact number of stored responses of a campaign: the aggregate documents plus this process's
// stored responses whose increments are not flushed yet (other processes' arrive with their flush).
// If a flush lands while the document is read, read again.
import { readLiveTotals, type LiveTotals } from './store.js';
import type { AggregateWriter } from './writer.js';

export async function liveCount(writer: AggregateWriter, campaign: string): Promise<LiveTotals> {
  for (;;) {
    const generation = writer.generation(campaign);
    const unflushed = writer.unflushedResponses(campaign);
    const totals = await readLiveTotals(campaign);
    if (writer.generation(campaign) === generation) return { ...totals, n: totals.n + unflushed };
  }
}
