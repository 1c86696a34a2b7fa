import mongoose from 'mongoose';
import { readFileSync } from 'node:fs';
import { buildBenchWorld, buildBlindBenchCampaign, startBenchDatabase } from './setup.js';
import { startServerProcess } from './server-process.js';
import { Blinder } from './blind.js';
import { requestWithBody } from './cycle.js';

const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const db = await startBenchDatabase();
const world = await buildBenchWorld(db);
const { campaign, tokens } = await buildBlindBenchCampaign(world, 3000);
await mongoose.disconnect();
const server = await startServerProcess(db.uri, process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/prof5'] : []);
await new Promise((r) => setTimeout(r, 2500));
const url = server.url; const link = campaign.linkId;
const key = await requestWithBody(url, 'GET', `/api/respond/${link}/key`);
const blinder = Blinder.from((JSON.parse(key.text) as { spki: string }).spki);
import { randomBytes } from 'node:crypto';
import { answersJson } from './cycle.js';
{ const a = await requestWithBody(url, 'GET', `/s/${link}`, undefined, { 'accept-language': 'kk' }); const b = await requestWithBody(url, 'GET', `/s/${world.campaign.linkId}`, undefined, { 'accept-language': 'kk' }); console.log('blind', a.text.length, 'plain', b.text.length); }
let next = 0;
const N = 2500;
const creds: { message: string; signature: string }[] = [];
async function phase(name: string, one: (i: number) => Promise<void>) {
  next = 0;
  const s0 = cpu(server.child.pid!), d0 = cpu(db.pid), c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < N) await one(next++); }));
  const ms = performance.now() - t0;
  const cc = process.cpuUsage(c0);
  console.log(`${name}: ${(N / ms * 1000).toFixed(0)}/s; CPU ms each: server ${((cpu(server.child.pid!) - s0) / N).toFixed(2)}, db ${((cpu(db.pid) - d0) / N).toFixed(2)}, client ${((cc.user + cc.system) / 1000 / N).toFixed(2)}`);
}
if (!process.env.ONLY_GET) await phase('issue', async (i) => {
  const { prepared, blinded, inv } = blinder.blind();
  const res = await requestWithBody(url, 'POST', `/api/respond/${link}/credential`, JSON.stringify({ token: tokens[i], blindedMessage: blinded }));
  if (res.status !== 201) throw new Error(res.text);
  creds.push(blinder.finalize(prepared, inv, (JSON.parse(res.text) as { blindSignature: string }).blindSignature));
});
await phase('GET', async () => {
  const page = await requestWithBody(url, 'GET', `/s/${link}`, undefined, { 'accept-language': 'kk' });
  if (page.status !== 200) throw new Error(String(page.status));
});
if (!process.env.ONLY_GET) await phase('POST', async (i) => {
  const post = await requestWithBody(url, 'POST', `/api/respond/${link}`, `{"submissionId":"${randomBytes(18).toString('base64url')}","lang":"kk","answers":${answersJson()},"credential":${JSON.stringify(creds[i])}}`);
  if (post.status !== 201) throw new Error(post.text);
});
await phase('plain GET', async () => {
  const page = await requestWithBody(url, 'GET', `/s/${world.campaign.linkId}`, undefined, { 'accept-language': 'kk' });
  if (page.status !== 200) throw new Error(String(page.status));
});
if (!process.env.ONLY_GET) await phase('plain POST', async () => {
  const post = await requestWithBody(url, 'POST', `/api/respond/${world.campaign.linkId}`, `{"submissionId":"${randomBytes(18).toString('base64url')}","lang":"kk","answers":${answersJson()}}`);
  if (post.status !== 201) throw new Error(post.text);
});
await server.stop(); await db.stop();
