// Launches the embedded FerretDB (SQLite backend) as a child process on a free loopback port.
// The child watches its stdin: if this process dies, even by SIGKILL, the pipe closes and it stops.
// DATA_DIR and its db/ folder are 0700 (the server makes its files 0600, turns on secure_delete and
// truncates the WAL and wipes its index every checkpointSeconds: README "Anonymity on disk").
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ferretdbBinary } from '../lib/paths.js';

export interface EmbeddedServer {
  readonly uri: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
  /** Resolves when the process has exited for any reason. */
  readonly exited: Promise<number | null>;
}

export class EmbeddedUnavailableError extends Error {}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  databaseName?: string;
  /** How often the server checkpoints and truncates the SQLite WAL (config DB_CHECKPOINT_SECONDS). */
  checkpointSeconds?: number;
  onLog?: (line: string) => void;
}

export async function startEmbedded(options: StartOptions): Promise<EmbeddedServer> {
  if (!existsSync(ferretdbBinary)) {
    throw new EmbeddedUnavailableError(
      'No database: MONGODB_URI is not set and the embedded FerretDB is not built. ' +
        'Either install Go 1.22+ and run `npm install` (it builds the embedded server), or set MONGODB_URI=mongodb://… to use MongoDB.',
    );
  }
  const dbDir = join(options.dataDir, 'db');
  mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  // Folders made by older versions (or by hand) may be open to others.
  for (const dir of [options.dataDir, dbDir]) chmodSync(dir, 0o700);
  const port = options.port ?? (await freePort());
  const args = ['-listen', `127.0.0.1:${port}`, '-data', dbDir, '-exit-on-stdin-eof', '-checkpoint-every', `${options.checkpointSeconds ?? 10}s`];
  const child: ChildProcess = spawn(ferretdbBinary, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const forward = (chunk: Buffer) => options.onLog?.(chunk.toString().trimEnd());
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const deadline = Date.now() + 15_000;
  let alive = true;
  void exited.then(() => (alive = false));
  while (!(await canConnect(port))) {
    if (!alive) throw new Error('The embedded FerretDB exited during start-up; see the log above.');
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('The embedded FerretDB did not start within 15 seconds.');
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const databaseName = options.databaseName ?? 'pikir';
  return {
    uri: `mongodb://127.0.0.1:${port}/${databaseName}`,
    port,
    pid: child.pid!,
    exited,
    async stop() {
      if (!alive) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
