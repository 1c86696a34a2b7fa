// Pages of what councils report: indicators per programme and year (with formula, n, interval, target), the
// graduate employment import (admins), the ESG 2015 evidence map, and the monitoring calendar.
import { Router, type Response } from 'express';
import { csrfMultipart } from '../accounts/csrf.js';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import type { Analytics } from '../analytics/service.js';
import { formatPercent } from '../analytics/stats/index.js';
import { academicYearOf, isAcademicYear, yearChoices } from '../campaigns/dates.js';
import { AppError } from '../lib/errors.js';
import { expectedFormError, formErrors, formRoute, formSchema, textField } from '../lib/forms.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { decodeCsvBytes, MAX_CSV_BYTES } from '../org/csv.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { canEditFaculty } from './access.js';
import { addTask, isTaskOverdue, listCalendar, seedCalendar, updateTask } from './calendar.js';
import type { CouncilChanges } from './changes.js';
import { getCouncil, listCouncilFaculties } from './council-service.js';
import { importEmployment } from './employment.js';
import { evidenceMap } from './evidence-map.js';
import { facultyIndicators, INDICATORS, integritySignal, setTarget } from './indicators.js';
import { facultyOf } from './ids.js';
import { evidenceTables, indicatorView } from './view-model.js';
import { ROLES } from '../accounts/actor.js';

const langOf = (res: Response) => res.locals.lang as Lang;
const yearOf = (value: unknown) => (typeof value === 'string' && isAcademicYear(value) ? value : academicYearOf(new Date()));
const targetForm = formSchema({ programme: textField(40), indicator: textField(40), target: textField(10), year: textField(10) });
const importForm = formSchema({ text: textField(MAX_CSV_BYTES), confirm: textField(5) });
const importUpload = csrfMultipart({ file: 'file', maxFileBytes: MAX_CSV_BYTES, maxFieldBytes: MAX_CSV_BYTES, maxFields: 5 });
const taskForm = formSchema({ title_kk: textField(300), title_ru: textField(300), title_en: textField(300), dueOn: textField(20), responsible: textField(30), status: textField(10), year: textField(10) });

