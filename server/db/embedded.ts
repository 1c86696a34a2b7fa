// Launches the embedded FerretDB (SQLite backend) as a child process on a free loopback port.
// The child watches its stdin: if this process dies, even by SIGKILL, the pipe closes and it stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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
  mkdirSync(dbDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(ferretdbBinary, ['-listen', `127.0.0.1:${port}`, '-data', dbDir, '-exit-on-stdin-eof'], {
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
