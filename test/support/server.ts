// Starts the real app on a free loopback port for a test, with a test configuration.
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

export interface TestServer {
  url: string;
  config: Config;
  server: Server;
  /** This server's own services (writer, analytics, submissions): no state is shared between test servers. */
  services: Services;
  realtime?: Realtime;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pikir-data-')),
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ...overrides,
  });
}

/** The app on a free port; with `realtime`, Socket.IO too, and BASE_URL set to the real address. */
export async function startTestServer(overrides: Record<string, string> = {}, options: { realtime?: boolean; sessionRecheckMs?: number } = {}): Promise<TestServer> {
  const port = await freePort();
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
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      });
    },
  };
}
