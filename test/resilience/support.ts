// Fault-injection helpers: a FerretDB the test can kill and restart on the same port, the real server as
// a child process (compiled, as users run it), and a load of submissions that retries like a respondent pressing "Submit" again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { connectDatabase } from '../../server/db/connection.js';
import { freePort, startEmbedded, type EmbeddedServer } from '../../server/db/embedded.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { spawnServer, waitReady, type ServerProcess } from '../support/server-process.js';

export class KillableDatabase {
  server!: EmbeddedServer;
  readonly dir = mkdtempSync(join(tmpdir(), 'pikir-resilience-'));
  port = 0;
  async start(): Promise<void> {
    this.port ||= await freePort();
    this.server = await startEmbedded({ dataDir: this.dir, port: this.port, databaseName: 'pikir_res' });
  }
  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/pikir_res`;
  }
  async kill(): Promise<void> {
    process.kill(this.server.pid, 'SIGKILL');
    await this.server.exited;
  }
}

export async function useDatabase(uri: string): Promise<void> {
  await mongoose.disconnect();
  await connectDatabase({ uri, embedded: true });
}

export interface ServerChild extends ServerProcess {
  url: string;
}

/**
 * The compiled server (as `npm start` runs it) on `uri`, ready, with the flood limits out of the way;
 * `env` adds to or overrides its settings (e.g. DEMO_DATA, SMTP_URL).
 */
export async function startServer(uri: string, port?: number, env: Record<string, string> = {}): Promise<ServerChild> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const running = spawnServer({
    PORT: String(port),
    BASE_URL: url,
    MONGODB_URI: uri,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pikir-res-data-')),
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'res@pikir.local',
    ADMIN_PASSWORD: 'resilience-admin-2026',
    RESPONSES_PER_MINUTE_PER_CLIENT: '10000000',
    RESPONSES_PER_MINUTE_PER_LINK: '10000000',
    ...env,
  });
  // The demo university (DEMO_DATA) takes a few seconds more to create.
  await waitReady(url, running, env.DEMO_DATA === 'true' ? 120_000 : 60_000);
  return { ...running, url };
}

export interface LoadResult {
  acknowledged: Set<string>;
  statuses: Map<number, number>;
  retryAfterMissing: number;
}

/** Posts responses from `workers` loops until stop() — each retried with the same submission id on 503. */
export function startLoad(url: string, link: string, answers: () => Record<string, unknown>, workers = 8, segment: Record<string, string | undefined> = {}) {
  const result: LoadResult = { acknowledged: new Set(), statuses: new Map(), retryAfterMissing: 0 };
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const submissionId = randomBase32(26);
      const body = JSON.stringify({ submissionId, lang: 'kk', segment, answers: answers() });
      for (let attempt = 0; attempt < 200 && running; attempt++) {
        let status = 0;
        try {
          const res = await fetch(`${url}/api/respond/${link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
          status = res.status;
          if (status === 503 && !res.headers.get('retry-after')) result.retryAfterMissing++;
          await res.arrayBuffer();
        } catch {
          status = -1; // connection refused or reset: the server is down
        }
        result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
        if (status === 201 || status === 200) {
          result.acknowledged.add(submissionId);
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  return {
    result,
    async stop(): Promise<LoadResult> {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}
