// npm run soak — 10 minutes (SOAK_SECONDS) at 100 responses/s with dashboards connected: the stored count
// must equal the accepted count, and the server's memory must stay flat.
import mongoose from 'mongoose';
import { io as connect } from 'socket.io-client';
import { connectDatabase } from '../../server/db/connection.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responsesCollection } from '../../server/responses/store.js';
import { buildBenchWorld, startBenchDatabase } from './setup.js';
import { BENCH_ADMIN, startServerProcess } from './server-process.js';
import { readFileSync } from 'node:fs';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const rate = 100;
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const db = await startBenchDatabase();
const world = await buildBenchWorld(db);
await mongoose.disconnect();
const server = await startServerProcess(db.uri);
const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_ADMIN) });
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const sockets = Array.from({ length: 50 }, () => connect(server.url, { transports: ['websocket'], extraHeaders: { cookie } }));
for (const s of sockets) s.on('connect', () => s.emit('subscribe', { campaign: world.campaign._id, unit: 'university' }, () => undefined));

let accepted = 0;
let failed = 0;
const samples: { t: number; rssMb: number }[] = [];
const started = Date.now();
const sampler = setInterval(() => samples.push({ t: Math.round((Date.now() - started) / 1000), rssMb: Math.round(rss(server.child.pid!)) }), 10_000);
const posts: Promise<void>[] = [];
for (let i = 0; i < seconds * rate; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  posts.push(
    fetch(`${server.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', answers: Object.fromEntries(Array.from({ length: 20 }, (_, q) => [`q${q + 1}`, 1 + ((i + q) % 5)])) }) })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 201) accepted++;
        else failed++;
      })
      .catch(() => void failed++),
  );
  if (posts.length > 2000) await Promise.all(posts.splice(0, 1000));
}
await Promise.all(posts);
clearInterval(sampler);
for (const s of sockets) s.close();
await server.stop();
await connectDatabase({ uri: db.uri, embedded: true });
const stored = await (await responsesCollection(world.campaign._id)).countDocuments();
await mongoose.disconnect();
await db.stop();
const firstMinute = samples.filter((s) => s.t <= 70).map((s) => s.rssMb);
const lastMinute = samples.slice(-6).map((s) => s.rssMb);
const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
console.log(JSON.stringify({ seconds, rate, accepted, failed, stored, storedEqualsAccepted: stored === accepted, rssFirstMinuteMb: avg(firstMinute), rssLastMinuteMb: avg(lastMinute), rssSamples: samples }, null, 1));
process.exit(stored === accepted ? 0 : 1);
