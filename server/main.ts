// Process entry: configuration, database (external or embedded), listen, and a graceful shutdown.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase, disconnectDatabase } from './db/connection.js';
import { EmbeddedUnavailableError, startEmbedded, type EmbeddedServer } from './db/embedded.js';
import { createLogger } from './lib/logger.js';
import { signInTable } from './lib/sign-in-table.js';
import { bootstrap } from './bootstrap.js';
import { startRealtime } from './realtime/server.js';
import { createServices } from './services.js';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedServer | undefined;
  let shuttingDown = false;
  let uri = config.mongodbUri;
  if (!uri) {
    try {
      embedded = await startEmbedded({ dataDir: config.dataDir, checkpointSeconds: config.dbCheckpointSeconds, onLog: (line) => logger.debug({ ferretdb: line }) });
    } catch (err) {
      if (err instanceof EmbeddedUnavailableError) fail(err.message);
      throw err;
    }
    uri = embedded.uri;
    logger.info({ dataDir: config.dataDir }, 'embedded FerretDB started');
    // If the embedded database dies, start it again on the same port: the driver reconnects by itself and
    // requests meanwhile get a retryable 503.
    const watch = (server: EmbeddedServer): void => {
      void server.exited.then(async (code) => {
        if (shuttingDown) return;
        logger.error({ code }, 'the embedded FerretDB exited unexpectedly; restarting it');
        for (let attempt = 1; !shuttingDown; attempt++) {
          await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * attempt)));
          try {
            embedded = await startEmbedded({ dataDir: config.dataDir, port: server.port, checkpointSeconds: config.dbCheckpointSeconds, onLog: (line) => logger.debug({ ferretdb: line }) });
            logger.info({ attempt }, 'embedded FerretDB restarted');
            watch(embedded);
            return;
          } catch (err) {
            logger.error({ err, attempt }, 'restarting the embedded FerretDB failed');
          }
        }
      }).catch((err: unknown) => logger.error({ err }, 'watching the embedded FerretDB failed'));
    };
    watch(embedded);
  }
  await connectDatabase({ uri, embedded: Boolean(embedded) });
  const services = createServices(config, logger);
  const { stop: stopBackground, signIns } = await bootstrap(services);

  const app = createApp(services);
  const server: Server = createServer(app);
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const realtime = startRealtime(server, services);

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.warn('requests did not finish within 10 s; closing anyway');
      server.closeAllConnections();
    }, 10_000);
    force.unref();
    const background = stopBackground();
    // Closing Socket.IO also stops the HTTP server from accepting; requests in flight finish.
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    await realtime.close();
    server.closeIdleConnections();
    await closed;
    await background;
    await services.reports.close().catch((err: unknown) => logger.warn({ err }, 'closing the report printer failed'));
    await services.credentials.close().catch((err: unknown) => logger.warn({ err }, 'stopping the signing thread failed'));
    await services.writer.settle().catch((err: unknown) => logger.warn({ err }, 'could not settle aggregates; they will be recomputed at the next start'));
    await disconnectDatabase().catch((err: unknown) => logger.warn({ err }, 'database disconnect failed'));
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  const stop = (signal: string) =>
    void shutdown(signal).catch((err: unknown) => {
      logger.error({ err, signal }, 'graceful shutdown failed; exiting');
      process.exit(1);
    });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  logger.info({ url: config.baseUrl, startupMs: Date.now() - startedAt }, 'Pikir is ready');
  console.log(`Pikir is ready at ${config.baseUrl} (started in ${Date.now() - startedAt} ms)`);
  const table = signInTable(signIns, `${config.baseUrl}/login`);
  if (table) console.log(table);
}

main().catch((err: unknown) => {
  console.error('Pikir could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
