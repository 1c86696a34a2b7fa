// Flood protection for submissions: per-link and per-client windows, in memory, no addresses kept.
import type { Request } from 'express';
import type { Config } from '../config.js';
import { clientKey } from '../lib/client-key.js';
import { AppError } from '../lib/errors.js';
import { WindowLimiter } from '../lib/rate-limit.js';
import type { Entry } from './entry.js';

export function submissionGuard(config: Config) {
  const perClient = new WindowLimiter(config.responsesPerMinutePerClient, 60_000);
  const perLink = new WindowLimiter(config.responsesPerMinutePerLink, 60_000);
  return (req: Request, entry: Entry): void => {
    const wait = Math.max(perLink.hit(entry.campaign._id), perClient.hit(clientKey(req)));
    if (wait > 0) throw new AppError(429, 'rate_limited', 'Too many answers are arriving at once. Please wait a moment and press "Submit" again — your answers are kept.', undefined, wait);
  };
}
