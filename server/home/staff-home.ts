// A signed-in user's home: what is running in their scope (open campaigns with responses against the
// target), what needs doing (drafts that should be open, campaigns closing soon, closed ones with results to
// read or publish, invitations not yet sent or due a reminder, and — passed in by the councils feature —
// overdue actions and deliverables), and the latest results. Everything is read through the services'
// scope checks: a council member's home lists only their faculty's campaigns.
import type { Actor } from '../accounts/actor.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { progressMany, type ResponseCounts } from '../campaigns/progress.js';
import { listCampaigns } from '../campaigns/service.js';
import type { TargetFrom } from '../campaigns/target.js';
import type { Config } from '../config.js';
import { countsOf, loadMailing } from '../invitations/service.js';
import type { LocalizedText } from '../instruments/schema.js';

const DAY_MS = 86_400_000;
/** A draft this close to its opening date, or an open campaign this close to closing, is a task. */
const SOON_DAYS = 7;
const CLOSING_DAYS = 3;
/** Closed campaigns shown as recent results. */
const RECENT = 5;

export interface OpenCampaign {
  id: string;
  title: LocalizedText;
  n: number;
  /** The campaign's target (campaigns/target.ts: enrolment, or the stated one). */
  target: number;
  targetFrom: TargetFrom;
  rate: number | null;
  closesAt: Date;
}

export type Todo =
  | { kind: 'open_draft'; campaign: string; title: LocalizedText; on: Date }
  | { kind: 'closing_soon'; campaign: string; title: LocalizedText; on: Date }
  | { kind: 'publish'; campaign: string; title: LocalizedText; on: Date }
  | { kind: 'send_invitations'; campaign: string; title: LocalizedText; count: number }
  | { kind: 'send_reminders'; campaign: string; title: LocalizedText; count: number };

export interface StaffHome {
  open: OpenCampaign[];
  todo: Todo[];
  recent: { id: string; title: LocalizedText; academicYear: string; closedAt: Date; n: number }[];
}

export async function staffHome(actor: Actor, counts: ResponseCounts, config: Pick<Config, 'jwtSecret'>, now = new Date()): Promise<StaffHome> {
  const campaigns = await listCampaigns(actor);
  const byStatus = (s: ReturnType<typeof effectiveStatus>) => campaigns.filter((c) => effectiveStatus(c, now) === s);
  const open = byStatus('open').sort((a, b) => a.closesAt.getTime() - b.closesAt.getTime());
  const closed = byStatus('closed').sort((a, b) => b.closesAt.getTime() - a.closesAt.getTime());
  const recent = closed.slice(0, RECENT);
  const progress = await progressMany(counts, [...open, ...recent]);
  const todo: Todo[] = [];
  // Campaign tasks are the QA office's: only admins create, open, close and publish campaigns.
  if (actor.role === 'admin') {
    for (const c of byStatus('draft')) if (c.opensAt.getTime() - now.getTime() < SOON_DAYS * DAY_MS) todo.push({ kind: 'open_draft', campaign: c._id, title: c.title, on: c.opensAt });
    for (const c of open) if (c.closesAt.getTime() - now.getTime() < CLOSING_DAYS * DAY_MS) todo.push({ kind: 'closing_soon', campaign: c._id, title: c.title, on: c.closesAt });
    for (const c of recent) if (!c.publishedAt && now.getTime() - c.closesAt.getTime() < 60 * DAY_MS && (progress.get(c._id)?.n ?? 0) > 0) todo.push({ kind: 'publish', campaign: c._id, title: c.title, on: c.closesAt });
    todo.push(...(await invitationTasks(open, config)));
  }
  return {
    open: open.map((c) => ({ id: c._id, title: c.title, closesAt: c.closesAt, ...progress.get(c._id)! })),
    todo,
    recent: recent.map((c) => ({ id: c._id, title: c.title, academicYear: c.academicYear, closedAt: c.closesAt, n: progress.get(c._id)?.n ?? 0 })),
  };
}

/**
 * Open campaigns with contacts (a contact list or a cohort roster): invitations not yet sent, and people who
 * have not answered (reminders by hand, unless a schedule sends them).
 */
async function invitationTasks(open: readonly CampaignDoc[], config: Pick<Config, 'jwtSecret'>): Promise<Todo[]> {
  const out: Todo[] = [];
  for (const c of open) {
    const mailing = await loadMailing(c._id);
    if (!mailing.contactIds.length) continue;
    const n = await countsOf(config, c, mailing);
    const unsent = n.contacts - n.sent - n.unsubscribed;
    if (unsent > 0) out.push({ kind: 'send_invitations', campaign: c._id, title: c.title, count: unsent });
    const waiting = n.sent - n.answered - n.unsubscribed - n.bounced;
    if (waiting > 0 && n.queued === 0 && !mailing.schedule.length) out.push({ kind: 'send_reminders', campaign: c._id, title: c.title, count: waiting });
  }
  return out;
}
