// Structure pages (/org/…): everyone signed in reads what their scope allows; admins add, edit, archive
// and import from CSV (upload → preview with a report by line → confirm). Forms post and redirect.
import { Router, type Response } from 'express';
import type { Actor } from '../accounts/actor.js';
import { csrfMultipart } from '../accounts/csrf.js';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import { AppError, notFound } from '../lib/errors.js';
import { expectedFormError, formErrors, formRoute, formSchema, textField, type FormErrors } from '../lib/forms.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { decodeCsvBytes, MAX_CSV_BYTES } from './csv.js';
import { checkImport, deleteDraft, IMPORT_COLUMNS, IMPORT_KINDS, loadDraft, runImport, saveDraft, type ImportKind } from './import.js';
import { formFieldOf, formFields, formInput, formValues, listCells, listColumns, listFilters, unitForm, unitValues, type FormField, type FormValues } from './view-model.js';
import { canEditStructure, visibleScope } from './scope.js';
import { org, UNIT_KINDS, type UnitKind } from './service.js';
import { loadOrgSnapshot } from './snapshot.js';

const lang = (res: Response) => res.locals.lang as Lang;

function kindOf(value: unknown): UnitKind {
  if (typeof value === 'string' && (UNIT_KINDS as readonly string[]).includes(value)) return value as UnitKind;
  throw notFound('The page or resource you asked for does not exist.');
}

/** Puts each error next to its field, and wires aria-describedby to the hint and the error. */
function withErrors(fields: FormField[], errors?: FormErrors): FormField[] {
  return fields.map((f) => {
    const error = errors?.fields[f.name];
    const describedBy = [f.hint ? `${f.name}-hint` : '', error ? `${f.name}-error` : ''].filter(Boolean).join(' ');
    return { ...f, ...(error ? { error } : {}), ...(describedBy ? { describedBy } : {}) };
  });
}

/** The CSV import form: a file or pasted text, and which kind of unit it holds. */
const importUpload = csrfMultipart({ file: 'file', maxFileBytes: MAX_CSV_BYTES, maxFieldBytes: MAX_CSV_BYTES, maxFields: 10 });
const importForm = formSchema({ kind: textField(40), text: textField(MAX_CSV_BYTES) });
const emptyForm = formSchema({});

/** Overdue council actions of a faculty or programme, flagged on its page (councils feature). */
export type OverdueActions = (actor: Actor, unit: { faculty?: string; programme?: string }) => Promise<{ id: string; title: string; dueOn: string }[]>;

