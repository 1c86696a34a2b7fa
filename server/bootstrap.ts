// Start-up work after the database connects and before the server listens: the first admin, the
// instrument library, finishing response mixes a crash interrupted, repairing aggregates left dirty by
// an unclean stop, and the demo university.
import { SYSTEM_ACTOR } from './accounts/actor.js';
import { ensureAdmin } from './accounts/seed.js';
import { seedLibrary } from './instruments/service.js';
import { seedDemo } from './demo/seed.js';
import { sweepExpiredDrafts } from './respond/drafts.js';
import { startInvitationWorker } from './invitations/sender.js';
import { connectedToFerretDB } from './db/connection.js';
import type { Services } from './services.js';
import { seedCalendar } from './councils/calendar.js';
import { academicYearOf } from './campaigns/dates.js';

const DRAFT_SWEEP_MS = 60 * 60_000;

/** Returns the stop function: it stops the background work at once and resolves when it has let go of the database. */
export async function bootstrap(services: Services): Promise<() => Promise<void>> {
  const { config, logger } = services;
  await ensureAdmin(config, logger);
  const added = await seedLibrary(SYSTEM_ACTOR);
  if (added) logger.info({ added }, 'instrument library stored');
  // Before the recompute: a crash mid-mix leaves two generations of a campaign, and only the current one counts.
  // On MongoDB it does not run (README "Anonymity on disk").
  const mixing = await services.mixer.start(connectedToFerretDB());
  if (mixing) logger.info({ periodSeconds: config.responseMixSeconds }, 'responses are rewritten in random order after each mixing period');
  await services.analytics.recomputeDirty();
  if (config.demoData) await seedDemo(services);
  // This academic year's deliverables of the monitoring procedure (once per year; admins edit them).
  await seedCalendar(academicYearOf(new Date()));
  const sweep = setInterval(() => void sweepExpiredDrafts().catch((err: unknown) => logger.warn({ err }, 'draft sweep failed')), DRAFT_SWEEP_MS);
  sweep.unref();
  // The invitation mail loop (unref'd timer; does nothing without SMTP_URL).
  const stopInvitations = startInvitationWorker(config, logger);
  return async () => {
    clearInterval(sweep);
    // A mix called off drops its half-written generation: that needs the database, so the caller waits.
    await Promise.all([
      services.mixer.stop().catch((err: unknown) => logger.warn({ err }, 'stopping the response mixer failed')),
      stopInvitations().catch((err: unknown) => logger.warn({ err }, 'stopping the invitation worker failed')),
    ]);
  };
}
