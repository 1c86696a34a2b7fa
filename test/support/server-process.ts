// The server as users run it (`npm start`): the compiled `node dist/server/main.js` as a child process.
// test/run.ts builds dist/ (incrementally) before any tier that needs it, so this never runs stale code.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../server/lib/paths.js';
import { waitFor } from './wait.js';

export const compiledEntry = join(projectRoot, 'dist', 'server', 'main.js');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** What `npm start` runs: brings dist/ up to date (only changed files), then imports dist/server/main.js. */
export const startScript = join(projectRoot, 'server', 'start.mjs');

/** Spawns the compiled server (or `entry`) with only PATH and HOME from this process's environment, plus `env`. */
export function spawnServer(env: Record<string, string>, entry = compiledEntry): ServerProcess {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (test/run.ts does it before the tiers)`);
  const child = spawn(process.execPath, [entry], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits until GET /readyz answers 200; fails at once, with the process's output, if it exits first. */
export async function waitReady(url: string, running: ServerProcess, timeout = 40_000): Promise<void> {
  try {
    await waitFor(
      `${url}/readyz to answer 200`,
      async () => {
        if (running.child.exitCode !== null || running.child.signalCode !== null) throw new Error(`the server exited (${running.child.exitCode ?? running.child.signalCode}) before it was ready`);
        return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.status === 200;
      },
      { timeout, interval: 100 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; its output:\n${running.output()}`);
  }
}
