// One pino logger. Request logs record method, a redacted path, status and time: never IP addresses,
// headers, cookies, query strings (tokens travel there) or bodies.
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, redact: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie'] });
}

/** Segments after these prefixes are tokens or link ids that could identify a respondent. */
const SECRET_SEGMENT = /^\/(t|s|r|u|unsubscribe)\/[^/?]+/;

export function redactUrl(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (path.startsWith('/api/respond/')) return '/api/respond/[redacted]';
  return path.replace(SECRET_SEGMENT, (_m, prefix: string) => `/${prefix}/[redacted]`);
}

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: () => '',
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    serializers: {
      req: (req: IncomingMessage & { raw?: IncomingMessage }) => ({ method: req.method, path: redactUrl((req.raw ?? req).url) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    wrapSerializers: false,
    customProps: () => ({}),
  });
}
