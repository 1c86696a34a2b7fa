// The mongoose connection. On the embedded store the pool is ONE connection: FerretDB v1 runs updates
// without isolation, and a single connection serialises them (see shared DATASTORE.md, measured:
// 2,000 parallel $inc keep 45 with a pool of 100, 2,000 with a pool of 1). Long scans of responses read on
// a second one (scanDatabase).
import type { Db } from 'mongodb';
import mongoose from 'mongoose';

export interface ConnectOptions {
  uri: string;
  /** True when talking to the embedded FerretDB: forces maxPoolSize 1. */
  embedded: boolean;
}

export function connectionOptions(embedded: boolean): mongoose.ConnectOptions {
  return {
    maxPoolSize: embedded ? 1 : 50,
    serverSelectionTimeoutMS: 5_000,
    // Keep commands from queueing forever while the database is down: fail fast so callers get a 503.
    bufferCommands: false,
    autoIndex: true,
  };
}

let ferretdb = false;
/**
 * The scans' connection is kept on mongoose's default connection (one per process: mongoose is loaded once)
 * rather than in this module, which a test runner may load twice.
 */
const SCANS = Symbol.for('pikir.db.scans');
type WithScans = { [SCANS]?: mongoose.Connection };
const scansOf = (): mongoose.Connection | undefined => (mongoose.connection as unknown as WithScans)[SCANS];

/** Whether the connected store is a FerretDB (embedded, or reached through MONGODB_URI): it serves one process. */
export const connectedToFerretDB = (): boolean => ferretdb;

export async function connectDatabase(options: ConnectOptions): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  mongoose.set('sanitizeFilter', true);
  // A MONGODB_URI may point at a FerretDB too: it gets the same one-connection pool as the embedded one.
  const embedded = options.embedded || (await isFerretDB(options.uri));
  const connected = await mongoose.connect(options.uri, connectionOptions(embedded));
  ferretdb = embedded;
  (mongoose.connection as unknown as WithScans)[SCANS] = embedded ? await mongoose.createConnection(options.uri, connectionOptions(true)).asPromise() : undefined;
  return connected;
}

/**
 * Where long scans of a campaign's responses read (a recompute, the comments, the response-level export).
 * On a FerretDB they get a second connection of their own: on the one connection every submission's insert
 * waited behind each batch a scan fetched (measured on 20,000 responses: inserts p50 770 ms, max 1.2 s
 * during a scan; 10 ms and 0.2–0.3 s with the scan on its own connection). A read needs no serialising —
 * only updates do — so the one connection that makes updates atomic stays the only one that writes. On
 * MongoDB the pool already runs them side by side. Nothing but reads may go through this.
 */
export function scanDatabase(): Db {
  const scans = scansOf();
  const own = scans?.readyState === mongoose.ConnectionStates.connected ? scans.db : undefined;
  const db = own ?? mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db;
}

/** FerretDB answers buildInfo with a ferretdb field; MongoDB does not. */
export async function isFerretDB(uri: string): Promise<boolean> {
  const probe = mongoose.createConnection(uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 });
  try {
    await probe.asPromise();
    const info = (await probe.db!.admin().command({ buildInfo: 1 })) as Record<string, unknown>;
    return 'ferretdb' in info || 'ferretdbVersion' in info || JSON.stringify(info).toLowerCase().includes('ferretdb');
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => undefined);
  }
}

export async function pingDatabase(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== mongoose.ConnectionStates.connected) return false;
  try {
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** Closes every connection (the scans' too: mongoose.disconnect closes each one it made). */
export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
  (mongoose.connection as unknown as WithScans)[SCANS] = undefined;
}
