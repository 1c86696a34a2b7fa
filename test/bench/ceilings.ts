// The ceilings: raw driver inserts of response-shaped documents into the same database, one by one and
// in batches of 50, through one connection (as the app uses it).
import mongoose from 'mongoose';
import { connectionOptions } from '../../server/db/connection.js';
import { randomBase32, sha256 } from '../../server/lib/ids.js';

export interface Ceilings {
  insertOnePerSecond: number;
  insertManyPerSecond: number;
}

const doc = () => ({ _id: sha256(randomBase32(26)), campaign: 'bench', segment: { faculty: 'f', programme: 'p', cohort: 'c' }, day: '2026-11-26', answers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`q${i + 1}`, 1 + (i % 5)])) });

export async function measureCeilings(uri: string, seconds = 4): Promise<Ceilings> {
  const conn = await mongoose.createConnection(uri, connectionOptions(true)).asPromise();
  const collection = conn.db!.collection('ceiling_probe');
  try {
    let n = 0;
    let end = performance.now() + seconds * 1000;
    let t0 = performance.now();
    while (performance.now() < end) {
      await collection.insertOne(doc() as never);
      n++;
    }
    const insertOnePerSecond = Math.round(n / ((performance.now() - t0) / 1000));
    n = 0;
    end = performance.now() + seconds * 1000;
    t0 = performance.now();
    while (performance.now() < end) {
      await collection.insertMany(Array.from({ length: 50 }, doc) as never[], { ordered: false });
      n += 50;
    }
    const insertManyPerSecond = Math.round(n / ((performance.now() - t0) / 1000));
    return { insertOnePerSecond, insertManyPerSecond };
  } finally {
    await collection.drop().catch(() => undefined);
    await conn.close();
  }
}
