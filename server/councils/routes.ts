// Council pages: the councils a user may open, a council's overview (members, meetings, the action register,
// risks) and its members form. Meetings, actions, and indicators have their own route files.
import { localDay } from '../lib/dates.js';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { actorOf, requireUser } from '../accounts/session.js';
import type { Analytics } from '../analytics/service.js';
import { academicYearOf, isAcademicYear } from '../campaigns/dates.js';
import { AppError } from '../lib/errors.js';
import { expectedFormError, formErrors, formRoute, formSchema, textField, type FormErrors } from '../lib/forms.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { canEditFaculty } from './access.js';
import { facultyOf } from './ids.js';
import { listActions } from './actions-service.js';
import type { CouncilChanges } from './changes.js';
import { accountChoices, accountNames, getCouncil, listCouncilFaculties, quorumOf, saveCouncil } from './council-service.js';
import { facultyRisks } from './risks.js';
import { createMeeting, listMeetings } from './meetings-service.js';
import { MEMBER_GROUPS, MEMBER_ROLES, type CouncilMember } from './model.js';
import { actionRow } from './view-model.js';

const langOf = (res: Response) => res.locals.lang as Lang;

/** Repeated fields of a table form, kept aligned by position (empty cells stay). */
const column = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string({ message: 'must be text' }).max(300, 'is too long')).max(100, 'has more than 100 rows'));
const membersForm = formSchema({ id: column, name: column, user: column, group: column, role: column, quorum: textField(10) });
const meetingForm = formSchema({ date: textField(20), title: textField(300), lang: textField(5) });
const EMPTY_MEMBER_ROWS = 3;

