// Coalesces aggregate increments for a short interval and writes them as $inc by _id. Each campaign is
// marked dirty (persisted) BEFORE a response is stored and marked clean only after its increments are
// flushed, so a crash in between is repaired by a recompute at start-up.
import type { Logger } from 'pino';
import { randomBase32 } from '../../lib/ids.js';
import { segmentUnits, type Segment } from '../../responses/segment.js';
import { addToSegment, aggregateId, type SegmentTotals, type UnitIncrements } from './increments.js';
import { Aggregate, AGGREGATE_FORMAT, AggregateState } from './store.js';

export const FLUSH_INTERVAL_MS = 500;
/** A campaign's dirty mark is cleared only after this long without new writes (fewer writes under load). */
export const CLEAN_AFTER_IDLE_MS = 2_000;

type StoredListener = (campaign: string) => void;
/** Awaited before a flush resolves, so what depends on the written counters (released figures) is current. */
type FlushListener = (campaign: string) => Promise<void> | void;
type PendingDoc = Map<string, Map<string, Map<string, number>>>;

/** campaign → segment key → totals */
type PendingSegments = Map<string, SegmentTotals>;


function add(byDoc: PendingDoc, id: string, unit: string, path: string, by: number): void {
  let units = byDoc.get(id);
  if (!units) byDoc.set(id, (units = new Map()));
  let paths = units.get(unit);
  if (!paths) units.set(unit, (paths = new Map()));
  paths.set(path, (paths.get(path) ?? 0) + by);
}

/** The pending totals as aggregate documents: aggregate _id → unit ('' for document fields) → path → amount. */
function byDocument(campaign: string, segments: PendingSegments): PendingDoc {
  const byDoc: PendingDoc = new Map();
  for (const { segment, paths, days } of segments.values()) {
    // Responses per day for the campaign as a whole (the response-rate-over-time chart).
    for (const [day, n] of days) add(byDoc, aggregateId(campaign, 'university'), '', `days.${day}`, n);
    for (const unit of segmentUnits(segment)) {
      const id = aggregateId(campaign, unit.level);
      for (const [path, by] of paths) add(byDoc, id, unit.id, path, by);
    }
  }
  return byDoc;
}

/** The $inc document for one aggregate: "units.<unit>.<path>" (or the bare path for document fields). */
function incrementsOf(units: Map<string, Map<string, number>>): Record<string, number> {
  const inc: Record<string, number> = {};
  for (const [unit, paths] of units) for (const [path, by] of paths) inc[unit ? `units.${unit}.${path}` : path] = by;
  return inc;
}

export interface AggregateWriterOptions {
  logger?: Logger;
  /** Rebuilds a campaign's aggregates from its responses (recompute.ts), when a write's outcome is unknown. */
  rebuild?: (campaign: string) => Promise<unknown>;
}

/**
 * One per process (built with the app's services): the in-memory coalescing of increments. The database
 * is the truth; several processes may each run one against the same MongoDB.
 */
export class AggregateWriter {
  /** campaign → increments not yet written, per segment */
  private pending = new Map<string, PendingSegments>();
  /** Campaigns marked dirty in the database and not yet cleaned. */
  private dirty = new Set<string>();
  /** Responses accepted but not yet queued (insert in flight), per campaign. */
  private inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private listeners: FlushListener[] = [];
  private storedListeners: StoredListener[] = [];
  /** Responses stored whose increments are not yet written (queued, and being written). */
  private unflushed = new Map<string, number>();
  private writing = new Map<string, number>();
  /** The same responses per day, so a live count and its responses per day always add up. */
  private unflushedDays = new Map<string, Map<string, number>>();
  private writingDays = new Map<string, Map<string, number>>();
  /** Bumped after each aggregate write of a campaign, so a reader can tell that the database moved. */
  private generations = new Map<string, number>();
  private paused = new Set<string>();
  private readonly logger: Logger | undefined;
  private readonly rebuilder: ((campaign: string) => Promise<unknown>) | undefined;

  constructor(options: AggregateWriterOptions = {}) {
    this.logger = options.logger;
    this.rebuilder = options.rebuild;
  }

  /** Called as soon as responses are stored (before their increments are flushed). */
  onStored(listener: StoredListener): () => void {
    this.storedListeners.push(listener);
    return () => (this.storedListeners = this.storedListeners.filter((l) => l !== listener));
  }

  /** Stored responses of this process not yet counted in the aggregate documents. */
  unflushedResponses(campaign: string): number {
    return (this.unflushed.get(campaign) ?? 0) + (this.writing.get(campaign) ?? 0);
  }

