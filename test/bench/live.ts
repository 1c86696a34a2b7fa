// bench:live — latency from an accepted submission to the dashboard's update event, with 300 connected
// dashboard clients while ingesting 100 responses per second; server memory at the end.
import { io as connect, type Socket } from 'socket.io-client';
import { randomBase32 } from '../../server/lib/ids.js';
import { percentile } from './setup.js';
import { BENCH_ADMIN } from './server-process.js';

export interface LiveFigures {
  clients: number;
  rate: number;
  seconds: number;
  submissions: number;
  p50: number;
  p95: number;
  max: number;
  allClientsSawFinalCount: boolean;
}

export async function benchLive(url: string, campaign: string, link: string, options = { clients: 300, rate: 100, seconds: 10 }): Promise<LiveFigures> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_ADMIN) });
  if (!login.ok) throw new Error('bench login failed: ' + (await login.text()));
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

  const baseline = { n: 0 };
  const sockets: Socket[] = [];
  const lastSeen: number[] = [];
  const accepted: number[] = [];
  const latencies: number[] = [];
  let covered = 0;
  let countedSoFar = 0;
  for (let i = 0; i < options.clients; i++) {
    const socket = connect(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const reply = (await socket.emitWithAck('subscribe', { campaign, unit: 'university' })) as { ok: boolean; data: { results: { responses: { n: number } } } };
    if (!reply.ok) throw new Error('subscribe failed');
    baseline.n = reply.data.results.responses.n;
    lastSeen[i] = baseline.n;
    const index = i;
    socket.on('count', (m: { n: number }) => {
      lastSeen[index] = m.n;
      if (index !== 0) return;
      // Client 0 measures: every accepted submission now counted gets its latency.
      const now = performance.now();
      countedSoFar = Math.max(countedSoFar, m.n - baseline.n);
      while (covered < countedSoFar && covered < accepted.length) latencies.push(now - accepted[covered++]!);
    });
    sockets.push(socket);
  }

  const total = options.rate * options.seconds;
  const interval = 1000 / options.rate;
  const start = performance.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    posts.push(
      fetch(`${url}/api/respond/${link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'ru', answers: Object.fromEntries(Array.from({ length: 20 }, (_, q) => [`q${q + 1}`, 1 + ((i + q) % 5)])) }) }).then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 201) return;
        accepted.push(performance.now());
        // The event can overtake the HTTP answer: then the dashboard already showed it (latency 0).
        while (covered < countedSoFar && covered < accepted.length) latencies.push(Math.max(0, performance.now() - accepted[covered++]!));
      }),
    );
  }
  await Promise.all(posts);
  const final = baseline.n + accepted.length;
  const deadline = performance.now() + 5000;
  while (lastSeen.some((n) => n < final) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const s of sockets) s.close();
  latencies.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x);
  return { clients: options.clients, rate: options.rate, seconds: options.seconds, submissions: accepted.length, p50: r(percentile(latencies, 50)), p95: r(percentile(latencies, 95)), max: r(latencies.at(-1) ?? NaN), allClientsSawFinalCount: lastSeen.every((n) => n >= final) };
}
