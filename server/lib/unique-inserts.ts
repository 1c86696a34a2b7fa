// Group-committed unique inserts: "exactly once" records (a claim, a spent mark) inserted with a unique _id,
// the one atomic primitive on the embedded store (DATASTORE.md). Inserts to one collection that arrive while
// a write to it is in flight are gathered, shuffled and sent as one insertMany with ordered: false; E11000
// on a document tells its caller "already there". One round trip for a burst instead of one per request,
// and within a batch the storage order says nothing about the order of arrival.
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { shuffle } from './shuffle.js';

const MAX_BATCH = 500;

interface Pending {
  doc: Document;
  resolve: (inserted: boolean) => void;
  reject: (err: unknown) => void;
}

interface Queue {
  collection: Collection;
  pending: Pending[];
  writing: boolean;
}

/** One per process (services.ts): the queues are per collection name. */
export class UniqueInserts {
  private readonly queues = new Map<string, Queue>();

  /** Inserts `doc`: true when stored now, false when a document with its _id was there (E11000). */
  insert<T extends Document>(collection: Collection<T>, doc: OptionalUnlessRequiredId<T>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(collection.collectionName);
      if (!queue) this.queues.set(collection.collectionName, (queue = { collection: collection as unknown as Collection, pending: [], writing: false }));
      queue.pending.push({ doc: doc as Document, resolve, reject });
      if (!queue.writing) void this.drain(collection.collectionName, queue);
    });
  }

  private async drain(name: string, queue: Queue): Promise<void> {
    queue.writing = true;
    try {
      while (queue.pending.length) await this.write(queue.collection, shuffle(queue.pending.splice(0, MAX_BATCH)));
    } finally {
      queue.writing = false;
      if (this.queues.get(name) === queue && !queue.pending.length) this.queues.delete(name);
    }
  }

  private async write(collection: Collection, batch: Pending[]): Promise<void> {
    try {
      await collection.insertMany(
        batch.map((p) => p.doc),
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
