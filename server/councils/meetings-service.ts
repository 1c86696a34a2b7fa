// Council meetings: date, language, attendance (and so the quorum), agenda items. An agenda item may
// carry a snapshot of results — frozen as the council's scope saw them at that moment, through the gate —
// and the council's decision on it, with the rationale, the stakeholders' comments considered and the vote.
import { localDay } from '../lib/dates.js';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/service.js';
import { getCampaign } from '../campaigns/service.js';
import type { Analytics } from '../analytics/service.js';
import { AppError, conflict, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { langSchema } from '../lib/schemas.js';
import { assertEditFaculty, assertReadFaculty, canReadFaculty, councilActor } from './access.js';
import { getCouncil, quorumOf } from './council-service.js';
import { DECISION_KINDS, Meeting, type AgendaItem, type Decision, type MeetingDoc, type Snapshot } from './model.js';

const day = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });

export const meetingInput = z.strictObject({
  date: day,
  title: z.string().trim().min(1, 'is required').max(300),
  lang: langSchema,
  status: z.enum(['planned', 'held']).default('planned'),
});
export type MeetingInput = z.input<typeof meetingInput>;

export const agendaInput = z.strictObject({
  /** Optional with results: the frozen item's (or scale's, or campaign's) name in the meeting's language. */
  title: z.string().trim().max(500).default(''),
  /** Results to freeze on the item: a campaign, a group, and optionally an item or a scale. */
  campaign: z.string().regex(/^c[0-9a-z]{14}$/, 'is not a campaign id').optional(),
  unit: z.string().regex(/^(university|(faculty|programme|cohort|discipline)~[A-Za-z0-9_-]{1,60})$/).optional(),
  item: z.string().max(60).optional(),
  scale: z.string().max(60).optional(),
});
export type AgendaInput = z.input<typeof agendaInput>;

export const decisionInput = z.strictObject({
  kind: z.enum(DECISION_KINDS),
  unit: z.string().max(60).optional(),
  rationale: z.string().trim().min(1, 'is required').max(5_000),
  stakeholderComments: z.string().trim().max(5_000).default(''),
  votes: z.strictObject({ for: z.number().int().min(0).max(500), against: z.number().int().min(0).max(500), abstain: z.number().int().min(0).max(500) }),
});
export type DecisionInput = z.input<typeof decisionInput>;

const today = () => localDay(new Date());

export async function listMeetings(actor: Actor, faculty: string): Promise<MeetingDoc[]> {
  assertReadFaculty(actor, faculty);
  // Meetings are few per faculty (a handful a year); the filter scans a small collection.
  const docs = (await Meeting.find({ faculty }).lean()) as MeetingDoc[];
  return docs.sort((a, b) => b.date.localeCompare(a.date));
}

export async function getMeeting(actor: Actor, id: string): Promise<MeetingDoc> {
  const doc = (await Meeting.findById(id).lean()) as MeetingDoc | null;
  if (!doc || !canReadFaculty(actor, doc.faculty)) throw notFound('There is no such meeting, or it is outside your scope.');
  return doc;
}

export async function createMeeting(actor: Actor, faculty: string, input: MeetingInput): Promise<MeetingDoc> {
  assertEditFaculty(actor, faculty);
  await getCouncil(actor, faculty); // the faculty exists
  const doc: MeetingDoc = { _id: newId('mtg'), faculty, ...meetingInput.parse(input), attendance: [], agenda: [], createdAt: new Date() };
  await Meeting.create(doc);
  await recordAudit(actor, { action: 'create', entity: 'council_meetings', entityId: doc._id, after: { faculty, date: doc.date, title: doc.title } });
  return doc;
}

async function editable(actor: Actor, id: string): Promise<MeetingDoc> {
  const meeting = await getMeeting(actor, id);
  assertEditFaculty(actor, meeting.faculty);
  return meeting;
}

