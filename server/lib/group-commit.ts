// Group commit for writes by _id that many requests make at once: writes to one collection that arrive
// while a write to it is in flight are gathered, shuffled and sent as ONE command (insertMany, ordered:
// false). On the embedded store every command is a round trip through a one-connection
// pool (DATASTORE.md), so a burst costs one round trip instead of one per request; and within a batch the
// storage order says nothing about the order of arrival.
// UniqueInserts: "exactly once" records (a credential's issuance claim) inserted with a unique _id, the one
// atomic primitive on the embedded store; E11000 on a document tells its caller "already there".
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { shuffle } from './shuffle.js';

const MAX_BATCH = 500;

interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (err: unknown) => void;
}

interface Queue<Item, Result> {
  collection: Collection;
  pending: Pending<Item, Result>[];
  writing: boolean;
}

/** Per collection name: one write in flight, the next batch gathering behind it. */
abstract class GroupCommit<Item, Result> {
  private readonly queues = new Map<string, Queue<Item, Result>>();

  protected enqueue(collection: Collection, item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(collection.collectionName);
      if (!queue) this.queues.set(collection.collectionName, (queue = { collection, pending: [], writing: false }));
      queue.pending.push({ item, resolve, reject });
      if (!queue.writing) void this.drain(collection.collectionName, queue);
    });
  }

  private async drain(name: string, queue: Queue<Item, Result>): Promise<void> {
    queue.writing = true;
    try {
      while (queue.pending.length) await this.write(queue.collection, shuffle(queue.pending.splice(0, MAX_BATCH)));
    } finally {
      queue.writing = false;
      if (this.queues.get(name) === queue && !queue.pending.length) this.queues.delete(name);
    }
  }

  /** Writes one batch and settles every one of its promises (never throws). */
  protected abstract write(collection: Collection, batch: Pending<Item, Result>[]): Promise<void>;
}

/** One per process (services.ts): the queues are per collection name. */
export class UniqueInserts extends GroupCommit<Document, boolean> {
  /** Inserts `doc`: true when stored now, false when a document with its _id was there (E11000). */
  insert<T extends Document>(collection: Collection<T>, doc: OptionalUnlessRequiredId<T>): Promise<boolean> {
    return this.enqueue(collection as unknown as Collection, doc as Document);
  }

  protected async write(collection: Collection, batch: Pending<Document, boolean>[]): Promise<void> {
    try {
      await collection.insertMany(
        batch.map((p) => p.item),
        { ordered: false },
      );
      for (const p of batch) p.resolve(true);
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (!list.length || !list.every((e) => e.code === 11000)) {
        for (const p of batch) p.reject(err);
        return;
      }
      const taken = new Set(list.map((e) => e.index));
      batch.forEach((p, i) => p.resolve(!taken.has(i)));
    }
  }
}
