// Helpers of the API contract test (api-contract.test.ts): finding Schemathesis, running it and reading
// its JSON report, and the states and real ids it runs on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../server/db/embedded.js';
import { projectRoot } from '../../server/lib/paths.js';
import type { ServerChild } from './support.js';

/** A local SMTP server that accepts and drops every mail, so invitations really go out (SMTP_URL). */
export async function startMailSink(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  const port = await freePort();
  let received = 0;
  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise<void>((resolve) => smtp.close(resolve)) };
}

/** The contract; API_CONTRACT_CHECKS adds others for an exploratory run (e.g. negative_data_rejection). */
export const CHECKS = ['not_a_server_error,status_code_conformance,response_schema_conformance', process.env.API_CONTRACT_CHECKS].filter(Boolean).join(',');
export const ADMIN = { email: 'contract@pikir.local', password: 'contract-admin-2026-long' };

export function findTool(name: string): string | undefined {
  const fromEnv = process.env[name.toUpperCase().replace(/-/g, '_')];
  if (fromEnv) return fromEnv;
  const inVenv = join(projectRoot, '.cache/venv/bin', name);
  if (existsSync(inVenv)) return inVenv;
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

export interface Summary {
  operations: number;
  testCases: number;
  failures: string[];
  errors: string[];
  seconds: number;
  /** The failure and error sections of Schemathesis' own output (request, answer, how to reproduce). */
  details: string;
}

export interface RunOptions {
  /** Names the report files. */
  name: string;
  /** Test cases per operation in the fuzzing phase (the coverage phase adds its schema-driven ones). */
  examples: number;
  seed: number;
  cookie?: string;
  include?: string;
  exclude?: string;
  /** Ids never used as path parameters (the signed-in admin's own account). */
  protectedIds?: string[];
  /** The settings file (test/resilience/schemathesis.toml unless a fuller run asks for another). */
  config?: string;
  /** Default: the schema-driven coverage phase, then fuzzing. */
  phases?: string;
}

/**
 * CPython before 3.12 can fail with "AST constructor recursion depth mismatch" when two threads parse
 * source at once (Hypothesis does, describing strategies): with an older Python, one worker.
 */
function workersFor(tool: string): number {
  const python = join(dirname(tool), 'python');
  if (!existsSync(python)) return 1;
  const check = spawnSync(python, ['-c', 'import sys; print(sys.version_info >= (3, 12))'], { encoding: 'utf8' });
  return check.stdout.trim() === 'True' ? 2 : 1;
}

/** Runs Schemathesis against the server's document and reads its JSON report. */
export async function schemathesis(tool: string, url: string, dir: string, o: RunOptions): Promise<Summary> {
  const report = join(dir, `${o.name}.json`);
  const args = [
    '--config-file',
    o.config ?? join(import.meta.dirname, 'schemathesis.toml'),
    'run',
    `${url}/api/openapi.json`,
    '--checks',
    CHECKS,
    '--phases',
    o.phases ?? 'coverage,fuzzing',
    '--max-examples',
    String(o.examples),
    '--workers',
    String(workersFor(tool)),
    '--seed',
    String(o.seed),
    '--suppress-health-check',
    'all',
    // A request that takes longer is reported as an error: the API must not hang.
    '--request-timeout',
    '30',
    '--generation-database',
    'none',
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    report,
    ...(o.cookie ? ['-H', `Cookie: ${o.cookie}`] : []),
    ...(o.include ? ['--include-path', o.include] : []),
    ...(o.exclude ? ['--exclude-path', o.exclude] : []),
  ];
  const env = { ...process.env, SCHEMATHESIS_HOOKS: join(import.meta.dirname, 'schemathesis_hooks.py'), PIKIR_REAL_IDS: join(dir, 'ids.json'), PIKIR_PROTECTED_IDS: (o.protectedIds ?? []).join(',') };
  const started = Date.now();
  // Run in the report directory: Schemathesis keeps its crash cache (.schemathesis/) where it runs.
  const child = spawn(tool, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = (Date.now() - started) / 1000;
  if (!existsSync(report)) throw new Error(`Schemathesis wrote no report (exit ${code}):\n${output.slice(-4000)}`);
  const sections = /={5,} (?:FAILURES|ERRORS) ={5,}[\s\S]*?(?=={5,} (?:WARNINGS|SUMMARY) ={5,})/.exec(output)?.[0] ?? '';
  return { ...readReport(readFileSync(report, 'utf8')), seconds, details: sections.slice(0, 8000) };
}

interface JsonReport {
  operations?: { tested?: number };
  test_cases?: { generated?: number };
  failures?: { title?: string; code?: string; count?: number; operations?: string[] }[];
  errors?: { title?: string; count?: number }[];
}

function readReport(text: string): Omit<Summary, 'seconds' | 'details'> {
  const r = JSON.parse(text) as JsonReport;
  return {
    operations: r.operations?.tested ?? 0,
    testCases: r.test_cases?.generated ?? 0,
    failures: (r.failures ?? []).map((f) => `${f.code ?? ''} ${f.title ?? '?'} ×${f.count ?? 1}: ${(f.operations ?? []).join(', ')}`),
    errors: (r.errors ?? []).map((e) => `${e.title ?? '?'} ×${e.count ?? 1}`),
  };
}

async function api<T>(srv: ServerChild, cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${srv.url}${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** A few more states than the demo has: a draft campaign that never had contacts, an open contacts campaign with contacts, an instrument draft, users. */
export async function addStates(srv: ServerChild, cookie: string): Promise<void> {
  const { items: programmes } = await api<{ items: { id: string }[] }>(srv, cookie, 'GET', '/api/programmes');
  const day = 86_400_000;
  const base = { title: { kk: 'Келісім-шарт', ru: 'Контракт', en: 'Contract' } };
  const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
  const yearOf = (ms: number) => {
    const d = new Date(Date.now() + ms + 5 * 3_600_000);
    const y = d.getUTCMonth() >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
    return `${y}-${y + 1}`;
  };
  await api(srv, cookie, 'POST', '/api/campaigns', { ...base, instrument: { id: 'student-satisfaction', version: 1 }, audience: { kind: 'university', ids: [] }, academicYear: yearOf(day), opensAt: iso(day), closesAt: iso(30 * day) });
  const contacts = await api<{ id: string }>(srv, cookie, 'POST', '/api/campaigns', { ...base, targetSize: 50, instrument: { id: 'employer-satisfaction', version: 1 }, audience: { kind: 'contacts', ids: [] }, academicYear: yearOf(-day), opensAt: iso(-day), closesAt: iso(20 * day) });
  await api(srv, cookie, 'POST', `/api/campaigns/${contacts.id}/open`);
  const { items: codes } = await api<{ items: { id: string; code: string }[] }>(srv, cookie, 'GET', '/api/programmes');
  const code = codes.find((p) => p.id === programmes[0]!.id)!.code;
  const csv = ['name,organisation,email,language,programme', `Aigerim,Kaspi,aigerim@example.kz,kk,${code}`, `Dmitry,Halyk,dmitry@example.kz,ru,${code}`, `Sarah,EY,sarah@example.com,en,${code}`].join('\n');
  await api(srv, cookie, 'POST', `/api/campaigns/${contacts.id}/contacts/import`, { csv });
  // An open survey with blind credentials (the integrity instrument's default) and slips for it.
  const blind = await api<{ id: string; blindCredentials: boolean }>(srv, cookie, 'POST', '/api/campaigns', { ...base, instrument: { id: 'integrity', version: 1 }, audience: { kind: 'university', ids: [] }, academicYear: yearOf(-day), opensAt: iso(-day), closesAt: iso(20 * day) });
  if (!blind.blindCredentials) throw new Error('the integrity survey should take blind credentials by default');
  await api(srv, cookie, 'POST', `/api/campaigns/${blind.id}/open`);
  await api(srv, cookie, 'POST', `/api/campaigns/${blind.id}/tokens`, { count: 5 });
  await api(srv, cookie, 'POST', '/api/instruments/integrity/versions');
  await api(srv, cookie, 'POST', '/api/users', { email: 'viewer.contract@pikir.local', name: 'Viewer', role: 'viewer', programmes: [programmes[0]!.id] });
}

/** Real path parameters for every documented path that has them. */
export async function realIds(srv: ServerChild, cookie: string, adminId: string, paths: string[]): Promise<Record<string, Record<string, string>[]>> {
  const campaigns = (await api<{ items: { id: string; linkId: string }[] }>(srv, cookie, 'GET', '/api/campaigns')).items;
  const units: Record<string, string[]> = {};
  for (const kind of ['faculties', 'departments', 'programmes', 'cohorts', 'disciplines']) {
    units[kind] = (await api<{ items: { id: string }[] }>(srv, cookie, 'GET', `/api/${kind}?includeArchived=true`)).items.map((u) => u.id);
  }
  // Never the signed-in admin: disabling or resetting that account would end the run's own session.
  const users = (await api<{ items: { id: string }[] }>(srv, cookie, 'GET', '/api/users')).items.map((u) => u.id).filter((id) => id !== adminId);
  const instruments = (await api<{ instruments: { id: string; latestVersion: number }[] }>(srv, cookie, 'GET', '/api/instruments')).instruments;
  const versions = instruments.flatMap((i) => Array.from({ length: i.latestVersion }, (_, v) => ({ id: i.id, version: String(v + 1) })));
  // Council records of the demo faculty council (meetings with agenda items, actions with evidence) and the calendar.
  type Meeting = { id: string; agenda: { id: string }[] };
  type Action = { id: string; evidence: { id: string; kind: string; fileId?: string }[] };
  const meetings: Meeting[] = [];
  const actions: Action[] = [];
  for (const faculty of units.faculties!) {
    meetings.push(...(await api<{ items: Meeting[] }>(srv, cookie, 'GET', `/api/councils/${faculty}/meetings`)).items);
    actions.push(...(await api<{ items: Action[] }>(srv, cookie, 'GET', `/api/councils/${faculty}/actions`)).items);
  }
  const tasks = (await api<{ items: { id: string }[] }>(srv, cookie, 'GET', '/api/calendar')).items;
  // A report job of the signed-in admin (a council report of the first campaign, printed in the background).
  const jobs = paths.some((p) => p.startsWith('/api/report-jobs/{id}')) ? [(await api<{ id: string }>(srv, cookie, 'POST', '/api/report-jobs', { kind: 'report', campaign: campaigns[0]!.id })).id] : [];
  const out: Record<string, Record<string, string>[]> = {};
  for (const path of paths) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    if (!params.length) continue;
    const kind = /^\/api\/(faculties|departments|programmes|cohorts|disciplines)\//.exec(path)?.[1];
    if (path.startsWith('/api/campaigns/{id}')) out[path] = campaigns.map((c) => ({ id: c.id }));
    else if (path.startsWith('/api/respond/{link}')) out[path] = campaigns.map((c) => ({ link: c.linkId }));
    else if (path === '/api/credentials/{id}') out[path] = campaigns.map((c) => ({ id: c.id }));
    else if (kind) out[path] = units[kind]!.map((id) => ({ id }));
    else if (path.startsWith('/api/users/{id}')) out[path] = users.map((id) => ({ id }));
    else if (path.startsWith('/api/instruments/{id}/v/{version}')) out[path] = versions;
    else if (path.startsWith('/api/instruments/{id}')) out[path] = instruments.map((i) => ({ id: i.id }));
    else if (path.startsWith('/api/councils/{faculty}')) out[path] = units.faculties!.map((faculty) => ({ faculty }));
    else if (path.startsWith('/api/meetings/{id}/agenda/{item}')) out[path] = meetings.flatMap((m) => m.agenda.map((a) => ({ id: m.id, item: a.id })));
    else if (path.startsWith('/api/meetings/{id}')) out[path] = meetings.map((m) => ({ id: m.id }));
    else if (path === '/api/actions/{id}/evidence/{evidence}') out[path] = actions.flatMap((a) => a.evidence.map((e) => ({ id: a.id, evidence: e.id })));
    else if (path === '/api/actions/{id}/files/{file}') out[path] = actions.flatMap((a) => a.evidence.filter((e) => e.fileId).map((e) => ({ id: a.id, file: e.fileId! })));
    else if (path.startsWith('/api/actions/{id}')) out[path] = actions.map((a) => ({ id: a.id }));
    else if (path.startsWith('/api/calendar/{id}')) out[path] = tasks.map((t) => ({ id: t.id }));
    else if (path.startsWith('/api/report-jobs/{id}')) out[path] = jobs.map((id) => ({ id }));
    else if (path === '/api/org/import/{kind}') continue;
    else throw new Error(`No real ids for ${path}: add them here`);
  }
  return out;
}