export function orgPages(overdueActions: OverdueActions = () => Promise.resolve([])): Router {
  const router = Router();
  router.use('/org', requireUser);

  router.get('/org', async (_req, res) => {
    const actor = actorOf(res);
    const counts = await Promise.all(UNIT_KINDS.map(async (kind) => ({ kind, count: (await org[kind].list(actor)).length })));
    res.render('org/index', {
      titleKey: 'org.title',
      sections: counts.map(({ kind, count }) => ({ kind, count, titleKey: `org.${kind}.title`, introKey: `org.${kind}.intro` })),
      canEdit: canEditStructure(actor),
    });
  });

  // ---- CSV import (admins) ----
  const importPage = (res: Response, extra: Record<string, unknown> = {}) => {
    const chosen = (extra.kind as string | undefined) ?? 'faculties';
    res.render('org/import', {
      titleKey: 'org.import.title',
      kinds: IMPORT_KINDS.map((k) => ({ value: k, label: translate(lang(res), `org.${k}.title`), selected: k === chosen })),
      formats: IMPORT_KINDS.map((k) => ({ titleKey: `org.${k}.title`, columns: [...IMPORT_COLUMNS[k].required, ...IMPORT_COLUMNS[k].optional.map((c) => `${c}?`)].join(', ') })),
      ...extra,
    });
  };

  router.get('/org/import', requireRole('admin'), (_req, res) => importPage(res));

  formRoute(router, { path: '/org/import', schema: importForm, before: [requireRole('admin'), importUpload] }, async (req, res, form) => {
    const { kind } = form;
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
      res.status(400);
      return importPage(res, { errorKey: 'org.import.choose_kind', pasted: form.text });
    }
    let text = form.text;
    if (req.file?.size) {
      try {
        text = decodeCsvBytes(req.file.buffer);
      } catch (err) {
        const e = expectedFormError(err);
        res.status(e.status);
        return importPage(res, { kind, errorKey: e.code === 'not_utf8' ? 'org.import.not_utf8' : 'org.import.too_large' });
      }
    }
    if (!text.trim()) {
      res.status(400);
      return importPage(res, { kind, errorKey: 'org.import.empty' });
    }
    const { report } = await checkImport(kind as ImportKind, text);
    const draft = report.problems.length ? undefined : await saveDraft(actorOf(res), kind as ImportKind, text);
    res.status(report.problems.length ? 422 : 200).render('org/import-preview', {
      titleKey: 'org.import.preview_title',
      kindTitleKey: `org.${kind}.title`,
      report,
      rowsShown: report.rows.slice(0, 500),
      more: Math.max(0, report.rows.length - 500),
      draft,
    });
  });

  formRoute(router, { path: '/org/import/:draft/confirm', schema: emptyForm, before: [requireRole('admin')] }, async (req, res) => {
    const actor = actorOf(res);
    const draft = await loadDraft(actor, String(req.params.draft));
    let report;
    try {
      report = await runImport(actor, draft.kind as ImportKind, draft.text);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'import_failed') throw err;
      res.status(409);
      return importPage(res, { kind: draft.kind, errorKey: 'org.import.failed' });
    }
    if (report.problems.length) {
      res.status(422);
      return res.render('org/import-preview', { titleKey: 'org.import.preview_title', kindTitleKey: `org.${draft.kind}.title`, report, rowsShown: report.rows.slice(0, 500), more: Math.max(0, report.rows.length - 500), changed: true });
    }
    await deleteDraft(draft._id);
    res.redirect(303, `/org/${draft.kind}?imported=${report.imported}`);
  });

  // ---- units ----
  router.get('/org/:kind', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const actor = actorOf(res);
    const l = lang(res);
    const snapshot = await loadOrgSnapshot();
    const query = req.query as Record<string, unknown>;
    const includeArchived = query.archived === '1';
    const units = await org[kind].list(actor, {
      includeArchived,
      ...(typeof query.faculty === 'string' && query.faculty ? { faculty: query.faculty } : {}),
      ...(kind === 'programmes' && typeof query.level === 'string' && query.level ? { level: query.level as never } : {}),
    });
    const filters = listFilters(kind, snapshot, l, query, visibleScope(actor, snapshot).faculties);
    res.render('org/list', {
      titleKey: `org.${kind}.title`,
      kind,
      columns: listColumns(kind, l),
      rows: units.map((u) => ({ href: `/org/${kind}/${u.id}`, cells: listCells(kind, u, snapshot, l), archived: u.archived })),
      filters,
      includeArchived,
      canEdit: canEditStructure(actor),
      imported: typeof query.imported === 'string' ? Number(query.imported) || 0 : 0,
      savedKey: typeof query.saved === 'string' && ['created', 'archived', 'restored'].includes(query.saved) ? `org.saved.${query.saved}` : undefined,
    });
  });

  const renderForm = async (res: Response, kind: UnitKind, values: FormValues, extra: Record<string, unknown> & { errors?: FormErrors } = {}) => {
    const snapshot = await loadOrgSnapshot();
    res.render('org/form', { titleKey: extra.id ? `org.${kind}.edit` : `org.${kind}.new`, kind, fields: withErrors(formFields(kind, snapshot, lang(res), values), extra.errors), ...extra });
  };

  router.get('/org/:kind/new', requireRole('admin'), async (req, res) => {
    const kind = kindOf(req.params.kind);
    await renderForm(res, kind, kind === 'cohorts' ? { entryYear: String(new Date().getFullYear()) } : {});
  });

  formRoute(router, { path: '/org/:kind', schema: unitForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const kind = kindOf(req.params.kind);
    const values = formValues(kind, form);
    try {
      await org[kind].create(actorOf(res), formInput(kind, values));
      res.redirect(303, `/org/${kind}?saved=created`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await renderForm(res, kind, values, { errors: formErrors(e, lang(res), [`org.${kind}`, 'org'], formFieldOf) });
    }
  });

  router.get('/org/:kind/:id', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const actor = actorOf(res);
    const unit = await org[kind].get(actor, String(req.params.id));
    const overdue = kind === 'faculties' ? await overdueActions(actor, { faculty: unit.id }) : kind === 'programmes' ? await overdueActions(actor, { programme: unit.id }) : [];
    if (canEditStructure(actor)) {
      return renderForm(res, kind, unitValues(unit), { id: unit.id, archived: unit.archived, overdue, savedKey: req.query.saved === '1' ? 'org.saved.updated' : undefined });
    }
    const snapshot = await loadOrgSnapshot();
    const l = lang(res);
    res.render('org/show', {
      titleKey: `org.${kind}.one`,
      kind,
      overdue,
      archived: unit.archived,
      details: listColumns(kind, l).map((label, i) => ({ label, value: listCells(kind, unit, snapshot, l)[i] })),
    });
  });

  formRoute(router, { path: '/org/:kind/:id', schema: unitForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const kind = kindOf(req.params.kind);
    const id = String(req.params.id);
    const values = formValues(kind, form);
    try {
      await org[kind].update(actorOf(res), id, formInput(kind, values));
      res.redirect(303, `/org/${kind}/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      const e = expectedFormError(err);
      const current = await org[kind].get(actorOf(res), id);
      res.status(e.status);
      await renderForm(res, kind, values, { id, archived: current.archived, errors: formErrors(e, lang(res), [`org.${kind}`, 'org'], formFieldOf) });
    }
  });

  for (const action of ['archive', 'restore'] as const) {
    formRoute(router, { path: `/org/:kind/:id/${action}`, schema: emptyForm, before: [requireRole('admin')] }, async (req, res) => {
      const kind = kindOf(req.params.kind);
      await org[kind][action](actorOf(res), String(req.params.id));
      res.redirect(303, `/org/${kind}?saved=${action === 'archive' ? 'archived' : 'restored'}`);
    });
  }

  return router;
}
