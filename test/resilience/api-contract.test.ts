// The API keeps the contract of its OpenAPI document, checked by Schemathesis (property-based tests
// generated from the document): the real server as a child process on a real database with the demo
// university (real ids for campaigns, units, users, instruments and links), signed in as an admin and
// signed out. Every operation; checks: no 5xx, no status the document does not list, every answer
// matches its schema. Schemathesis comes from PyPI (.ci/run installs it into .cache/venv); without it
// this test is skipped with a loud message, except under CI (the CI variable set), where it fails.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { ADMIN, addStates, findTool, realIds, schemathesis, startMailSink, type Summary } from './api-contract.support.js';
import { startServer, type ServerChild } from './support.js';

/** Test cases per operation in the fuzzing phase (the coverage phase adds its own, schema-driven ones). */
const EXAMPLES_SIGNED_IN = Number(process.env.API_CONTRACT_EXAMPLES ?? 80);
const EXAMPLES_SIGNED_OUT = Number(process.env.API_CONTRACT_EXAMPLES_SIGNED_OUT ?? 40);
/** A new seed each run (printed with the figures); API_CONTRACT_SEED repeats one. */
const SEED = Number(process.env.API_CONTRACT_SEED ?? Math.floor(Math.random() * 1_000_000));
/** API_CONTRACT_FULL=1: no per-operation limits (about 15,000 requests and six minutes more). */
const FULL = Boolean(process.env.API_CONTRACT_FULL);
const CI = Boolean(process.env.CI) && !['false', '0'].includes(process.env.CI ?? '');

describe('API contract: Schemathesis over every operation of the OpenAPI document', function () {
  const tool = findTool('schemathesis');
  let srv: ServerChild | undefined;
  let mail: Awaited<ReturnType<typeof startMailSink>> | undefined;
  let dir: string;
  let cookie: string;
  let adminId: string;
  let db: mongoose.Connection | undefined;
  let config: string | undefined;
  const figures: string[] = [];

  before(async function () {
    if (!tool) {
      const message = 'Schemathesis is not installed: the API contract test did NOT run. Install it with .ci/run (or: python3 -m venv .cache/venv && .cache/venv/bin/pip install schemathesis openapi-spec-validator).';
      if (CI) throw new Error(message);
      console.warn(`\n  !!! ${message}\n`);
      this.skip();
    }
    this.timeout(240_000);
    dir = mkdtempSync(join(tmpdir(), 'pikir-contract-'));
    if (FULL) writeFileSync((config = join(dir, 'full.toml')), '[phases.coverage]\nunexpected-methods = []\n');
    // A database of its own next to the tier's (the demo needs an empty one), dropped afterwards.
    const url = new URL(process.env.TEST_MONGODB_URI!);
    url.pathname = '/pikir_contract';
    db = await mongoose.createConnection(url.toString(), { maxPoolSize: 1 }).asPromise();
    await db.dropDatabase();
    mail = await startMailSink();
    srv = await startServer(url.toString(), undefined, { DEMO_DATA: 'true', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SMTP_URL: mail.url, MAIL_FROM: 'Pikir <qa@pikir.local>', LOG_LEVEL: 'error' });
    const login = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    expect(login.status).to.equal(200);
    cookie = /pikir_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    adminId = ((await login.json()) as { user: { id: string } }).user.id;
    await addStates(srv, cookie);
    const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
    writeFileSync(join(dir, 'ids.json'), JSON.stringify(await realIds(srv, cookie, adminId, Object.keys(doc.paths))));
  });

  after(async () => {
    if (srv && srv.child.exitCode === null) {
      srv.child.kill('SIGTERM');
      await srv.exited;
    }
    await mail?.close();
    if (db) {
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    }
    // API_CONTRACT_KEEP=1 keeps the reports (JSON, the document, the ids) for reading.
    if (dir && !process.env.API_CONTRACT_KEEP) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(`\n    Schemathesis reports kept in ${dir}`);
    if (figures.length) console.log(`\n    Schemathesis (seed ${SEED}): ${figures.join('; ')}`);
  });

  it('the document passes openapi-spec-validator (Python), as client generators read it', () => {
    const validator = findTool('openapi-spec-validator');
    if (!validator) {
      if (CI) throw new Error('openapi-spec-validator is not installed (.ci/run installs it with Schemathesis)');
      return;
    }
    const result = spawnSync(validator, [join(dir, 'openapi.json')], { encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).to.equal(0);
  });

  const expectClean = (name: string, s: Summary, minOperations: number) => {
    figures.push(`${name}: ${s.operations} operations, ${s.testCases} requests, ${s.failures.length} failures, ${s.errors.length} errors, ${s.seconds.toFixed(0)} s`);
    const problems = [...s.failures, ...s.errors];
    expect(problems, `${problems.join('\n')}\n(repeat with API_CONTRACT_SEED=${SEED})\n\n${s.details}`).to.deep.equal([]);
    expect(s.operations, 'operations tested').to.be.at.least(minOperations);
    expect(srv!.child.exitCode, 'the server is still up').to.equal(null);
  };

  it('signed in as an admin, with real ids: no server error, no undocumented status, no schema mismatch', async function () {
    this.timeout(900_000);
    // Signing out ends every session of the account: that operation runs last, in the next test.
    const s = await schemathesis(tool!, srv!.url, dir, { name: 'signed-in', seed: SEED, examples: EXAMPLES_SIGNED_IN, cookie, exclude: '/api/auth/logout', protectedIds: [adminId], config });
    expectClean('signed in', s, 70);
  });

  it('signed out (and signing out): no server error, no undocumented status, no schema mismatch', async function () {
    this.timeout(600_000);
    const out = await schemathesis(tool!, srv!.url, dir, { name: 'sign-out', seed: SEED, examples: 5, cookie, include: '/api/auth/logout', config });
    expectClean('signing out', out, 1);
    const me = await fetch(`${srv!.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status, 'the session ended when signing out').to.equal(401);
    // Signed out, almost every operation answers 401 before reading its input: fuzzing is enough there
    // (the public ones, sign-in and the submission, had the coverage phase signed in).
    const s = await schemathesis(tool!, srv!.url, dir, { name: 'signed-out', seed: SEED, examples: EXAMPLES_SIGNED_OUT, config, phases: 'fuzzing' });
    expectClean('signed out', s, 70);
  });
});