export function councilPages(analytics: Analytics, changes: CouncilChanges): Router {
  const router = Router();
  router.use(['/councils'], requireUser);

  router.get('/councils', async (_req, res) => {
    const actor = actorOf(res);
    const faculties = await listCouncilFaculties(actor);
    if (faculties.length === 1) return res.redirect(303, `/councils/${faculties[0]!.id}`);
    const l = langOf(res);
    const actions = await listActions(actor);
    res.render('councils/index', {
      titleKey: 'councils.title',
      faculties: faculties.map((f) => {
        const mine = actions.filter((a) => a.faculty === f.id);
        return { id: f.id, name: `${f.code} · ${f.name[l]}`, open: mine.filter((a) => a.status === 'planned' || a.status === 'in_progress').length, overdue: mine.filter((a) => actionRow(a, l, new Map()).overdue).length };
      }),
    });
  });

  const overview = async (res: Response, faculty: string, extra: Record<string, unknown> = {}, askedYear?: unknown) => {
    const actor = actorOf(res);
    const l = langOf(res);
    const [council, meetings, actions, org] = await Promise.all([getCouncil(actor, faculty), listMeetings(actor, faculty), listActions(actor, { faculty }), loadOrgSnapshot()]);
    const owners = await accountNames(actions.map((a) => a.owner));
    const f = org.faculty.get(faculty)!;
    // Risks of the current academic year by default; early in a year its surveys have not run, so the
    // card links to the previous year's.
    const current = academicYearOf(new Date());
    const year = typeof askedYear === 'string' && isAcademicYear(askedYear) ? askedYear : current;
    const previous = `${Number(year.slice(0, 4)) - 1}-${year.slice(0, 4)}`;
    const risks = await facultyRisks(actor, analytics, faculty, year, l);
    const today = localDay(new Date());
    res.render('councils/show', {
      title: `${translate(l, 'councils.councilOf')} — ${f.name[l]}`,
      scripts: ['/static/js/councils.js'],
      vendorScripts: ['/socket.io/socket.io.min.js'],
      faculty,
      facultyName: f.name[l],
      canEdit: canEditFaculty(actor, faculty),
      members: council.members.map((m) => ({ ...m, groupText: translate(l, `councils.group.${m.group}`), roleText: translate(l, `councils.role.${m.role}`) })),
      quorumRule: translate(l, 'councils.quorumRule', { percent: Math.round(council.quorum * 100) }),
      upcoming: meetings.filter((m) => m.date >= today).map((m) => meetingRow(m, council, l)),
      past: meetings.filter((m) => m.date < today).map((m) => meetingRow(m, council, l)),
      actions: actions.map((a) => actionRow(a, l, owners)),
      overdue: actions.filter((a) => actionRow(a, l, owners).overdue).length,
      risks,
      year,
      previous,
      langs: (['kk', 'ru', 'en'] as const).map((value) => ({ value, label: translate(l, `councils.meetingLang.${value}`), selected: value === l })),
      today,
      ...extra,
    });
  };

  router.get('/councils/:faculty', async (req, res) => {
    await overview(res, facultyOf(req.params.faculty), { saved: req.query.saved === '1' }, req.query.year);
  });

  formRoute(router, { path: '/councils/:faculty/meetings', schema: meetingForm, before: [requireUser] }, async (req, res, form) => {
    const faculty = facultyOf(req.params.faculty);
    try {
      const m = await createMeeting(actorOf(res), faculty, { date: form.date, title: form.title, lang: form.lang as Lang });
      changes.changed({ faculty, kind: 'meeting', id: m._id });
      res.redirect(303, `/meetings/${m._id}`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await overview(res, faculty, { meetingErrors: formErrors(e, langOf(res), 'councils.meeting'), meetingValues: form });
    }
  });

  // ---- members ----
  const membersPage = async (res: Response, faculty: string, rows: (Partial<CouncilMember> & { user?: string })[], quorum: string, errors?: FormErrors) => {
    const actor = actorOf(res);
    const l = langOf(res);
    const [accounts, org] = await Promise.all([accountChoices(actor, faculty), loadOrgSnapshot()]);
    res.render('councils/members', {
      titleKey: 'councils.members.title',
      faculty,
      facultyName: org.faculty.get(faculty)!.name[l],
      quorum,
      errors,
      rows: [...rows, ...Array.from({ length: EMPTY_MEMBER_ROWS }, (): (typeof rows)[number] => ({}))].map((r, i) => ({
        index: i + 1,
        id: r.id ?? '',
        name: r.name ?? '',
        accounts: accounts.map((a) => ({ value: a.id, label: `${a.name} (${translate(l, `accounts.roles.${a.role}`)})`, selected: a.id === (r.userId ?? r.user) })),
        groups: MEMBER_GROUPS.map((g) => ({ value: g, label: translate(l, `councils.group.${g}`), selected: g === r.group })),
        roles: MEMBER_ROLES.map((x) => ({ value: x, label: translate(l, `councils.role.${x}`), selected: x === (r.role ?? 'member') })),
      })),
    });
  };

  router.get('/councils/:faculty/members', async (req, res) => {
    const faculty = facultyOf(req.params.faculty);
    const actor = actorOf(res);
    const council = await getCouncil(actor, faculty);
    if (!canEditFaculty(actor, faculty)) return res.redirect(303, `/councils/${faculty}`);
    await membersPage(res, faculty, council.members, String(Math.round(council.quorum * 100)));
  });

  formRoute(router, { path: '/councils/:faculty/members', schema: membersForm, before: [requireUser] }, async (req, res, form) => {
    const faculty = facultyOf(req.params.faculty);
    // A row without a name is an empty row (or a member removed by clearing the name).
    const rows = form.name.map((name, i) => ({ id: form.id[i] || undefined, name: name.trim(), user: form.user[i] || undefined, group: form.group[i] ?? '', role: form.role[i] || 'member' })).filter((r) => r.name);
    const quorum = Number(form.quorum.replace(',', '.'));
    try {
      if (!Number.isFinite(quorum)) throw new AppError(400, 'validation_failed', 'The quorum must be a percentage.', [{ path: 'quorum', message: 'must be a number' }]);
      await saveCouncil(actorOf(res), faculty, { quorum: quorum / 100, members: rows.map((r) => ({ ...(r.id ? { id: r.id } : {}), name: r.name, ...(r.user ? { userId: r.user } : {}), group: r.group as never, role: r.role as never })) });
      changes.changed({ faculty, kind: 'council', id: faculty });
      res.redirect(303, `/councils/${faculty}?saved=1`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await membersPage(res, faculty, rows.map((r) => ({ ...r, group: r.group as never, role: r.role as never })), form.quorum, formErrors(e, langOf(res), 'councils.members', (p) => (p.startsWith('members') ? 'members' : (p.split('.')[0] ?? p))));
    }
  });

  return router;
}

function meetingRow(m: Awaited<ReturnType<typeof listMeetings>>[number], council: Awaited<ReturnType<typeof getCouncil>>, l: Lang) {
  const q = quorumOf(council, m.attendance);
  return {
    id: m._id,
    date: m.date,
    title: m.title,
    status: translate(l, `councils.meetingStatus.${m.status}`),
    items: m.agenda.length,
    decisions: m.agenda.filter((a) => a.decision).length,
    quorum: m.status === 'held' ? translate(l, q.reached ? 'councils.quorum.reached' : 'councils.quorum.notReached', { present: q.present, voting: q.voting }) : '',
  };
}
