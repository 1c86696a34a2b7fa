// What an attacker with a dump of the database reads: every collection's documents, and every string in
// them. Shared by the anonymity audits (integration tier, over the test database; resilience tier, over the
// compiled server's own data directory).
import mongoose from 'mongoose';

export type Dump = Record<string, Record<string, unknown>[]>;

/** Every document of every collection of the connected database, by collection. */
export async function dumpAll(): Promise<Dump> {
  const db = mongoose.connection.db!;
  const out: Dump = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) out[name] = (await db.collection(name).find({}).toArray()) as Record<string, unknown>[];
  return out;
}

/** Every string in a document, keys included, at any depth. */
export function stringsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      stringsOf(v, out);
    }
  }
  return out;
}
