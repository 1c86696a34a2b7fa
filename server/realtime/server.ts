// Socket.IO on the app's HTTP server. The handshake uses the same session cookie as the pages and
// checks the origin; sessions are re-checked periodically, so a disabled account or an expired session
// is disconnected. Clients subscribe to results rooms through the dispatcher only.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { Services } from '../services.js';
import { actorFromCookieHeader, sessionSettings } from '../accounts/session.js';
import { getCampaign } from '../campaigns/service.js';
import { campaignIdSchema, unitKeySchema } from '../lib/schemas.js';
import { dispatch } from './dispatcher.js';
import { Publisher } from './publisher.js';
import { campaignRoom, resultsRoom } from './rooms.js';

const SESSION_RECHECK_MS = 30_000;
const subscribe = z.strictObject({ campaign: campaignIdSchema, unit: unitKeySchema.default('university') });

export interface Realtime {
  io: Server;
  publisher: Publisher;
  close(): Promise<void>;
}

export function startRealtime(httpServer: HttpServer, services: Pick<Services, 'config' | 'logger' | 'analytics'>, options: { sessionRecheckMs?: number } = {}): Realtime {
  const { config, logger } = services;
  const session = sessionSettings(config);
  const allowedOrigin = new URL(config.baseUrl).origin;
  const io = new Server(httpServer, {
    serveClient: true,
    maxHttpBufferSize: 16_384,
    cors: { origin: false },
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const host = req.headers.host;
      // Browsers always send Origin on WebSocket and polling requests: it must be our own.
      const ok = !origin || origin === allowedOrigin || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
      callback(ok ? null : 'origin not allowed', ok);
    },
  });
  const publisher = new Publisher(io, services.analytics, logger);

  // Socket.IO ignores a middleware's promise: the catch hands every failure to next().
  io.use((socket, next) => void (async () => {
    try {
      const actor = await actorFromCookieHeader(socket.request.headers.cookie, session);
      if (!actor) return next(new Error('unauthorised'));
      socket.data.actor = actor;
      next();
    } catch (err) {
      next(err instanceof Error ? err : new Error('unauthorised'));
    }
  })());

  io.on('connection', (socket) => {
    dispatch(
      socket,
      {
        subscribe: {
          schema: subscribe,
          // Scope is checked by the services (getCampaign and the results gate), exactly as for HTTP.
          async handle(actor, payload: z.infer<typeof subscribe>) {
            await getCampaign(actor, payload.campaign);
            const snapshot = await publisher.snapshot(actor, payload.campaign, payload.unit);
            for (const room of socket.rooms) if (room !== socket.id) await socket.leave(room);
            await socket.join([campaignRoom(payload.campaign), resultsRoom(payload.campaign, payload.unit, actor)]);
            publisher.remember(resultsRoom(payload.campaign, payload.unit, actor), actor);
            return snapshot;
          },
        },
        snapshot: {
          schema: subscribe,
          async handle(actor, payload: z.infer<typeof subscribe>) {
            return publisher.snapshot(actor, payload.campaign, payload.unit);
          },
        },
      },
      logger,
    );
  });

  const recheck = setInterval(() => void (async () => {
    for (const socket of io.sockets.sockets.values()) {
      const actor = await actorFromCookieHeader(socket.request.headers.cookie, session).catch(() => null);
      if (!actor) socket.disconnect(true);
      else socket.data.actor = actor;
    }
  })().catch((err: unknown) => logger.warn({ err }, 'session recheck failed')), options.sessionRecheckMs ?? SESSION_RECHECK_MS);
  recheck.unref();

  return {
    io,
    publisher,
    async close() {
      clearInterval(recheck);
      publisher.stop();
      await new Promise<void>((resolve, reject) => void io.close(() => resolve()).catch(reject));
    },
  };
}
