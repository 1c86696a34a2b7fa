// Socket.IO on the app's HTTP server. The handshake uses the same session cookie as the pages and
// checks the origin; sessions are re-checked periodically, so a disabled account or an expired session
// is disconnected. Clients subscribe to results rooms through the dispatcher only.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Services } from '../services.js';
import { actorFromCookieHeader, sessionSettings } from '../accounts/session.js';
import { getCampaign } from '../campaigns/service.js';
import { campaignIdSchema, unitKeySchema } from '../lib/schemas.js';
import { dispatch } from './dispatcher.js';
import { Publisher } from './publisher.js';
import { campaignRoom, councilRoom, resultsRoom, scopeSignature } from './rooms.js';
import { assertReadFaculty } from '../councils/access.js';
import type { Actor } from '../accounts/actor.js';

const SESSION_RECHECK_MS = 30_000;
const subscribe = z.strictObject({ campaign: campaignIdSchema, unit: unitKeySchema.default('university') });
const countsSubscribe = z.strictObject({ campaigns: z.array(campaignIdSchema).max(30) });
const councilSubscribe = z.strictObject({ faculty: z.string().regex(/^fac_[0-9a-z]{16}$/, 'is not a faculty id') });

export interface Realtime {
  io: Server;
  publisher: Publisher;
  close(): Promise<void>;
}

export function startRealtime(httpServer: HttpServer, services: Pick<Services, 'config' | 'logger' | 'analytics' | 'users' | 'councils'>, options: { sessionRecheckMs?: number } = {}): Realtime {
  const { config, logger } = services;
  const session = sessionSettings(config);
  const allowedOrigin = new URL(config.baseUrl).origin;
  const io = new Server(httpServer, {
    serveClient: true,
    maxHttpBufferSize: 16_384,
    cors: { origin: false },
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      // Browsers always send Origin on WebSocket and polling requests: it must be BASE_URL's origin. Not the
      // Host header's: a page on another site can open a socket to any host name that reaches us.
      const ok = !origin || origin === allowedOrigin;
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
            for (const room of socket.rooms) if (room !== socket.id && !room.startsWith('council:')) await socket.leave(room);
            await socket.join([campaignRoom(payload.campaign), resultsRoom(payload.campaign, payload.unit, actor)]);
            publisher.remember(resultsRoom(payload.campaign, payload.unit, actor), actor);
            return snapshot;
          },
        },
        counts: {
          schema: countsSubscribe,
          // The staff home: response counts of the open campaigns in view, pushed as they grow (the count
          // room only; no results). Every campaign is checked against the scope as for HTTP.
          async handle(actor, payload: z.infer<typeof countsSubscribe>) {
            for (const id of payload.campaigns) await getCampaign(actor, id);
            await socket.join(payload.campaigns.map(campaignRoom));
            return { counts: Object.fromEntries(await services.analytics.responseCounts(payload.campaigns)) };
          },
        },
        council: {
          schema: councilSubscribe,
          // A council page: told when the faculty's meetings or actions change (same scope check as HTTP).
          async handle(actor, payload: z.infer<typeof councilSubscribe>) {
            assertReadFaculty(actor, payload.faculty);
            await socket.join(councilRoom(payload.faculty));
            return { faculty: payload.faculty };
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

  /**
   * Applies the account's current state to an open socket: gone or disabled → disconnected; another role or
   * scope → out of every room (no more pushes for the old scope) and told to subscribe again.
   */
  const refresh = async (socket: Socket): Promise<void> => {
    const actor = await actorFromCookieHeader(socket.request.headers.cookie, session).catch(() => null);
    const before = socket.data.actor as Actor | undefined;
    if (!actor) {
      socket.disconnect(true);
      return;
    }
    socket.data.actor = actor;
    if (before && scopeSignature(before) !== scopeSignature(actor)) {
      for (const room of [...socket.rooms]) if (room !== socket.id) await socket.leave(room);
      socket.emit('scope-changed', {});
    }
  };
  const refreshAll = async (which: (socket: Socket) => boolean) => {
    for (const socket of io.sockets.sockets.values()) if (which(socket)) await refresh(socket);
  };
  // In this process at once; other processes at their next periodic re-check.
  const offUsers = services.users.on((userId) => void refreshAll((s) => (s.data.actor as Actor | undefined)?.userId === userId).catch((err: unknown) => logger.warn({ err }, 'applying an account change to sockets failed')));
  // Council records: only a faculty's room hears of its changes (what changed, not its content: the page
  // reloads it through the scoped HTTP routes).
  const offCouncils = services.councils.on((change) => void io.to(councilRoom(change.faculty)).emit('council-changed', { kind: change.kind, id: change.id }));
  const recheck = setInterval(() => void refreshAll(() => true).catch((err: unknown) => logger.warn({ err }, 'session recheck failed')), options.sessionRecheckMs ?? SESSION_RECHECK_MS);
  recheck.unref();

  return {
    io,
    publisher,
    async close() {
      clearInterval(recheck);
      offUsers();
      offCouncils();
      publisher.stop();
      await new Promise<void>((resolve, reject) => void io.close(() => resolve()).catch(reject));
    },
  };
}
