// One pino logger. Request logs record method, a redacted path, status and time: never IP addresses,
// headers, cookies, query strings (tokens travel there) or bodies.
import { pino, type Logger } from 'pino';
import type { RequestHandler } from 'express';

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

/**
 * One line per finished request through the app's pino logger: method, redacted path, status and time.
 * (pino-http's per-request child loggers cost more than the respondent path itself; this is all we log.)
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({ req: { method: req.method, path: redactUrl(req.originalUrl) }, res: { status }, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request completed');
    });
    next();
  };
}
