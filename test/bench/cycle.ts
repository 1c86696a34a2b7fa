// The respondent cycle under load: GET the survey page, then POST a 20-item answer — and POST alone.
// A small keep-alive client on node:http (lighter than fetch). It shares the two cores with the server
// and the database, so it does as little as it can per request: real respondents' phones are elsewhere.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { percentile } from './setup.js';

let agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = parsed(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A request on the same keep-alive agent that also reads the answer (the blind-credential benchmarks need it). */
export function requestWithBody(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const { hostname, port } = parsed(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A 20-item answer as the JSON object's text (for bodies built elsewhere). */
export function answersJson(): string {
  const bytes = nextBytes(20);
  let answers = '';
  for (let i = 0; i < 20; i++) answers += `${i ? ',' : ''}"q${i + 1}":${1 + (bytes[i]! % 5)}`;
  return `{${answers}}`;
}

export interface LoadFigures {
  concurrency: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

const urls = new Map<string, URL>();
function parsed(url: string): URL {
  let u = urls.get(url);
  if (!u) urls.set(url, (u = new URL(url)));
  return u;
}

// Random submission ids and answers drawn from a pool of random bytes refilled now and then.
let pool = randomBytes(0);
let at = 0;
function nextBytes(n: number): Buffer {
  if (at + n > pool.length) {
    pool = randomBytes(64 * 1024);
    at = 0;
  }
  at += n;
  return pool.subarray(at - n, at);
}

/** A 20-item answer with a fresh 26-character submission id, as JSON. */
function answerBody(): string {
  const bytes = nextBytes(46);
  const id = bytes.subarray(0, 26).toString('base64url').slice(0, 26);
  let answers = '';
  for (let i = 0; i < 20; i++) answers += `${i ? ',' : ''}"q${i + 1}":${1 + (bytes[26 + i]! % 5)}`;
  return `{"submissionId":"${id}","lang":"kk","answers":{${answers}}}`;
}

async function post(url: string, link: string): Promise<boolean> {
  return (await request(url, 'POST', `/api/respond/${link}`, answerBody())) === 201;
}

async function cycle(url: string, link: string): Promise<boolean> {
  const page = await request(url, 'GET', `/s/${link}`, undefined, { 'accept-language': 'kk' });
  return page === 200 && (await post(url, link));
}

export function runLoad(url: string, link: string, concurrency: number, seconds: number, postOnly = false): Promise<LoadFigures> {
  const work = postOnly ? post : cycle;
  return measure(concurrency, seconds, () => work(url, link));
}

/**
 * `concurrency` loops doing `work` for `seconds` (after one warm-up round), or until `exhausted` (what the
 * work consumes ran out): the rate of successes and the latencies.
 */
export async function measure(concurrency: number, seconds: number, work: () => Promise<boolean>, exhausted: () => boolean = () => false): Promise<LoadFigures> {
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up.
  await Promise.all(Array.from({ length: concurrency }, () => work()));
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && !exhausted()) {
        const t0 = performance.now();
        const ok = await work().catch(() => false);
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