  /** The same responses per day (those stored with a day). */
  unflushedByDay(campaign: string): Map<string, number> {
    const days = new Map<string, number>();
    for (const from of [this.unflushedDays.get(campaign), this.writingDays.get(campaign)]) for (const [day, n] of from ?? []) days.set(day, (days.get(day) ?? 0) + n);
    return days;
  }

  /** Moves a campaign's per-day counts from one map to the other (queued → being written, or back). */
  private moveDays(from: Map<string, Map<string, number>>, to: Map<string, Map<string, number>>, campaign: string): void {
    const moving = from.get(campaign);
    from.delete(campaign);
    if (!moving) return;
    const into = to.get(campaign) ?? new Map<string, number>();
    for (const [day, n] of moving) into.set(day, (into.get(day) ?? 0) + n);
    to.set(campaign, into);
  }

  generation(campaign: string): number {
    return this.generations.get(campaign) ?? 0;
  }

  onFlushed(listener: FlushListener): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  /** Campaigns being recomputed: new writes wait until the rebuild is done. */
  private locks = new Map<string, Promise<void>>();

  /** Call before storing responses of a campaign: waits out a recompute, then persists the dirty mark once. */
  async beginWrite(campaign: string, count: number): Promise<void> {
    for (let lock = this.locks.get(campaign); lock; lock = this.locks.get(campaign)) await lock;
    this.inFlight.set(campaign, (this.inFlight.get(campaign) ?? 0) + count);
    if (this.dirty.has(campaign)) return;
    this.dirty.add(campaign);
    await AggregateState.updateOne({ _id: campaign }, { $set: { dirty: true }, $setOnInsert: { format: AGGREGATE_FORMAT } }, { upsert: true });
  }

  /** Call after the store: queues the increments of the responses that were stored. */
  endWrite(campaign: string, count: number, stored: { segment: Segment; day?: string; increments: UnitIncrements }[]): void {
    this.inFlight.set(campaign, (this.inFlight.get(campaign) ?? count) - count);
    let segments = this.pending.get(campaign);
    if (!segments) this.pending.set(campaign, (segments = new Map()));
    // Summed per segment here (one map update per counter); spread over the levels once per flush.
    for (const { segment, day, increments } of stored) addToSegment(segments, segment, increments, day);
    if (stored.length) {
      this.unflushed.set(campaign, (this.unflushed.get(campaign) ?? 0) + stored.length);
      const days = this.unflushedDays.get(campaign) ?? new Map<string, number>();
      for (const { day } of stored) if (day) days.set(day, (days.get(day) ?? 0) + 1);
      this.unflushedDays.set(campaign, days);
      for (const listener of this.storedListeners) listener(campaign);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_INTERVAL_MS);
  }

  /** Writes everything pending; resolves when the database has it. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce()).catch((err: unknown) => {
      this.logger?.error({ err }, 'aggregate flush failed; will retry');
      this.schedule();
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const batch = [...this.pending.entries()].filter(([campaign]) => !this.paused.has(campaign));
    for (const [campaign] of batch) {
      this.pending.delete(campaign);
      this.writing.set(campaign, (this.writing.get(campaign) ?? 0) + (this.unflushed.get(campaign) ?? 0));
      this.unflushed.delete(campaign);
      this.moveDays(this.unflushedDays, this.writingDays, campaign);
    }
    for (const [campaign, segments] of batch) {
      try {
        // The university document goes last and carries the new stamp in the same update, so a reader that
        // sees the stamp sees every counter it covers (caches key on it) at no extra document write.
        const university = aggregateId(campaign, 'university');
        const docs = [...byDocument(campaign, segments).entries()].sort(([a], [b]) => Number(a === university) - Number(b === university));
        await Aggregate.bulkWrite(
          docs.map(([id, units]) => ({
            updateOne: {
              filter: { _id: id },
              update: { $inc: incrementsOf(units), $setOnInsert: { campaign, level: id.split('|')[1] }, ...(id === university ? { $set: { stamp: randomBase32(12) } } : {}) },
              upsert: true,
            },
          })),
          { ordered: true },
        );
      } catch (err) {
        // Part of an ordered bulk write may have been applied before it failed (a lost connection does
        // not say how much): retrying it could count twice. Drop these increments and rebuild the
        // campaign from its responses as soon as the database answers again.
        this.unflushed.set(campaign, (this.unflushed.get(campaign) ?? 0) + (this.writing.get(campaign) ?? 0));
        this.writing.delete(campaign);
        this.moveDays(this.writingDays, this.unflushedDays, campaign);
        this.scheduleRebuild(campaign);
        this.logger?.error({ err, campaign }, 'aggregate flush failed; the campaign will be rebuilt from its responses');
        continue; // the other campaigns of this flush still get written
      }
      this.writing.delete(campaign);
      this.writingDays.delete(campaign);
      this.generations.set(campaign, this.generation(campaign) + 1);
      await this.notifyFlushed(campaign);
      this.scheduleClean(campaign);
    }
  }

  private cleanTimers = new Map<string, NodeJS.Timeout>();

  /** On a graceful stop: write what is pending and mark every idle campaign clean. */
  async settle(): Promise<void> {
    await this.flush();
    for (const campaign of [...this.rebuilding]) {
      try {
        await this.rebuilder?.(campaign);
        this.rebuilding.delete(campaign);
      } catch (err) {
        this.logger?.warn({ err, campaign }, 'rebuild at shutdown failed; it runs at the next start');
      }
    }
    for (const campaign of [...this.dirty]) {
      if (this.pending.has(campaign) || (this.inFlight.get(campaign) ?? 0) || this.rebuilding.has(campaign)) continue;
      clearTimeout(this.cleanTimers.get(campaign));
      this.dirty.delete(campaign);
      await AggregateState.updateOne({ _id: campaign }, { $set: { dirty: false } }, { upsert: true });
    }
  }

