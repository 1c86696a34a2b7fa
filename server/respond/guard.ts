// Flood protection for submissions through open links: per-campaign and per-client windows, in memory,
// no addresses kept (the caller passes a keyed hash of the client's address).
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { WindowLimiter } from '../lib/rate-limit.js';

export type SubmissionGuard = (campaignId: string, client: string) => void;

export function submissionGuard(config: Pick<Config, 'responsesPerMinutePerClient' | 'responsesPerMinutePerLink'>): SubmissionGuard {
  const perClient = new WindowLimiter(config.responsesPerMinutePerClient, 60_000);
  const perLink = new WindowLimiter(config.responsesPerMinutePerLink, 60_000);
  return (campaignId, client) => {
    const wait = Math.max(perLink.hit(campaignId), perClient.hit(client));
    if (wait > 0) throw new AppError(429, 'rate_limited', 'Too many answers are arriving at once. Please wait a moment and press "Submit" again — your answers are kept.', undefined, wait);
  };
}