async function save(actor: Actor, before: MeetingDoc, after: MeetingDoc, action = 'update'): Promise<MeetingDoc> {
  await Meeting.replaceOne({ _id: after._id }, after);
  const diff = changedFields(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
  if (Object.keys(diff.after).length) await recordAudit(actor, { action, entity: 'council_meetings', entityId: after._id, ...diff });
  return after;
}

export async function updateMeeting(actor: Actor, id: string, input: MeetingInput): Promise<MeetingDoc> {
  const before = await editable(actor, id);
  return save(actor, before, { ...before, ...meetingInput.parse(input) });
}

export async function setAttendance(actor: Actor, id: string, present: string[]): Promise<MeetingDoc> {
  const before = await editable(actor, id);
  const council = await getCouncil(actor, before.faculty);
  const known = new Set(council.members.map((m) => m.id));
  return save(actor, before, { ...before, attendance: [...new Set(present.filter((p) => known.has(p)))] });
}

/**
 * Puts an item on the agenda; with a campaign, freezes its results as the council sees them now (the
 * council's own scope, through the gate): later responses never change the snapshot.
 */
export async function addAgendaItem(actor: Actor, analytics: Analytics, id: string, input: AgendaInput): Promise<MeetingDoc> {
  const before = await editable(actor, id);
  const parsed = agendaInput.parse(input);
  if (!parsed.title && !parsed.campaign) throw new AppError(400, 'validation_failed', 'An agenda item needs a title (or results to discuss).', [{ path: 'title', message: 'is required' }]);
  const item: AgendaItem = { id: newId('ai'), title: parsed.title };
  if (parsed.campaign) {
    item.snapshot = await takeSnapshot(actor, analytics, before.faculty, { campaign: parsed.campaign, unit: parsed.unit, item: parsed.item, scale: parsed.scale });
    if (!item.title) item.title = `${item.snapshot.label[before.lang]} — ${item.snapshot.unitName[before.lang]}`;
  }
  return save(actor, before, { ...before, agenda: [...before.agenda, item] }, 'update');
}

export async function removeAgendaItem(actor: Actor, id: string, itemId: string): Promise<MeetingDoc> {
  const before = await editable(actor, id);
  if (!before.agenda.some((a) => a.id === itemId)) throw notFound('There is no such agenda item.');
  return save(actor, before, { ...before, agenda: before.agenda.filter((a) => a.id !== itemId) });
}

export async function recordDecision(actor: Actor, id: string, itemId: string, input: DecisionInput): Promise<MeetingDoc> {
  const before = await editable(actor, id);
  const council = await getCouncil(actor, before.faculty);
  const decision: Decision = decisionInput.parse(input);
  const q = quorumOf(council, before.attendance);
  const cast = decision.votes.for + decision.votes.against + decision.votes.abstain;
  if (q.voting && cast > q.present) throw conflict(`More votes (${cast}) than voting members present (${q.present}): record the attendance first.`, 'votes_exceed_attendance');
  if (!before.agenda.some((a) => a.id === itemId)) throw notFound('There is no such agenda item.');
  return save(actor, before, { ...before, agenda: before.agenda.map((a) => (a.id === itemId ? { ...a, decision } : a)) });
}

export async function takeSnapshot(actor: Actor, analytics: Analytics, faculty: string, what: { campaign: string; unit?: string; item?: string; scale?: string }): Promise<Snapshot> {
  // The person adding it must see the campaign; the figures are those the council's scope sees.
  const campaign = await getCampaign(actor, what.campaign);
  const scope = councilActor(faculty);
  const results = await analytics.resultsFor(scope, campaign, { unit: what.unit });
  const unit = results.units.find((u) => u.key === results.selected)!;
  const base = { campaign: campaign._id, campaignTitle: campaign.title, unit: unit.key, unitName: unit.name, final: results.final, takenOn: today(), k: results.k };
  const rows = (figures: Record<string, unknown>) => results.shown.map((key) => ({ key, name: results.units.find((u) => u.key === key)?.name, figures: figures[key] }));
  if (what.item) {
    const item = results.items.find((i) => i.id === what.item);
    if (!item) throw notFound('There is no such question in this campaign.');
    return { ...base, item: item.id, label: item.text, esg: item.esg ?? [], figures: { kind: 'item', type: item.type, labels: item.labels, options: item.options, rows: rows(item.figures) } };
  }
  if (what.scale) {
    const scales = await analytics.scalesAndComments(scope, campaign._id, { unit: unit.key }, results);
    const scale = scales.scales.find((s) => s.id === what.scale);
    if (!scale) throw notFound('There is no such scale in this campaign.');
    return { ...base, scale: scale.id, label: scale.title, esg: [], figures: { kind: 'scale', index: scale.index, alpha: scale.alpha, reason: scale.reason ?? null } };
  }
  return {
    ...base,
    label: campaign.title,
    esg: [],
    figures: { kind: 'overview', responses: results.responses, units: results.units.filter((u) => results.shown.includes(u.key)).map((u) => ({ key: u.key, name: u.name, n: u.n, rate: u.rate ?? null, reason: u.reason ?? null })) },
  };
}

export { quorumOf };
