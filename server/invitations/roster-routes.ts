// Pages for reaching students: /campaigns/:id/invitations/roster (a cohort roster: check, preview by line,
// import all or none) and /campaigns/:id/invitations/schedule (the reminder schedule). Admins only.
import { Router, type Request, type Response } from 'express';
import { csrfMultipart } from '../accounts/csrf.js';
import { actorOf, requireRole } from '../accounts/session.js';
import { segmentChoice } from '../campaigns/audience.js';
import { orgView } from '../campaigns/org-view.js';
import type { Config } from '../config.js';
import { AppError, notFound } from '../lib/errors.js';
import { formRoute, formSchema, textField } from '../lib/forms.js';
import { isLang, LANGUAGES, type Lang } from '../lib/i18n/index.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import { decodeCsvBytes, MAX_CSV_BYTES } from '../org/csv.js';
import type { ContactImportReport } from './import.js';
import { checkRoster, importRoster } from './roster.js';
import { MAX_STEPS, type ScheduleStep } from './schedule.js';
import { campaignForAdmin, invitationsSummary, saveSchedule, scheduleInput } from './service.js';

const rosterUpload = csrfMultipart({ file: 'file', maxFileBytes: MAX_CSV_BYTES, maxFieldBytes: MAX_CSV_BYTES, maxFields: 10 });
const rosterForm = formSchema({ csv: textField(MAX_CSV_BYTES), language: textField(10), confirm: textField(10) });
const STEP_FIELDS = Array.from({ length: MAX_STEPS }, (_, i) => i);
const scheduleForm = formSchema({
  ...(Object.fromEntries(STEP_FIELDS.flatMap((i) => [[`from_${i}`, textField(20)], [`days_${i}`, textField(20)]])) as Record<string, ReturnType<typeof textField>>),
  maxReminders: textField(20),
  reminderDays: textField(20),
});

const idOf = (req: Request) => {
  const id = String(req.params.id ?? '');
  if (!CAMPAIGN_ID.test(id)) throw notFound('There is no such campaign, or it is outside your scope.');
  return id;
};

/** A message for the schedule form: an i18n key, and the step's row when it is about one. */
interface Problem {
  key: string;
  n?: number;
}

/** A form's number field: digits become a number; anything else is passed on for the schema to refuse. */
const wholeNumber = (v: string | undefined): number | string | undefined => (v === undefined || v.trim() === '' ? undefined : /^\d{1,6}$/.test(v.trim()) ? Number(v.trim()) : v);

