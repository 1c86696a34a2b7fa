// The reminder schedule as pure functions of stored days (no timers): which day each step falls on for one
// contact, which step is due now, and when the night in the university's time zone (lib/dates.ts) ends. A
// contact keeps days only (invitedOn, lastSentOn, lastStepOn), never a time; because the answer depends
// only on what is stored, a restarted worker finds exactly the steps a running one would.
import { z } from 'zod';
import type { QuietHours } from '../config.js';
import { localDay, startOfDay, timeZone } from '../lib/dates.js';

export const MAX_STEPS = 6;

export const scheduleStep = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('invitation'), days: z.number().int().min(1).max(60).describe('days after the invitation was sent') }),
  z.strictObject({ from: z.literal('close'), days: z.number().int().min(1).max(60).describe('days before the campaign closes') }),
]);
export type ScheduleStep = z.infer<typeof scheduleStep>;

/** "2026-03-02" plus n calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The day a step falls on for a contact invited on `invitedOn`. */
export function stepDay(step: ScheduleStep, invitedOn: string, closesAt: Date): string {
  return step.from === 'invitation' ? addDays(invitedOn, step.days) : addDays(localDay(closesAt), -step.days);
}

/** The hour, minute and second at `date` on the university's clock. */
export function localTime(date: Date): { hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone(), hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: get('hour'), minute: get('minute'), second: get('second') };
}

export function isQuiet(date: Date, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const { hour } = localTime(date);
  return quiet.from > quiet.to ? hour >= quiet.from || hour < quiet.to : hour >= quiet.from && hour < quiet.to;
}

/** `date` itself outside the night; otherwise the end of the night (quiet.to:00 on the university's clock). */
export function afterQuiet(date: Date, quiet: QuietHours | null): Date {
  let at = date;
  // Counting whole hours from the local hour: across a daylight-saving change the result is an hour off —
  // an hour late in spring (still outside the night), an hour early in autumn (still night: look again).
  for (let i = 0; i < 3 && quiet && isQuiet(at, quiet); i++) {
    const { hour, minute, second } = localTime(at);
    const hoursLeft = (quiet.to - hour + 24) % 24 || 24;
    at = new Date(at.getTime() + hoursLeft * 3_600_000 - minute * 60_000 - second * 1000 - (at.getTime() % 1000));
  }
  return at;
}

/** The first moment of a day when reminders may go: its start, or the end of the night that covers it. */
export const dayStart = (day: string, quiet: QuietHours | null): Date => afterQuiet(startOfDay(day), quiet);

export interface ScheduledContact {
  invitedOn: string | null;
  lastSentOn: string | null;
  /** The day of the last step served (steps up to it are done). */
  lastStepOn: string | null;
  reminders: number;
}

export interface Rules {
  steps: readonly ScheduleStep[];
  maxReminders: number;
  closesAt: Date;
  quiet: QuietHours | null;
}

/**
 * The next scheduled reminder of one contact: `sendAt` is when it may go (the morning of the earliest step
 * not yet served, and never on the day of the person's last mail), `step` the day of the step it serves —
 * when several steps are already past (the worker was stopped for days, or the schedule was set late) one
 * mail serves them all, so nobody gets two reminders in a row. Null: nothing more to send before the close.
 */
export function nextReminder(c: ScheduledContact, rules: Rules, now: Date): { sendAt: Date; step: string } | null {
  if (!c.invitedOn || c.reminders >= rules.maxReminders) return null;
  const done = c.lastStepOn ?? '';
  const closeDay = localDay(rules.closesAt);
  const days = rules.steps
    .map((s) => stepDay(s, c.invitedOn!, rules.closesAt))
    .filter((d) => d > done && d <= closeDay)
    .sort();
  if (!days.length) return null;
  const lastMail = c.lastSentOn && c.lastSentOn > c.invitedOn ? c.lastSentOn : c.invitedOn;
  const dayAfterLastMail = addDays(lastMail, 1);
  const sendDay = days[0]! > dayAfterLastMail ? days[0]! : dayAfterLastMail;
  const sendAt = dayStart(sendDay, rules.quiet);
  if (sendAt >= rules.closesAt) return null;
  const upTo = localDay(now) > sendDay ? localDay(now) : sendDay;
  const past = days.filter((d) => d <= upTo);
  return { sendAt, step: past.length ? past[past.length - 1]! : days[0]! };
}
