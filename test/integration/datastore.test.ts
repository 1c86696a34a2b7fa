import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { connectionOptions } from '../../server/db/connection.js';
import { startEmbedded } from '../../server/db/embedded.js';
import { isEmbeddedUnderTest } from '../support/database.js';

describe('data store', () => {
  it('counts every one of 2,000 parallel $inc through the app connection', async () => {
    const counters = mongoose.connection.db!.collection<{ _id: string; n: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0 });
    await Promise.all(Array.from({ length: 2000 }, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    expect((await counters.findOne({ _id: 'c' }))?.n).to.equal(2000);
  });

  it('uses one connection on the embedded store', () => {
    expect(connectionOptions(true).maxPoolSize).to.equal(1);
  });

  it('loses increments through a pooled connection to FerretDB (why the pool is 1)', async function () {
    if (!isEmbeddedUnderTest()) this.skip();
    const pooled = await mongoose.createConnection(process.env.TEST_MONGODB_URI!, { ...connectionOptions(false), maxPoolSize: 50 }).asPromise();
    try {
      const counters = pooled.db!.collection<{ _id: string; n: number }>('counters');
      await counters.insertOne({ _id: 'pooled', n: 0 });
      await Promise.all(Array.from({ length: 2000 }, () => counters.updateOne({ _id: 'pooled' }, { $inc: { n: 1 } })));
      const n = (await counters.findOne({ _id: 'pooled' }))?.n ?? 0;
      expect(n).to.be.lessThan(2000);
    } finally {
      await pooled.close();
    }
  });

  it('keeps data across a restart of the embedded database', async function () {
    const dataDir = mkdtempSync(join(tmpdir(), 'pikir-restart-'));
    try {
      let server = await startEmbedded({ dataDir });
      let conn = await mongoose.createConnection(server.uri, connectionOptions(true)).asPromise();
      await conn.db!.collection('notes').insertOne({ _id: 'kept' as never, text: 'Сапа кеңесі — әғқңөұүһі' });
      await conn.close();
      await server.stop();

      server = await startEmbedded({ dataDir });
      conn = await mongoose.createConnection(server.uri, connectionOptions(true)).asPromise();
      const doc = await conn.db!.collection('notes').findOne({ _id: 'kept' as never });
      expect(doc?.text).to.equal('Сапа кеңесі — әғқңөұүһі');
      await conn.close();
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
