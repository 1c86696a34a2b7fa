// The councils' JSON API: councils and their members, meetings (attendance, agenda with frozen results,
// decisions), the action register (evidence links; files are uploaded from the action's page), follow-up,
// indicators and targets, the employment import, the ESG evidence map and the monitoring calendar.
import { localDay } from '../lib/dates.js';
import type { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import type { Analytics } from '../analytics/service.js';
import { academicYearOf, academicYearSchema } from '../campaigns/dates.js';
import { apiRoute } from '../lib/api-route.js';
import { namedSchema } from '../lib/openapi.js';
import { lineProblemOut, lineProblemSchema } from '../lib/problems.js';
import { addEvidenceLink, actionInput, createAction, evidenceFile, getAction, linkInput, listActions, removeEvidence, updateAction, isOverdue, overdueActions } from './actions-service.js';
import { addTask, listCalendar, taskInput, updateTask } from './calendar.js';
import { councilInput, getCouncil, listCouncilFaculties, quorumOf, saveCouncil } from './council-service.js';
import { importEmployment } from './employment.js';
import { evidenceMap } from './evidence-map.js';
import { followUp } from './follow-up.js';
import { facultyIndicators, integritySignal, setTarget, targetInput } from './indicators.js';
import { addAgendaItem, agendaInput, createMeeting, decisionInput, getMeeting, listMeetings, meetingInput, recordDecision, removeAgendaItem, setAttendance, updateMeeting } from './meetings-service.js';
import type { CouncilChanges } from './changes.js';
import type { ActionDoc, MeetingDoc } from './model.js';

const text = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
const faculty = z.object({ faculty: z.string().regex(/^fac_[0-9a-z]{16}$/, 'is not a faculty id') });
const meetingId = z.object({ id: z.string().regex(/^mtg[0-9a-z]{14}$/, 'is not a meeting id') });
const actionId = z.object({ id: z.string().regex(/^act[0-9a-z]{14}$/, 'is not an action id') });
const year = z.object({ year: academicYearSchema.optional() });

const memberOut = z.object({ id: z.string(), name: z.string(), userId: z.string().optional(), group: z.string(), role: z.string() });
const councilOut = namedSchema('Council', z.object({ faculty: z.string(), members: z.array(memberOut), quorum: z.number() }));
const snapshotOut = z.object({ campaign: z.string(), campaignTitle: text, unit: z.string(), unitName: text, item: z.string().optional(), scale: z.string().optional(), label: text, esg: z.array(z.string()), figures: z.unknown(), final: z.boolean(), takenOn: z.string(), k: z.number() });
const decisionOut = z.object({ kind: z.string(), unit: z.string().optional(), rationale: z.string(), stakeholderComments: z.string(), votes: z.object({ for: z.number(), against: z.number(), abstain: z.number() }) });
const meetingOut = namedSchema(
  'Meeting',
  z.object({
    id: z.string(),
    faculty: z.string(),
    date: z.string(),
    title: z.string(),
    lang: z.string(),
    status: z.string(),
    attendance: z.array(z.string()),
    quorum: z.object({ voting: z.number(), present: z.number(), needed: z.number(), reached: z.boolean() }),
    agenda: z.array(z.object({ id: z.string(), title: z.string(), snapshot: snapshotOut.optional(), decision: decisionOut.optional() })),
  }),
);
const evidenceOut = z.union([z.object({ id: z.string(), kind: z.literal('link'), url: z.string(), label: z.string() }), z.object({ id: z.string(), kind: z.literal('file'), fileId: z.string(), name: z.string(), type: z.string(), size: z.number() })]);
const targetOut = z.object({ campaign: z.string(), instrument: z.string(), unit: z.string(), item: z.string().optional(), scale: z.string().optional() });
const actionOut = namedSchema(
  'Action',
  z.object({
    id: z.string(),
    faculty: z.string(),
    programme: z.string().optional(),
    meeting: z.string().optional(),
    agendaItem: z.string().optional(),
    title: z.string(),
    description: z.string(),
    kind: z.string(),
    owner: z.string(),
    dueOn: z.string(),
    status: z.string(),
    doneOn: z.string().optional(),
    overdue: z.boolean(),
    evidence: z.array(evidenceOut),
    targets: z.array(targetOut),
    esg: z.array(z.string()),
    public: z.boolean(),
    publicText: text.optional(),
  }),
);
const indicatorOut = z.object({ key: z.string(), value: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable(), n: z.number().nullable(), missing: z.string().optional(), reason: z.string().optional(), campaign: z.string().optional(), target: z.number().optional(), belowTarget: z.boolean() });
const taskOut = namedSchema('CalendarTask', z.object({ id: z.string(), academicYear: z.string(), key: z.string().optional(), title: text, dueOn: z.string(), responsible: z.string(), status: z.string(), doneOn: z.string().optional(), overdue: z.boolean() }));

export const meetingView = (m: MeetingDoc, quorum: ReturnType<typeof quorumOf>) => ({ id: m._id, faculty: m.faculty, date: m.date, title: m.title, lang: m.lang, status: m.status, attendance: m.attendance, quorum, agenda: m.agenda });
const signal = (changes: CouncilChanges, a: ActionDoc): ActionDoc => {
  changes.changed({ faculty: a.faculty, kind: 'action', id: a._id });
  return a;
};

export const actionView = ({ _id, createdAt: _c, ...a }: ActionDoc) => ({ id: _id, ...a, overdue: isOverdue(a) });

const tags = ['councils'];
const READ = 'admins; council members and viewers of the faculty (others answer 404)';
const EDIT = "admins and the faculty's council members";

export function councilsApi(api: Router, analytics: Analytics, changes: CouncilChanges): void {
  const meetingOutOf = async (actor: Parameters<typeof getCouncil>[0], m: MeetingDoc) => meetingView(m, quorumOf(await getCouncil(actor, m.faculty), m.attendance));

  apiRoute(api, { method: 'get', path: '/api/councils', tags, summary: 'The faculties whose councils the caller may open', access: 'signed-in users', response: z.object({ items: z.array(z.object({ id: z.string(), code: z.string(), name: text })) }) }, requireUser, async (_req, res) => {
    res.json({ items: await listCouncilFaculties(actorOf(res)) });
  });
  apiRoute(api, { method: 'get', path: '/api/councils/:faculty', tags, summary: "A faculty's council: members and quorum rule", access: READ, params: faculty, response: councilOut }, requireUser, async (_req, res) => {
    const c = await getCouncil(actorOf(res), (res.locals.params as { faculty: string }).faculty);
    res.json({ faculty: c._id, members: c.members, quorum: c.quorum });
  });
  apiRoute(api, { method: 'put', path: '/api/councils/:faculty', tags, summary: "Replace the council's members and quorum rule", access: EDIT, params: faculty, body: councilInput, response: councilOut }, requireUser, async (_req, res) => {
    const c = await saveCouncil(actorOf(res), (res.locals.params as { faculty: string }).faculty, res.locals.body as z.input<typeof councilInput>);
    changes.changed({ faculty: c._id, kind: 'council', id: c._id });
    res.json({ faculty: c._id, members: c.members, quorum: c.quorum });
  });

  apiRoute(api, { method: 'get', path: '/api/councils/:faculty/meetings', tags, summary: "The council's meetings, newest first", access: READ, params: faculty, response: z.object({ items: z.array(meetingOut) }) }, requireUser, async (_req, res) => {
    const actor = actorOf(res);
    const meetings = await listMeetings(actor, (res.locals.params as { faculty: string }).faculty);
    res.json({ items: await Promise.all(meetings.map((m) => meetingOutOf(actor, m))) });
  });
  apiRoute(api, { method: 'post', path: '/api/councils/:faculty/meetings', tags, summary: 'Plan a meeting', access: EDIT, params: faculty, body: meetingInput, response: meetingOut, status: 201 }, requireUser, async (_req, res) => {
    const actor = actorOf(res);
    const m = await createMeeting(actor, (res.locals.params as { faculty: string }).faculty, res.locals.body as z.input<typeof meetingInput>);
    changes.changed({ faculty: m.faculty, kind: 'meeting', id: m._id });
    res.status(201).json(await meetingOutOf(actor, m));
  });
  apiRoute(api, { method: 'get', path: '/api/meetings/:id', tags, summary: 'One meeting with its attendance, quorum, agenda, frozen results and decisions', access: READ, params: meetingId, response: meetingOut }, requireUser, async (_req, res) => {
    const actor = actorOf(res);
    res.json(await meetingOutOf(actor, await getMeeting(actor, (res.locals.params as { id: string }).id)));
  });
  const meetingWrite = (method: 'put' | 'post' | 'delete', path: string, summary: string, body: z.ZodType | undefined, params: z.ZodType, run: (actor: ReturnType<typeof actorOf>, p: Record<string, string>, b: never) => Promise<MeetingDoc>) =>
    apiRoute(api, { method, path, tags, summary, access: EDIT, params, ...(body ? { body } : {}), response: meetingOut }, requireUser, async (_req, res) => {
      const actor = actorOf(res);
      const m = await run(actor, res.locals.params as Record<string, string>, res.locals.body as never);
      changes.changed({ faculty: m.faculty, kind: 'meeting', id: m._id });
      res.json(await meetingOutOf(actor, m));
    });
  meetingWrite('put', '/api/meetings/:id', "Change a meeting's date, title, language or status", meetingInput, meetingId, (a, p, b) => updateMeeting(a, p.id!, b));
  meetingWrite('put', '/api/meetings/:id/attendance', 'Record who is present (the quorum follows)', z.strictObject({ present: z.array(z.string().max(40)).max(100) }), meetingId, (a, p, b: { present: string[] }) => setAttendance(a, p.id!, b.present));
  meetingWrite('post', '/api/meetings/:id/agenda', 'Add an agenda item; with a campaign, its results are frozen as the council sees them now', agendaInput, meetingId, (a, p, b) => addAgendaItem(a, analytics, p.id!, b));
  const itemParams = meetingId.extend({ item: z.string().regex(/^ai[0-9a-z]{14}$/, 'is not an agenda item id') });
  meetingWrite('delete', '/api/meetings/:id/agenda/:item', 'Remove an agenda item', undefined, itemParams, (a, p) => removeAgendaItem(a, p.id!, p.item!));
  meetingWrite('put', '/api/meetings/:id/agenda/:item/decision', "Record the council's decision on an agenda item", decisionInput, itemParams, (a, p, b) => recordDecision(a, p.id!, p.item!, b));

  apiRoute(api, { method: 'get', path: '/api/councils/:faculty/actions', tags, summary: "The faculty's action register (overdue ones flagged)", access: READ, params: faculty, response: z.object({ items: z.array(actionOut) }) }, requireUser, async (_req, res) => {
    res.json({ items: (await listActions(actorOf(res), { faculty: (res.locals.params as { faculty: string }).faculty })).map(actionView) });
  });
  apiRoute(api, { method: 'post', path: '/api/councils/:faculty/actions', tags, summary: 'Add a corrective or preventive action', access: EDIT, params: faculty, body: actionInput, response: actionOut, status: 201 }, requireUser, async (_req, res) => {
    res.status(201).json(actionView(signal(changes, await createAction(actorOf(res), (res.locals.params as { faculty: string }).faculty, res.locals.body as z.input<typeof actionInput>))));
  });
  apiRoute(api, { method: 'get', path: '/api/overdue-actions', tags, summary: 'Overdue actions the caller may see', access: 'signed-in users (their scope)', response: z.object({ items: z.array(actionOut) }) }, requireUser, async (_req, res) => {
    res.json({ items: (await overdueActions(actorOf(res))).map(actionView) });
  });
  const followUpOut = z.object({ target: targetOut, state: z.string() }).passthrough();
  apiRoute(api, { method: 'get', path: '/api/actions/:id', tags, summary: 'One action, with the follow-up of its target figures in the next wave', access: `${READ}; the programme's leader for a programme's action`, params: actionId, response: actionOut.extend({ followUp: z.array(followUpOut) }) }, requireUser, async (_req, res) => {
    const a = await getAction(actorOf(res), (res.locals.params as { id: string }).id);
    res.json({ ...actionView(a), followUp: await Promise.all(a.targets.map((t) => followUp(analytics, a.faculty, t))) });
  });
  apiRoute(api, { method: 'put', path: '/api/actions/:id', tags, summary: 'Change an action', access: EDIT, params: actionId, body: actionInput, response: actionOut }, requireUser, async (_req, res) => {
    res.json(actionView(signal(changes, await updateAction(actorOf(res), (res.locals.params as { id: string }).id, res.locals.body as z.input<typeof actionInput>))));
  });
  apiRoute(api, { method: 'post', path: '/api/actions/:id/evidence/links', tags, summary: 'Add a link as evidence (files are uploaded from the action page)', access: EDIT, params: actionId, body: linkInput, response: actionOut, status: 201 }, requireUser, async (_req, res) => {
    res.status(201).json(actionView(signal(changes, await addEvidenceLink(actorOf(res), (res.locals.params as { id: string }).id, res.locals.body as z.input<typeof linkInput>))));
  });
  const evidenceParams = actionId.extend({ evidence: z.string().regex(/^ev[0-9a-z]{14}$/, 'is not an evidence id') });
  apiRoute(api, { method: 'delete', path: '/api/actions/:id/evidence/:evidence', tags, summary: 'Remove a piece of evidence', access: EDIT, params: evidenceParams, response: actionOut }, requireUser, async (_req, res) => {
    const p = res.locals.params as { id: string; evidence: string };
    res.json(actionView(signal(changes, await removeEvidence(actorOf(res), p.id, p.evidence))));
  });
  const fileParams = actionId.extend({ file: z.string().regex(/^evf[0-9a-z]{14}$/, 'is not a file id') });
  apiRoute(api, { method: 'get', path: '/api/actions/:id/files/:file', tags, summary: 'Download an evidence file', access: READ, params: fileParams, produces: 'application/octet-stream' }, requireUser, async (_req, res) => {
    const p = res.locals.params as { id: string; file: string };
    const file = await evidenceFile(actorOf(res), p.id, p.file);
    res.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.type(file.type).send(file.data);
  });

  apiRoute(api, { method: 'get', path: '/api/councils/:faculty/indicators', tags, summary: "Indicators of the faculty's programmes for an academic year, with formula inputs, n, intervals and targets", access: READ, params: faculty, query: year, response: z.object({ academicYear: z.string(), programmes: z.array(z.object({ programme: z.string(), academicYear: z.string(), indicators: z.array(indicatorOut) })), integrity: z.unknown() }) }, requireUser, async (_req, res) => {
    const actor = actorOf(res);
    const f = (res.locals.params as { faculty: string }).faculty;
    const y = (res.locals.query as { year?: string }).year ?? academicYearOf(new Date());
    await getCouncil(actor, f);
    res.json({ academicYear: y, programmes: await facultyIndicators(actor, analytics, f, y, analytics.k), integrity: await integritySignal(actor, analytics, f, y) });
  });
  apiRoute(api, { method: 'put', path: '/api/indicator-targets', tags, summary: "Set (or clear, with null) a programme's target for an indicator (a share 0–1)", access: EDIT, body: targetInput, response: z.object({ ok: z.literal(true) }) }, requireUser, async (_req, res) => {
    await setTarget(actorOf(res), res.locals.body as z.input<typeof targetInput>);
    res.json({ ok: true });
  });
  apiRoute(
    api,
    { method: 'post', path: '/api/employment/import', tags, summary: 'Import official graduate employment figures (CSV: programme, academic_year, graduates, employed): dryRun → 200 with the line-numbered report; otherwise all rows or none (422 with the problems by line in details)', access: 'admins', body: z.strictObject({ csv: z.string().min(1).max(2_000_000), dryRun: z.boolean().default(false) }), response: z.object({ rows: z.array(z.unknown()), problems: z.array(lineProblemSchema), imported: z.number() }) },
    requireRole('admin'),
    async (_req, res) => {
      const body = res.locals.body as { csv: string; dryRun: boolean };
      const report = await importEmployment(actorOf(res), body.csv, !body.dryRun);
      if (report.problems.length && !body.dryRun) throw new AppError(422, 'import_rejected', `Nothing was imported: the file has ${report.problems.length} problem(s), listed in details by line.`, report.problems.map(lineProblemOut));
      res.json({ ...report, problems: report.problems.map(lineProblemOut) });
    },
  );
  apiRoute(api, { method: 'get', path: '/api/esg', tags, summary: 'The ESG 2015 Part 1 evidence map: tagged questions with their latest figures, decisions and actions per standard', access: 'signed-in users (their scope)', query: z.object({ faculty: faculty.shape.faculty.optional() }), response: z.object({ standards: z.array(z.object({ standard: z.string() }).passthrough()) }) }, requireUser, async (_req, res) => {
    res.json({ standards: await evidenceMap(actorOf(res), analytics, (res.locals.query as { faculty?: string }).faculty) });
  });

  const taskView = ({ _id, ...t }: Awaited<ReturnType<typeof listCalendar>>[number]) => ({ id: _id, ...t, overdue: t.status === 'open' && t.dueOn < localDay(new Date()) });
  apiRoute(api, { method: 'get', path: '/api/calendar', tags, summary: "The monitoring calendar of an academic year (the procedure's deliverables, overdue flagged)", access: 'signed-in users', query: year, response: z.object({ academicYear: z.string(), items: z.array(taskOut) }) }, requireUser, async (_req, res) => {
    const y = (res.locals.query as { year?: string }).year ?? academicYearOf(new Date());
    res.json({ academicYear: y, items: (await listCalendar(actorOf(res), y)).map(taskView) });
  });
  apiRoute(api, { method: 'post', path: '/api/calendar', tags, summary: 'Add a task to the calendar of an academic year', access: 'admins', body: taskInput.extend({ academicYear: academicYearSchema }), response: taskOut, status: 201 }, requireRole('admin'), async (_req, res) => {
    const { academicYear, ...task } = res.locals.body as z.input<typeof taskInput> & { academicYear: string };
    res.status(201).json(taskView(await addTask(actorOf(res), academicYear, task)));
  });
  apiRoute(api, { method: 'put', path: '/api/calendar/:id', tags, summary: 'Change a calendar task (mark it done)', access: 'admins', params: z.object({ id: z.string().regex(/^cal[0-9a-z_-]{3,60}$/, 'is not a task id') }), body: taskInput, response: taskOut }, requireRole('admin'), async (_req, res) => {
    res.json(taskView(await updateTask(actorOf(res), (res.locals.params as { id: string }).id, res.locals.body as z.input<typeof taskInput>)));
  });
}
