import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { connectionOptions } from '../../server/db/connection.js';
import { startEmbedded } from '../../server/db/embedded.js';
import { isEmbeddedUnderTest } from '../support/database.js';
import { UniqueInserts } from '../../server/lib/group-commit.js';
import { waitFor } from '../support/wait.js';

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

  it('looks documents up by _id through an index on the embedded store, not by reading the whole table', async function () {
    if (!isEmbeddedUnderTest()) this.skip();
    const db = mongoose.connection.db!;
    const big = db.collection<{ _id: string }>('lookup_by_id');
    await big.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `doc-${i}` })));
    // FerretDB's own _id index does not match its lookup expression (a SCAN); the embedded server adds one
    // that does, within seconds of a collection's creation (server/db/ferretdb/idindex.go). EXPLAIN is
    // planned on a connection's cached schema, so a real lookup runs first to refresh it.
    let plan = '';
    await waitFor(
      () => `an index in the plan of a lookup by _id (last plan: ${plan})`,
      async () => {
        await big.findOne({ _id: 'doc-1' });
        plan = JSON.stringify((await db.command({ explain: { find: 'lookup_by_id', filter: { _id: 'doc-7' } } })).queryPlanner);
        return plan.includes('USING INDEX') && plan.includes('_pikir_id');
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(await big.findOne({ _id: 'doc-7' })).to.deep.equal({ _id: 'doc-7' });
  });

  it('admits each _id once when inserts race, grouped into one command at a time', async () => {
    const records = mongoose.connection.db!.collection<{ _id: string; by: number }>('grouped_inserts');
    const inserts = new UniqueInserts();
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => inserts.insert(records, { _id: `claim${i % 20}`, by: i })));
    expect(outcomes.filter(Boolean)).to.have.length(20);
    expect(await records.countDocuments({})).to.equal(20);
  });
});
