// Starts the real app on a free loopback port for a test, with a test configuration: in this process (so a
// test can reach into it), or as the compiled `node dist/server/main.js` that users run.
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { freePort } from '../../server/db/embedded.js';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { startRealtime, type Realtime } from '../../server/realtime/server.js';
import { createServices, type Services } from '../../server/services.js';
import { spawnServer, waitReady } from './server-process.js';

/** A running server a test talks to over HTTP: `config` is the configuration it runs with. */
export interface RunningServer {
  url: string;
  config: Config;
  close(): Promise<void>;
}

export interface TestServer extends RunningServer {
  server: Server;
  /** This server's own services (writer, analytics, submissions): no state is shared between test servers. */
  services: Services;
  realtime?: Realtime;
}

function testEnv(overrides: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pikir-data-')),
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    // Tests read figures right after a flush: release every cut at once.
    RELEASE_INTERVAL_MS: '0',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

/** The app on a free port; with `realtime`, Socket.IO too, and BASE_URL set to the real address. */
export async function startTestServer(overrides: Record<string, string> = {}, options: { realtime?: boolean; sessionRecheckMs?: number; port?: number } = {}): Promise<TestServer> {
  // A port chosen before (freePort) when something else must know BASE_URL first (an OpenID provider).
  const port = options.port ?? (await freePort());
  const config = testConfig({ PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, ...overrides });
  const logger = pino({ level: 'silent' });
  const services = createServices(config, logger);
  const app = createApp(services);
  const server = createServer(app);
  const realtime = options.realtime ? startRealtime(server, services, { sessionRecheckMs: options.sessionRecheckMs }) : undefined;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    server,
    services,
    realtime,
    close: async () => {
      if (realtime) await realtime.close();
      await services.reports.close();
      await services.credentials.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      });
    },
  };
}

/**
 * The compiled server as a child process, in production mode, on the test database, configured through
 * the environment exactly as `testConfig(overrides)` is (so `config.jwtSecret` signs cookies it accepts).
 * close() stops it with SIGTERM and fails unless it exits cleanly.
 */
export async function startCompiledServer(overrides: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = testEnv({
    NODE_ENV: 'production',
    PORT: String(port),
    BASE_URL: url,
    MONGODB_URI: process.env.TEST_MONGODB_URI!,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'compiled@pikir.local',
    ADMIN_PASSWORD: 'compiled-server-admin-2026',
    ...overrides,
  });
  const config = loadConfig(env);
  const running = spawnServer(env);
  await waitReady(url, running);
  return {
    url,
    config,
    close: async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
      const code = await running.exited;
      if (code !== 0) throw new Error(`the compiled server exited with ${code}:\n${running.output()}`);
    },
  };
}