  /** Marks the campaign clean once it has been idle for a while and everything is flushed. */
  private scheduleClean(campaign: string): void {
    clearTimeout(this.cleanTimers.get(campaign));
    const timer = setTimeout(() => {
      this.cleanTimers.delete(campaign);
      if (this.pending.has(campaign) || (this.inFlight.get(campaign) ?? 0) || !this.dirty.has(campaign) || this.rebuilding.has(campaign)) return;
      this.dirty.delete(campaign);
      void AggregateState.updateOne({ _id: campaign }, { $set: { dirty: false } }, { upsert: true }).catch((err: unknown) => {
        this.dirty.add(campaign); // stays dirty: a recompute at start-up is harmless
        this.logger?.warn({ err }, 'could not mark aggregates clean');
      });
    }, CLEAN_AFTER_IDLE_MS);
    timer.unref();
    this.cleanTimers.set(campaign, timer);
  }

  private async notifyFlushed(campaign: string): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(campaign);
      } catch (err) {
        this.logger?.error({ err, campaign }, 'a listener of aggregate flushes failed');
      }
    }
  }

  private rebuilding = new Set<string>();

  /** A write's outcome is unknown (a lost connection): rebuild the campaign when the database answers. */
  needsRebuild(campaign: string): void {
    this.scheduleRebuild(campaign);
  }

  private scheduleRebuild(campaign: string): void {
    if (this.rebuilding.has(campaign)) return;
    this.rebuilding.add(campaign);
    const attempt = (delay: number) => {
      const timer = setTimeout(() => {
        if (!this.rebuilder) return this.rebuilding.delete(campaign);
        this.rebuilder(campaign).then(
          () => this.rebuilding.delete(campaign),
          (err: unknown) => {
            this.logger?.warn({ err, campaign }, 'aggregate rebuild failed; retrying');
            attempt(Math.min(10_000, delay * 2));
          },
        );
      }, delay);
      timer.unref();
    };
    attempt(500);
  }

  /**
   * Runs `rebuild` with the campaign's writes held: new writes wait, writes in flight finish first, and
   * increments not yet flushed are dropped because the rebuild reads the responses they came from.
   */
  async exclusively<T>(campaign: string, rebuild: () => Promise<T>): Promise<T> {
    for (let lock = this.locks.get(campaign); lock; lock = this.locks.get(campaign)) await lock;
    let release!: () => void;
    this.locks.set(campaign, new Promise<void>((resolve) => (release = resolve)));
    this.paused.add(campaign);
    try {
      while ((this.inFlight.get(campaign) ?? 0) > 0) await new Promise((r) => setTimeout(r, 5));
      await this.flushing;
      this.pending.delete(campaign);
      this.unflushed.delete(campaign);
      this.unflushedDays.delete(campaign);
      const result = await rebuild();
      this.generations.set(campaign, this.generation(campaign) + 1);
      this.dirty.delete(campaign);
      return result;
    } finally {
      this.paused.delete(campaign);
      this.locks.delete(campaign);
      release();
      await this.notifyFlushed(campaign);
    }
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }
}

