// The schedule pass: queues the reminders whose schedule step is due (schedule.ts), for the sending worker
// to deliver. It reads only stored days, so a pass interrupted by a crash is simply run again (queued
// contacts are skipped as pending) and steps that fell due while the server was down are found after it.
// Who answered is not looked at here: a due step is queued for everyone still invited, and delivery skips
// the mail for those who answered while recording the step alike (delivery.ts), so that neither what is
// queued nor what is recorded tells who answered.
import type { CampaignDoc } from '../campaigns/model.js';
import type { Config } from '../config.js';
import { Contact, type ContactDoc, type MailingDoc } from './model.js';
import { nextReminder, type Rules } from './schedule.js';
import { contactsOf } from './service.js';

/** Even when no step is near, look again this often (a changed closing date moves "before closing" steps). */
export const RECHECK_MS = 60 * 60_000;

const waiting = (c: ContactDoc) => !c.pending && c.status !== 'unsubscribed' && c.status !== 'bounced' && c.sends > 0;

/** Queues every due step of a mailing; returns how many were queued and when to look next. */
export async function queueDueReminders(config: Pick<Config, 'quietHours'>, mailing: MailingDoc, campaign: CampaignDoc, now: Date): Promise<{ queued: number; nextAt: Date }> {
  const rules: Rules = { steps: mailing.schedule, maxReminders: mailing.maxReminders, closesAt: campaign.closesAt, quiet: config.quietHours };
  let queued = 0;
  let nextAt = now.getTime() + RECHECK_MS;
  for await (const c of contactsOf(mailing)) {
    if (!waiting(c)) continue;
    // Contacts invited before schedules existed count from their last mail.
    const next = nextReminder({ invitedOn: c.invitedOn ?? c.lastSentOn, lastSentOn: c.lastSentOn, lastStepOn: c.lastStepOn, reminders: c.reminders }, rules, now);
    if (!next) continue;
    if (next.sendAt > now) {
      nextAt = Math.min(nextAt, next.sendAt.getTime());
      continue;
    }
    await Contact.updateOne({ _id: c._id }, { $set: { pending: 'reminder', pendingStep: next.step, attempts: 0, lastError: '' } });
    queued += 1;
  }
  return { queued, nextAt: new Date(nextAt) };
}
