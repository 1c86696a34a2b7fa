// One database for the whole run: MONGODB_URI if given, else an embedded FerretDB on a free port in a
// temporary directory (never ./data). Tests read its address from TEST_MONGODB_URI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { connectDatabase } from '../../server/db/connection.js';
import { startEmbedded, type EmbeddedServer } from '../../server/db/embedded.js';
import { forgetResponseStores } from '../../server/responses/generations.js';

let embedded: EmbeddedServer | undefined;
let tempDir: string | undefined;

export function isEmbeddedUnderTest(): boolean {
  return process.env.TEST_DATABASE_EMBEDDED === '1';
}

export async function startTestDatabase(): Promise<void> {
  if (process.env.MONGODB_URI) {
    const url = new URL(process.env.MONGODB_URI);
    url.pathname = '/pikir_test';
    process.env.TEST_MONGODB_URI = url.toString();
    process.env.TEST_DATABASE_EMBEDDED = '0';
    return;
  }
  tempDir = mkdtempSync(join(tmpdir(), 'pikir-test-'));
  embedded = await startEmbedded({ dataDir: tempDir, databaseName: 'pikir_test' });
  process.env.TEST_MONGODB_URI = embedded.uri;
  process.env.TEST_DATABASE_EMBEDDED = '1';
}

export async function stopTestDatabase(): Promise<void> {
  await mongoose.disconnect().catch(() => undefined);
  await embedded?.stop();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

/** Connects the app's mongoose to the test database, as main.ts would. */
export async function connectTestDatabase(): Promise<void> {
  if (mongoose.connection.readyState === mongoose.ConnectionStates.connected) return;
  await connectDatabase({ uri: process.env.TEST_MONGODB_URI!, embedded: isEmbeddedUnderTest() });
}

/** Empties every collection (indexes stay), so each test starts clean; the response stores' state goes too. */
export async function clearCollections(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    if (!name.startsWith('system.')) await db.collection(name).deleteMany({});
  }
  // The pointers are gone: generations and unmixed marks known in memory would describe another database.
  forgetResponseStores(db);
}
