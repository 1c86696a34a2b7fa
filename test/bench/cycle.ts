// The respondent cycle under load: GET the survey page, then POST a 20-item answer — and POST alone.
// A small keep-alive client on node:http (lighter than fetch: the client shares the two cores).
import http from 'node:http';
import { randomBase32 } from '../../server/lib/ids.js';
import { percentile } from './setup.js';

let agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadFigures {
  concurrency: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

const answers = () => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`q${i + 1}`, 1 + Math.floor(Math.random() * 5)]));

async function post(url: string, link: string): Promise<boolean> {
  return (await request(url, 'POST', `/api/respond/${link}`, JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', answers: answers() }))) === 201;
}

async function cycle(url: string, link: string): Promise<boolean> {
  const page = await request(url, 'GET', `/s/${link}`, undefined, { 'accept-language': 'kk' });
  return page === 200 && (await post(url, link));
}

export async function runLoad(url: string, link: string, concurrency: number, seconds: number, postOnly = false): Promise<LoadFigures> {
  const work = postOnly ? post : cycle;
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up.
  await Promise.all(Array.from({ length: concurrency }, () => work(url, link)));
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await work(url, link).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { concurrency, perSecond: Math.round((latencies.length - errors) / elapsed), p50: r(percentile(latencies, 50)), p95: r(percentile(latencies, 95)), p99: r(percentile(latencies, 99)), errors };
}
