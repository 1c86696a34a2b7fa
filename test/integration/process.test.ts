// The real entry point as a process — the compiled `dist/server/main.js` that `npm start` runs: start,
// readiness, data kept across restarts, graceful stop, and no orphaned database after a SIGKILL.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync as readdirSyncImpl, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { freePort } from '../../server/db/embedded.js';
import { projectRoot } from '../../server/lib/paths.js';
import { spawnServer, startScript, waitReady } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

function startServer(env: Record<string, string>) {
  return spawnServer({ LOG_LEVEL: 'warn', DEMO_DATA: 'false', ...env });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of embedded FerretDB processes whose data lives under dataDir. */
function ferretdbPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('ferretdb') && cmd.includes(dataDir)) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSyncImpl(dir);
  } catch {
    return [];
  }
}


describe('the server process', function () {
  this.timeout(90_000);
  let dataDir: string;
  before(function () {
    if (process.env.MONGODB_URI) this.skip(); // these start the embedded database; in CI a skip fails the run
    dataDir = mkdtempSync(join(tmpdir(), 'pikir-process-'));
  });
  after(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with the embedded database, stops gracefully on SIGTERM and keeps its data and secrets', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir };
    const first = startServer(env);
    await waitReady(`http://127.0.0.1:${port}`, first);
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string };
    expect(existsSync(join(dataDir, 'db'))).to.equal(true);
    const pids = ferretdbPids(dataDir);
    expect(pids).to.have.length(1);

    first.child.kill('SIGTERM');
    expect(await first.exited).to.equal(0);
    expect(await portOpen(port)).to.equal(false);
    // The server stops its FerretDB before it exits.
    await waitFor(`FerretDB (pid ${pids[0]}) to be gone after the server stopped`, () => !processAlive(pids[0]!), { timeout: 2_000 });

    const second = startServer(env);
    await waitReady(`http://127.0.0.1:${port}`, second);
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).jwtSecret).to.equal(secrets.jwtSecret);
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
  });

  it('leaves no orphaned database when the server is killed with SIGKILL', async () => {
    const port = await freePort();
    const running = startServer({ PORT: String(port), DATA_DIR: dataDir });
    await waitReady(`http://127.0.0.1:${port}`, running);
    const pids = ferretdbPids(dataDir);
    expect(pids).to.have.length(1);
    running.child.kill('SIGKILL');
    await running.exited;
    // FerretDB sees its stdin close when the server dies and stops by itself.
    await waitFor(`FerretDB (pid ${pids[0]}) to stop after the server was killed`, () => !processAlive(pids[0]!), { timeout: 5_000, interval: 100 });
  });

  it('npm start transpiles only the server files changed since their dist/ copy, then starts; an unchanged tree starts at once', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir };
    const source = join(projectRoot, 'server/health/routes.ts');
    const output = join(projectRoot, 'dist/server/health/routes.js');
    // As after a pull or an edit: the source is newer than its compiled copy.
    const before = statSync(source).mtime;
    utimesSync(output, new Date(before.getTime() - 60_000), new Date(before.getTime() - 60_000));
    const first = spawnServer({ LOG_LEVEL: 'warn', DEMO_DATA: 'false', ...env }, startScript);
    try {
      await waitReady(`http://127.0.0.1:${port}`, first);
      expect(first.output()).to.match(/dist\/: \d+ of \d+ server files transpiled in \d+ ms/);
      expect(statSync(output).mtimeMs).to.be.at.least(statSync(source).mtimeMs);
      expect(readFileSync(output, 'utf8')).to.match(/router\.get\(["']\/readyz["']/);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).to.equal(0);

    const second = spawnServer({ LOG_LEVEL: 'warn', DEMO_DATA: 'false', ...env }, startScript);
    try {
      await waitReady(`http://127.0.0.1:${port}`, second);
      expect(second.output()).not.to.include('transpiled');
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).to.equal(0);
  });

  it('exits with one clear line when a variable is wrong', async () => {
    const running = startServer({ PORT: 'abc', DATA_DIR: dataDir });
    expect(await running.exited).to.equal(1);
    expect(running.output().trim()).to.equal('Configuration error: PORT must be a port number (got "abc")');
  });
});