export function rosterPagesRouter(config: Config): Router {
  const router = Router();

  /** `pasted`: text typed or pasted into the form, shown again so a refused file loses nothing (a chosen file stays chosen on the user's side). */
  const renderRoster = async (req: Request, res: Response, extra: { report?: ContactImportReport; csv?: string; pasted?: string; language?: Lang; status?: number; errorKey?: string } = {}) => {
    const id = idOf(req);
    const lang = res.locals.lang as Lang;
    const campaign = await campaignForAdmin(actorOf(res), id);
    const org = await orgView();
    const choice = segmentChoice(campaign.audience, campaign, org);
    const codeOf = new Map(choice.programmes.map((p) => [p.id, p.code]));
    const language = extra.language ?? lang;
    res.status(extra.status ?? 200).render('invitations/roster', {
      titleKey: 'invitations.roster.title',
      c: { id, title: campaign.title[lang] },
      forContacts: campaign.audience.kind === 'contacts',
      cohorts: choice.cohorts.slice(0, 60).map((c) => `${codeOf.get(c.programme) ?? ''}/${c.label}`),
      moreCohorts: Math.max(0, choice.cohorts.length - 60),
      languages: LANGUAGES.map((l) => ({ value: l, selected: l === language })),
      language,
      report: extra.report,
      rowsShown: extra.report?.rows.slice(0, 200),
      csv: extra.csv,
      pasted: extra.pasted,
      errorKey: extra.errorKey,
    });
  };

  router.get('/campaigns/:id/invitations/roster', requireRole('admin'), async (req, res) => renderRoster(req, res));

  formRoute(router, { path: '/campaigns/:id/invitations/roster', schema: rosterForm, before: [requireRole('admin'), rosterUpload] }, async (req, res, form) => {
    const id = idOf(req);
    const language = isLang(form.language) ? form.language : (res.locals.lang as Lang);
    const fromFile = Boolean(req.file?.buffer.length);
    const csv = fromFile ? decodeCsvBytes(req.file!.buffer) : form.csv;
    const pasted = fromFile || form.confirm === '1' ? undefined : form.csv;
    if (!csv.trim()) return renderRoster(req, res, { status: 400, language, errorKey: 'invitations.roster.empty' });
    const campaign = await campaignForAdmin(actorOf(res), id);
    if (campaign.audience.kind === 'contacts') return renderRoster(req, res, { status: 409, language, errorKey: 'invitations.roster.forContacts' });
    if (form.confirm !== '1') {
      const { report } = await checkRoster(campaign, csv, language);
      return renderRoster(req, res, { report, csv, pasted, language, status: report.problems.length ? 400 : 200 });
    }
    const report = await importRoster(actorOf(res), config, campaign, csv, language);
    if (report.problems.length) return renderRoster(req, res, { report, csv, pasted: csv, language, status: 400 });
    res.redirect(303, `/campaigns/${id}/invitations?done=imported&n=${report.imported + report.updated}`);
  });

  const renderSchedule = async (req: Request, res: Response, extra: { status?: number; rows?: { from: string; days: string }[]; problems?: Problem[]; maxReminders?: string; reminderDays?: string } = {}) => {
    const id = idOf(req);
    const lang = res.locals.lang as Lang;
    const campaign = await campaignForAdmin(actorOf(res), id);
    const s = await invitationsSummary(actorOf(res), config, id);
    const rows = extra.rows ?? s.schedule.map((step) => ({ from: step.from, days: String(step.days) }));
    res.status(extra.status ?? 200).render('invitations/schedule', {
      titleKey: 'invitations.schedule.title',
      c: { id, title: campaign.title[lang] },
      s,
      rows: STEP_FIELDS.map((i) => ({ i, n: i + 1, from: rows[i]?.from ?? '', days: rows[i]?.days ?? '' })),
      maxReminders: extra.maxReminders ?? String(s.maxReminders),
      reminderDays: extra.reminderDays ?? String(s.reminderDays),
      problems: extra.problems,
      done: req.query.done === 'saved',
    });
  };

  router.get('/campaigns/:id/invitations/schedule', requireRole('admin'), async (req, res) => renderSchedule(req, res));

  formRoute(router, { path: '/campaigns/:id/invitations/schedule', schema: scheduleForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const id = idOf(req);
    const fields = form as Record<string, string | undefined>;
    const rows = STEP_FIELDS.map((i) => ({ from: (fields[`from_${i}`] ?? '').trim(), days: (fields[`days_${i}`] ?? '').trim() }));
    const problems: Problem[] = [];
    const steps: unknown[] = [];
    /** The form row of each step (empty rows are left out). */
    const rowOf: number[] = [];
    rows.forEach((r, i) => {
      if (!r.from && !r.days) return;
      if (!r.from) return problems.push({ key: 'invitations.schedule.errors.from', n: i + 1 });
      steps.push({ from: r.from, days: wholeNumber(r.days) ?? r.days });
      rowOf.push(i + 1);
    });
    const parsed = scheduleInput.safeParse({ steps, maxReminders: wholeNumber(form.maxReminders) ?? form.maxReminders, reminderDays: wholeNumber(form.reminderDays) });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.path[0] === 'steps') problems.push({ key: 'invitations.schedule.errors.days', n: rowOf[Number(issue.path[1])] ?? 1 });
        else problems.push({ key: `invitations.schedule.errors.${issue.path[0] === 'reminderDays' ? 'reminderDays' : 'maxReminders'}` });
      }
    }
    const rerender = (list: Problem[]) =>
      renderSchedule(req, res, { status: 400, rows, problems: list.filter((p, i) => list.findIndex((q) => q.key === p.key && q.n === p.n) === i), maxReminders: form.maxReminders, reminderDays: form.reminderDays });
    if (problems.length || !parsed.success) return rerender(problems);
    try {
      await saveSchedule(actorOf(res), id, { ...parsed.data, steps: parsed.data.steps as ScheduleStep[] });
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      const path = String((err.details as { path?: string }[] | undefined)?.[0]?.path ?? 'steps.0');
      return rerender([{ key: 'invitations.schedule.errors.repeat', n: rowOf[Number(path.split('.')[1] ?? 0)] ?? 1 }]);
    }
    res.redirect(303, `/campaigns/${id}/invitations/schedule?done=saved`);
  });

  return router;
}
