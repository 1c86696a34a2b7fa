// Meeting pages: a meeting's details, attendance (the quorum follows), its agenda with frozen results and
// decisions, printable minutes in the meeting's language, and "add to the agenda" from meeting mode.
import { formatDay, localDay } from '../lib/dates.js';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { actorOf, requireUser } from '../accounts/session.js';
import type { Analytics } from '../analytics/service.js';
import { effectiveStatus } from '../campaigns/model.js';
import { listCampaigns } from '../campaigns/service.js';
import { expectedFormError, formErrors, formRoute, formSchema, listField, textField, type FormErrors } from '../lib/forms.js';
import { LANGUAGE_NAMES, translate, type Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { canEditFaculty } from './access.js';
import { meetingIdOf } from './ids.js';
import { listActions } from './actions-service.js';
import type { CouncilChanges } from './changes.js';
import { accountNames, getCouncil, quorumOf } from './council-service.js';
import { addAgendaItem, getMeeting, recordDecision, removeAgendaItem, setAttendance, updateMeeting } from './meetings-service.js';
import { DECISION_KINDS, Meeting, type MeetingDoc } from './model.js';
import { actionRow, snapshotView } from './view-model.js';

const langOf = (res: Response) => res.locals.lang as Lang;

const detailsForm = formSchema({ date: textField(20), title: textField(300), lang: textField(5), status: textField(10) });
const attendanceForm = formSchema({ present: listField(100) });
const agendaForm = formSchema({ title: textField(500), campaign: textField(20), unit: textField(80), item: textField(60), scale: textField(60) });
const fromMeetingModeForm = formSchema({ meeting: textField(20), title: textField(500), campaign: textField(20), unit: textField(80), item: textField(60), slide: textField(5) });
const decisionForm = formSchema({ kind: textField(30), unit: textField(60), rationale: textField(5_000), stakeholderComments: textField(5_000), for: textField(5), against: textField(5), abstain: textField(5) });
const emptyForm = formSchema({});
const count = (v: string) => (v.trim() === '' ? 0 : Number(v));

/**
 * Meetings the actor may add agenda items to from meeting mode: planned, or held today, in faculties they edit.
 * Labelled with the meeting's day as the viewer's language writes it, like every other staff page.
 */
export async function agendaTargets(actor: Actor, lang: Lang): Promise<{ id: string; label: string }[]> {
  const today = localDay(new Date());
  // Meetings are few; the collection is scanned, then filtered by scope.
  const docs = ((await Meeting.find({}).lean()) as MeetingDoc[]).filter((m) => canEditFaculty(actor, m.faculty) && (m.status === 'planned' || m.date === today));
  const org = await loadOrgSnapshot();
  return docs.sort((a, b) => a.date.localeCompare(b.date)).map((m) => ({ id: m._id, label: `${formatDay(m.date, lang)} · ${org.faculty.get(m.faculty)?.code ?? ''} · ${m.title}` }));
}

export function meetingPages(analytics: Analytics, changes: CouncilChanges): Router {
  const router = Router();
  router.use('/meetings', requireUser);
  const changed = (m: MeetingDoc) => changes.changed({ faculty: m.faculty, kind: 'meeting', id: m._id });

  const page = async (res: Response, id: string, extra: { errors?: FormErrors; errorItem?: string; values?: Record<string, string>; saved?: string } = {}) => {
    const actor = actorOf(res);
    const l = langOf(res);
    const meeting = await getMeeting(actor, id);
    const [council, org, actions, campaigns] = await Promise.all([getCouncil(actor, meeting.faculty), loadOrgSnapshot(), listActions(actor, { faculty: meeting.faculty }), listCampaigns(actor)]);
    const owners = await accountNames(actions.map((a) => a.owner));
    const programmes = org.programmes.filter((p) => p.faculty === meeting.faculty && !p.archived);
    const departments = new Set(org.departments.filter((d) => d.faculty === meeting.faculty).map((d) => d.id));
    const disciplines = org.disciplines.filter((d) => departments.has(d.department) && !d.archived);
    const q = quorumOf(council, meeting.attendance);
    const canEdit = canEditFaculty(actor, meeting.faculty);
    res.render('councils/meeting', {
      title: `${meeting.title} — ${meeting.date}`,
      scripts: ['/static/js/councils.js'],
      vendorScripts: ['/socket.io/socket.io.min.js'],
      m: { id: meeting._id, date: meeting.date, title: meeting.title, lang: meeting.lang, langName: LANGUAGE_NAMES[meeting.lang], status: meeting.status, statusText: translate(l, `councils.meetingStatus.${meeting.status}`) },
      faculty: meeting.faculty,
      facultyName: org.faculty.get(meeting.faculty)?.name[l],
      canEdit,
      saved: extra.saved,
      errors: extra.errors,
      members: council.members.map((mem) => ({ id: mem.id, name: mem.name, group: translate(l, `councils.group.${mem.group}`), role: translate(l, `councils.role.${mem.role}`), present: meeting.attendance.includes(mem.id), voting: mem.group !== 'administrator' })),
      quorum: { ...q, text: translate(l, q.reached ? 'councils.quorum.reached' : 'councils.quorum.notReached', { present: q.present, voting: q.voting }), needed: translate(l, 'councils.quorum.needed', { needed: q.needed }) },
      langs: (['kk', 'ru', 'en'] as const).map((value) => ({ value, label: translate(l, `councils.meetingLang.${value}`), selected: value === meeting.lang })),
      statuses: (['planned', 'held'] as const).map((value) => ({ value, label: translate(l, `councils.meetingStatus.${value}`), selected: value === meeting.status })),
      agenda: meeting.agenda.map((a, i) => {
        const d = a.decision;
        const values = extra.errorItem === a.id ? extra.values : undefined;
        return {
          id: a.id,
          number: i + 1,
          title: a.title,
          snapshot: a.snapshot ? snapshotView(a.snapshot, l) : undefined,
          decision: d ? { kindText: translate(l, `councils.decision.${d.kind}`), unit: d.unit ? (org.programme.get(d.unit)?.name[l] ?? org.discipline.get(d.unit)?.name[l] ?? d.unit) : '', rationale: d.rationale, stakeholderComments: d.stakeholderComments, votes: d.votes } : undefined,
          errors: extra.errorItem === a.id ? extra.errors : undefined,
          form: {
            kinds: DECISION_KINDS.map((k) => ({ value: k, label: translate(l, `councils.decision.${k}`), checked: k === (values?.kind ?? d?.kind) })),
            units: [...programmes.map((p) => ({ value: p.id, label: `${p.code} · ${p.name[l]}`, group: 'p' })), ...disciplines.map((s) => ({ value: s.id, label: `${s.code} · ${s.name[l]}`, group: 'd' }))].map((u) => ({ ...u, selected: u.value === (values?.unit ?? d?.unit) })),
            rationale: values?.rationale ?? d?.rationale ?? '',
            stakeholderComments: values?.stakeholderComments ?? d?.stakeholderComments ?? '',
            for: values?.for ?? String(d?.votes.for ?? ''),
            against: values?.against ?? String(d?.votes.against ?? ''),
            abstain: values?.abstain ?? String(d?.votes.abstain ?? ''),
          },
          actions: actions.filter((x) => x.meeting === meeting._id && x.agendaItem === a.id).map((x) => actionRow(x, l, owners)),
          newActionHref: `/councils/${meeting.faculty}/actions/new?meeting=${meeting._id}&item=${a.id}`,
        };
      }),
      campaigns: campaigns.filter((c) => c.status !== 'draft').map((c) => ({ value: c._id, label: `${c.title[l]} (${translate(l, `campaigns.state.${effectiveStatus(c)}`)})` })),
      units: [{ value: `faculty~${meeting.faculty}`, label: org.faculty.get(meeting.faculty)?.name[l] }, ...programmes.map((p) => ({ value: `programme~${p.id}`, label: `${p.code} · ${p.name[l]}` }))],
      agendaErrors: extra.errorItem === '_agenda' ? extra.errors : undefined,
      agendaValues: extra.errorItem === '_agenda' ? extra.values : undefined,
    });
  };

  router.get('/meetings/:id', async (req, res) => {
    const saved = typeof req.query.saved === 'string' && /^[a-z]{3,12}$/.test(req.query.saved) ? req.query.saved : undefined;
    await page(res, meetingIdOf(req.params.id), { saved });
  });

  /** A meeting form post: run it; expected failures re-render the page with the errors next to the form. */
  const post = <S extends z.ZodType>(path: string, schema: S, run: (actor: Actor, id: string, form: z.infer<S>, item?: string) => Promise<MeetingDoc>, saved: string, errorItem: (item?: string) => string) =>
    formRoute(router, { path, schema, before: [requireUser] }, async (req, res, form) => {
      const id = meetingIdOf(req.params.id);
      const item = (req.params as { item?: string }).item;
      try {
        const m = await run(actorOf(res), id, form, item);
        changed(m);
        res.redirect(303, `/meetings/${id}?saved=${saved}${item ? `#item-${item}` : ''}`);
      } catch (err) {
        const e = expectedFormError(err);
        res.status(e.status);
        await page(res, id, { errors: formErrors(e, langOf(res), 'councils.meeting'), errorItem: errorItem(item), values: form as Record<string, string> });
      }
    });

  post('/meetings/:id', detailsForm, (a, id, f) => updateMeeting(a, id, { date: f.date, title: f.title, lang: f.lang as Lang, status: f.status as 'planned' }), 'details', () => '_details');
  post('/meetings/:id/attendance', attendanceForm, (a, id, f) => setAttendance(a, id, f.present), 'attendance', () => '_attendance');
  post(
    '/meetings/:id/agenda',
    agendaForm,
    (a, id, f) => addAgendaItem(a, analytics, id, { title: f.title, ...(f.campaign ? { campaign: f.campaign, ...(f.unit ? { unit: f.unit } : {}), ...(f.item ? { item: f.item } : {}), ...(f.scale ? { scale: f.scale } : {}) } : {}) }),
    'agenda',
    () => '_agenda',
  );
  post('/meetings/:id/agenda/:item/remove', emptyForm, (a, id, _f, item) => removeAgendaItem(a, id, item ?? ''), 'removed', () => '_agenda');
  post(
    '/meetings/:id/agenda/:item/decision',
    decisionForm,
    (a, id, f, item) => recordDecision(a, id, item ?? '', { kind: f.kind as never, ...(f.unit && (f.kind === 'update_programme' || f.kind === 'update_discipline') ? { unit: f.unit } : {}), rationale: f.rationale, stakeholderComments: f.stakeholderComments, votes: { for: count(f.for), against: count(f.against), abstain: count(f.abstain) } }),
    'decision',
    (item) => item ?? '',
  );

  // From meeting mode: the slide on screen becomes an agenda item of the chosen meeting, its figures frozen.
  formRoute(router, { path: '/meetings/agenda/from-results', schema: fromMeetingModeForm, before: [requireUser] }, async (_req, res, form) => {
    const id = meetingIdOf(form.meeting);
    const m = await addAgendaItem(actorOf(res), analytics, id, { title: form.title, campaign: form.campaign, ...(form.unit ? { unit: form.unit } : {}), ...(form.item ? { item: form.item } : {}) });
    changed(m);
    const slide = /^\d{1,4}$/.test(form.slide) ? form.slide : '0';
    res.redirect(303, `/results/${encodeURIComponent(form.campaign)}/present?unit=${encodeURIComponent(form.unit)}&added=${m._id}#${slide}`);
  });

  // Minutes, printable, in the meeting's language (not the reader's); as PDF at /api/meetings/:id/minutes.pdf.
  router.get('/meetings/:id/minutes', async (req, res) => {
    const { locals } = await minutesLocals(actorOf(res), meetingIdOf(req.params.id));
    res.render('councils/minutes', { ...locals, scripts: ['/static/js/councils.js'] });
  });

  return router;
}

/** The minutes of a meeting as the minutes page shows them (and the PDF prints them), in the meeting's language. */
export async function minutesLocals(actor: Actor, id: string): Promise<{ lang: Lang; locals: Record<string, unknown> }> {
  const meeting = await getMeeting(actor, id);
  const l = meeting.lang;
  const [council, org, actions] = await Promise.all([getCouncil(actor, meeting.faculty), loadOrgSnapshot(), listActions(actor, { faculty: meeting.faculty })]);
  const owners = await accountNames(actions.map((a) => a.owner));
  const q = quorumOf(council, meeting.attendance);
  return {
    lang: l,
    locals: {
      lang: l,
      title: `${translate(l, 'councils.minutes.title')} — ${formatDay(meeting.date, l)}`,
      facultyName: org.faculty.get(meeting.faculty)?.name[l],
      m: meeting,
      present: council.members.filter((x) => meeting.attendance.includes(x.id)).map((x) => ({ name: x.name, group: translate(l, `councils.group.${x.group}`), role: translate(l, `councils.role.${x.role}`) })),
      absent: council.members.filter((x) => !meeting.attendance.includes(x.id)).map((x) => x.name),
      quorum: translate(l, q.reached ? 'councils.quorum.reached' : 'councils.quorum.notReached', { present: q.present, voting: q.voting }),
      items: meeting.agenda.map((a, i) => ({
        number: i + 1,
        title: a.title,
        snapshot: a.snapshot ? snapshotView(a.snapshot, l) : undefined,
        // The decision's unit by name (its stored id must not show through the spread).
        decision: a.decision ? { ...a.decision, kindText: translate(l, `councils.decision.${a.decision.kind}`), unit: a.decision.unit ? (org.programme.get(a.decision.unit)?.name[l] ?? org.discipline.get(a.decision.unit)?.name[l] ?? '') : '' } : undefined,
        actions: actions.filter((x) => x.meeting === meeting._id && x.agendaItem === a.id).map((x) => actionRow(x, l, owners)),
      })),
      secretary: council.members.find((x) => x.role === 'secretary')?.name ?? '',
      chair: council.members.find((x) => x.role === 'chair')?.name ?? '',
    },
  };
}