export function indicatorPages(analytics: Analytics, changes: CouncilChanges): Router {
  const router = Router();

  const indicatorsPage = async (res: Response, faculty: string, year: string, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(res);
    const l = langOf(res);
    await getCouncil(actor, faculty);
    const [org, programmes, integrity] = await Promise.all([loadOrgSnapshot(), facultyIndicators(actor, analytics, faculty, year, analytics.k), integritySignal(actor, analytics, faculty, year)]);
    res.render('councils/indicators', {
      titleKey: 'councils.indicators.title',
      faculty,
      facultyName: org.faculty.get(faculty)?.name[l],
      year,
      years: yearChoices(academicYearOf(new Date()), [year]).map((value) => ({ value, selected: value === year })),
      canEdit: canEditFaculty(actor, faculty),
      k: analytics.k,
      definitions: INDICATORS.map((key) => ({ key, name: translate(l, `councils.indicator.${key}.name`), formula: translate(l, `councils.indicator.${key}.formula`) })),
      programmes: programmes.map((p) => ({ id: p.programme, name: `${org.programme.get(p.programme)?.code ?? ''} · ${org.programme.get(p.programme)?.name[l] ?? p.programme}`, indicators: p.indicators.map((i) => indicatorView(i, l, analytics.k)) })),
      integrity: integrity ? { bribery: formatPercent(integrity.bribery, l), pressure: formatPercent(integrity.pressure, l), n: integrity.n, hidden: integrity.bribery === null, campaign: integrity.campaign } : undefined,
      ...extra,
    });
  };

  router.get('/councils/:faculty/indicators', requireUser, async (req, res) => {
    await indicatorsPage(res, facultyOf(req.params.faculty), yearOf(req.query.year));
  });

  formRoute(router, { path: '/councils/:faculty/targets', schema: targetForm, before: [requireUser] }, async (req, res, form) => {
    const faculty = facultyOf(req.params.faculty);
    const year = yearOf(form.year);
    const value = form.target.trim() === '' ? null : Number(form.target.replace(',', '.').replace('%', '')) / 100;
    try {
      if (value !== null && !Number.isFinite(value)) throw new AppError(400, 'validation_failed', 'The target must be a percentage.', [{ path: 'target', message: 'must be a number' }]);
      await setTarget(actorOf(res), { programme: form.programme, indicator: form.indicator as never, target: value });
      changes.changed({ faculty, kind: 'council', id: faculty });
      res.redirect(303, `/councils/${faculty}/indicators?year=${year}&saved=1#p-${encodeURIComponent(form.programme)}`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await indicatorsPage(res, faculty, year, { targetErrors: formErrors(e, langOf(res), 'councils.indicators'), targetFor: form.programme });
    }
  });

  // ---- graduate employment (official figures, admins) ----
  router.get('/employment/import', requireRole('admin'), (_req, res) => res.render('councils/employment', { titleKey: 'councils.employment.title' }));
  formRoute(router, { path: '/employment/import', schema: importForm, before: [requireRole('admin'), importUpload] }, async (req, res, form) => {
    let text = form.text;
    try {
      if (req.file?.size) text = decodeCsvBytes(req.file.buffer);
      if (!text.trim()) throw new AppError(400, 'empty', 'Choose a CSV file or paste its text.');
      const report = await importEmployment(actorOf(res), text, form.confirm === '1');
      res.status(report.problems.length ? 422 : 200).render('councils/employment', { titleKey: 'councils.employment.title', report, text, checked: form.confirm !== '1' && !report.problems.length, imported: report.imported });
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status).render('councils/employment', { titleKey: 'councils.employment.title', error: e.message, text });
    }
  });

  // ---- ESG evidence map ----
  router.get('/esg', requireUser, async (req, res) => {
    const actor = actorOf(res);
    const l = langOf(res);
    const faculties = await listCouncilFaculties(actor);
    const asked = typeof req.query.faculty === 'string' && faculties.some((f) => f.id === req.query.faculty) ? req.query.faculty : undefined;
    const faculty = asked ?? (actor.role === 'admin' ? undefined : faculties[0]?.id);
    const map = await evidenceMap(actor, analytics, faculty);
    res.render('councils/esg', {
      titleKey: 'councils.esgMap.title',
      faculties: faculties.map((f) => ({ value: f.id, label: `${f.code} · ${f.name[l]}`, selected: f.id === faculty })),
      allowAll: actor.role === 'admin',
      k: analytics.k,
      standards: map.map((s) => ({
        standard: s.standard,
        name: translate(l, `councils.esg.${s.standard.replace('.', '_')}`),
        instruments: evidenceTables(s.questions, l, analytics.k),
        decisions: s.decisions.map((d) => ({ ...d, kindText: translate(l, `councils.decision.${d.kind}`) })),
        actions: s.actions.map((a) => ({ ...a, statusText: translate(l, `councils.status.${a.status}`) })),
        empty: !s.questions.length && !s.decisions.length && !s.actions.length,
      })),
    });
  });

  // ---- monitoring calendar ----
  const calendarPage = async (res: Response, year: string, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(res);
    const l = langOf(res);
    const tasks = await listCalendar(actor, year);
    res.render('councils/calendar', {
      titleKey: 'councils.calendar.title',
      year,
      years: yearChoices(academicYearOf(new Date()), [year]).map((value) => ({ value, selected: value === year })),
      isAdmin: actor.role === 'admin',
      tasks: tasks.map((t) => ({ id: t._id, title: t.title[l], titles: t.title, dueOn: t.dueOn, responsible: t.responsible, responsibleText: translate(l, `accounts.roles.${t.responsible}`), done: t.status === 'done', doneOn: t.doneOn, overdue: isTaskOverdue(t) })),
      roles: ROLES.map((r) => ({ value: r, label: translate(l, `accounts.roles.${r}`) })),
      ...extra,
    });
  };
  router.get('/calendar', requireUser, async (req, res) => {
    const year = yearOf(req.query.year);
    // A year the calendar has never shown gets the procedure's deliverables.
    await seedCalendar(year);
    await calendarPage(res, year, { saved: req.query.saved === '1' });
  });
  const taskInputOf = (f: { title_kk: string; title_ru: string; title_en: string; dueOn: string; responsible: string; status: string }) => ({ title: { kk: f.title_kk, ru: f.title_ru, en: f.title_en }, dueOn: f.dueOn, responsible: f.responsible as never, status: (f.status || 'open') as 'open' });
  formRoute(router, { path: '/calendar', schema: taskForm, before: [requireRole('admin')] }, async (_req, res, form) => {
    const year = yearOf(form.year);
    try {
      await addTask(actorOf(res), year, taskInputOf(form));
      res.redirect(303, `/calendar?year=${year}&saved=1`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await calendarPage(res, year, { errors: formErrors(e, langOf(res), 'councils.calendar', (p) => (p.startsWith('title') ? 'title' : (p.split('.')[0] ?? p))), values: form });
    }
  });
  formRoute(router, { path: '/calendar/:id', schema: taskForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const year = yearOf(form.year);
    try {
      await updateTask(actorOf(res), String(req.params.id), taskInputOf(form));
      res.redirect(303, `/calendar?year=${year}&saved=1`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await calendarPage(res, year, { errors: formErrors(e, langOf(res), 'councils.calendar', (p) => (p.startsWith('title') ? 'title' : (p.split('.')[0] ?? p))), values: form });
    }
  });

  return router;
}
