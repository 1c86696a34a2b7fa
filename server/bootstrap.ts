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
import type { SignIn } from './lib/sign-in-table.js';
import type { Services } from './services.js';
import { seedCalendar } from './councils/calendar.js';
import { academicYearOf } from './campaigns/dates.js';
import { sweepKeys } from './credentials/keys.js';

const DRAFT_SWEEP_MS = 60 * 60_000;
/** How often closed campaigns' signing keys are destroyed (and missing ones of open campaigns made). */
const KEY_SWEEP_MS = 5 * 60_000;

export interface Started {
  /** Stops the background work at once and resolves when it has let go of the database. */
  stop: () => Promise<void>;
  /** Accounts created by this start, with their one-time passwords: main prints them once, as a table. */
  signIns: SignIn[];
}

export async function bootstrap(services: Services): Promise<Started> {
  const { config, logger } = services;
  const admin = await ensureAdmin(config, logger, () => {});
  const signIns: SignIn[] = admin.created ? [{ role: 'Administrator', scope: 'Everything', email: admin.email!, password: admin.oneTimePassword ?? '(the ADMIN_PASSWORD you set)' }] : [];
  const added = await seedLibrary(SYSTEM_ACTOR);
  if (added) logger.info({ added }, 'instrument library stored');
  // Before the recompute: a crash mid-mix leaves two generations of a campaign, and only the current one counts.
  // On MongoDB it does not run (README "Anonymity on disk").
  const mixing = await services.mixer.start(connectedToFerretDB());
  if (mixing) logger.info({ periodSeconds: config.responseMixSeconds }, 'responses are rewritten in random order after each mixing period');
  await services.analytics.recomputeDirty();
  if (config.demoData) signIns.push(...(await seedDemo(services)));
  // This academic year's deliverables of the monitoring procedure (once per year; admins edit them).
  await seedCalendar(academicYearOf(new Date()));
  const sweep = setInterval(() => void sweepExpiredDrafts().catch((err: unknown) => logger.warn({ err }, 'draft sweep failed')), DRAFT_SWEEP_MS);
  sweep.unref();
  // Blind credentials: a closed campaign's signing key is destroyed within KEY_SWEEP_MS (issuance stops at
  // closing anyway), and an open campaign's key exists before its first respondent asks.
  const keySweep = () => void sweepKeys(config.jwtSecret, logger).catch((err: unknown) => logger.warn({ err }, 'credential key sweep failed'));
  keySweep();
  const keyTimer = setInterval(keySweep, KEY_SWEEP_MS);
  keyTimer.unref();
  // The invitation mail loop (unref'd timer; does nothing without SMTP_URL).
  const stopInvitations = startInvitationWorker(config, logger);
  const stop = async () => {
    clearInterval(sweep);
    clearInterval(keyTimer);
    // A mix called off drops its half-written generation: that needs the database, so the caller waits.
    await Promise.all([
      services.mixer.stop().catch((err: unknown) => logger.warn({ err }, 'stopping the response mixer failed')),
      stopInvitations().catch((err: unknown) => logger.warn({ err }, 'stopping the invitation worker failed')),
    ]);
  };
  return { stop, signIns };
}
