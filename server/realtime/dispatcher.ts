// The one socket dispatcher: every client event is validated, runs a service with the socket's actor
// (which checks scope), is caught, and answers {ok, data} or {ok: false, error: {code, message}}.
import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Actor } from '../accounts/actor.js';
import { toAppError } from '../lib/error-handler.js';
import { validationError } from '../lib/validate.js';

export type Ack = (reply: { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }) => void;

export interface EventSpec<S extends z.ZodType> {
  schema: S;
  handle(actor: Actor, payload: z.infer<S>, socket: Socket): Promise<unknown>;
}

export function dispatch(socket: Socket, events: Record<string, EventSpec<z.ZodType>>, logger: Logger): void {
  for (const [name, spec] of Object.entries(events)) {
    socket.on(name, async (payload: unknown, ack?: unknown) => {
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      try {
        const actor = socket.data.actor as Actor | undefined;
        if (!actor) throw toAppError(Object.assign(new Error('unauthorised'), { status: 401 }));
        const parsed = spec.schema.safeParse(payload);
        if (!parsed.success) throw validationError(parsed.error, `"${name}" payload`);
        reply({ ok: true, data: await spec.handle(actor, parsed.data, socket) });
      } catch (err) {
        const appError = toAppError(err);
        if (appError.status >= 500) logger.error({ err, event: name }, 'socket event failed');
        reply({ ok: false, error: { code: appError.code, message: appError.message } });
      }
    });
  }
}
