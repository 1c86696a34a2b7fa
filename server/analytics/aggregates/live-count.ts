// The exact number of stored responses of a campaign, and of them per day: the aggregate documents plus
// this process's stored responses whose increments are not flushed yet (other processes' arrive with their
// flush), so the count and the days always add up. If a flush lands while the document is read, read again.
import { readLiveTotals, type LiveTotals } from './store.js';
import type { AggregateWriter } from './writer.js';

export async function liveCount(writer: AggregateWriter, campaign: string): Promise<LiveTotals> {
  for (;;) {
    const generation = writer.generation(campaign);
    const unflushed = writer.unflushedResponses(campaign);
    const unflushedDays = writer.unflushedByDay(campaign);
    const totals = await readLiveTotals(campaign);
    if (writer.generation(campaign) !== generation) continue;
    const days = { ...totals.days };
    for (const [day, n] of unflushedDays) days[day] = (days[day] ?? 0) + n;
    return { ...totals, n: totals.n + unflushed, days };
  }
}
