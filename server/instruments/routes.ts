// Instrument pages: list, versions, preview and print, the JSON and translation editor, publish after the
// diff, new version, clone and import. Any signed-in user reads; every change goes through the service,
// which lets only admins change anything (its 403 shows the error page). Forms work without JavaScript.
import { Router, type Request, type Response } from 'express';
import { csrfMultipart } from '../accounts/csrf.js';
import { actorOf, requireUser } from '../accounts/session.js';
import { checkboxField, formRoute, formSchema, textField } from '../lib/forms.js';
import { uploadedText } from '../lib/upload.js';
import { AppError, notFound } from '../lib/errors.js';
import { formatDay } from '../lib/dates.js';
import { LANGUAGE_NAMES, LANGUAGES, stringsUnder, translate, type Lang } from '../lib/i18n/index.js';
import { flattenItems, type DefinitionDiff } from './diff.js';
import { STARTER_DEFINITION, textSections, unmappedViews, warningViews } from './editor.js';
import { definitionWarnings } from './warnings.js';
import { importCandidate, importErrorText, importForm, type ImportCandidate, type ImportForm } from './import.js';
import type { InstrumentVersionDoc } from './model.js';
import { conditionalCount, previewPages, printPages } from './preview.js';
import { parseEditorJson, problemLines, problemsOf, problemView, type Problem } from './problems.js';
import { AUDIENCES, idSchema, type Definition } from './schema.js';
import * as instruments from './service.js';
import type { UnclearScale, UnmappedEntry } from './surveyjs.js';
import { applyTexts } from './texts.js';

const DONE = ['created', 'saved', 'textsSaved', 'published', 'version', 'cloned', 'imported'];

const langOf = (res: Response) => res.locals.lang as Lang;
const isAdmin = (res: Response) => actorOf(res).role === 'admin';
const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const day = (d: Date | string | undefined, lang: Lang) => (d ? formatDay(new Date(d), lang) : '');
const baseOf = (doc: Pick<InstrumentVersionDoc, 'instrumentId' | 'version'>) => `/instruments/${doc.instrumentId}/v/${doc.version}`;

function idParam(req: Request): string {
  const parsed = idSchema.safeParse(req.params.id);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

function versionParams(req: Request): { id: string; version: number } {
  const raw = String(req.params.version ?? '');
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw notFound();
  return { id: idParam(req), version: Number(raw) };
}

/** "?done=published" after a redirect becomes the confirmation line at the top of the page. */
function flash(req: Request, res: Response) {
  const done = req.query.done;
  return typeof done === 'string' && DONE.includes(done) ? { kind: 'ok', text: translate(langOf(res), `instruments.done.${done}`) } : undefined;
}

/** Expected failures (400, 409, 413) are shown on the form; 403, 404 and the rest go to the error page. */
function expected(err: unknown, more: number[] = []): AppError {
  if (err instanceof AppError && [400, 409, 413, ...more].includes(err.status)) return err;
  throw err;
}

function languageLinks(path: string, lang: Lang) {
  return LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], href: `${path}?lang=${code}`, current: code === lang }));
}

interface EditorState {
  doc?: InstrumentVersionDoc;
  json: string;
  problems: (Problem & { line?: number; column?: number })[];
  /** The texts form after a failed save: what was posted and what is wrong with it. */
  texts?: { definition: unknown; problems: Problem[] };
  message?: string;
  unmapped?: UnmappedEntry[];
  /** The "start in the builder" form after a refused id. */
  start?: { id: string; error: string };
}

function renderEditor(req: Request, res: Response, state: EditorState, status = 200): void {
  const lang = langOf(res);
  const admin = isAdmin(res);
  const doc = state.doc;
  const frozen = doc?.status === 'published';
  res.status(status).render('instruments/edit', {
    title: doc ? `${doc.definition.title[lang]} · v${doc.version}` : translate(lang, 'instruments.new.title'),
    isNew: !doc,
    doc: doc && { id: doc.instrumentId, version: doc.version, status: doc.status, title: doc.definition.title, base: baseOf(doc) },
    action: doc ? `${baseOf(doc)}/edit` : '/instruments/new',
    json: state.json,
    problems: problemsWithLines(state, lang),
    sections: doc ? textSections(state.texts?.definition ?? doc.definition, state.texts?.problems ?? [], lang) : undefined,
    textProblems: (state.texts?.problems ?? []).map((p) => problemView(p, lang)),
    editable: admin && !frozen,
    frozen,
    readOnly: !admin,
    canNewVersion: admin && frozen,
    message: state.message,
    unmapped: state.unmapped ? unmappedViews(state.unmapped, lang) : undefined,
    startId: state.start?.id,
    startError: state.start?.error,
    warnings: doc && !frozen ? warningViews(definitionWarnings(doc.definition), lang) : undefined,
    flash: flash(req, res),
    scripts: ['/static/js/instruments-editor.js'],
  });
}

/** The problems in the page language, each with the line of the JSON it points at (a link in the page). */
function problemsWithLines(state: EditorState, lang: Lang) {
  const lines = problemLines(state.json, state.problems.filter((p) => p.line === undefined).map((p) => p.path));
  // A syntax error's path already says its line and column.
  return state.problems.map((p) => ({ ...problemView(p, lang), line: p.line ?? lines.get(p.path), showLine: p.line === undefined && lines.has(p.path) }));
}

function frozenMessage(lang: Lang, doc: InstrumentVersionDoc): string {
  return translate(lang, 'instruments.edit.frozen', { version: doc.version });
}

/** Diff entries with their texts in the page language (added from the draft, removed from the published). */
function diffView(diff: DefinitionDiff, before: Definition, after: Definition, lang: Lang) {
  const textIn = (def: Definition) => {
    const items = new Map(flattenItems(def).map((i) => [i.id, i.text[lang]]));
    return (id: string) => items.get(id) ?? id;
  };
  const now = textIn(after);
  const then = textIn(before);
  return {
    added: diff.added.map((id) => ({ id, text: now(id) })),
    removed: diff.removed.map((id) => ({ id, text: then(id) })),
    reworded: diff.reworded.map((r) => ({
      id: r.id,
      changes: LANGUAGES.filter((l) => r.before[l] !== r.after[l]).map((l) => ({ lang: l, name: LANGUAGE_NAMES[l], before: r.before[l], after: r.after[l] })),
    })),
    replaced: diff.replaced.map((r) => ({ id: r.id, replaces: r.replaces, text: now(r.id), old: then(r.replaces) })),
    unknown: diff.replacedUnknown,
    empty: !diff.added.length && !diff.removed.length && !diff.reworded.length && !diff.replaced.length,
  };
}

function renderImport(req: Request, res: Response, values: Partial<ImportForm>, error?: string, status = 200, details?: { unclear?: UnclearScale[]; unmapped?: UnmappedEntry[] }): void {
  const lang = langOf(res);
  res.status(status).render('instruments/import', {
    titleKey: 'instruments.import.title',
    values,
    error,
    // A scale whose direction the import could not tell: ask which end is the most negative.
    unclear: details?.unclear?.map((u, i) => ({ ...u, field: `direction.${u.at}`, n: i, labelList: u.labels.join(' · '), first: u.labels[0], last: u.labels.at(-1) })),
    leftOut: details?.unmapped ? unmappedViews(details.unmapped, lang) : undefined,
    audiences: AUDIENCES.map((a) => ({ value: a, selected: values.audience === a })),
    flash: flash(req, res),
    scripts: ['/static/js/instruments-import.js'],
  });
}

/** A new instrument the service refused (invalid, id taken): the editor again, with the problems by line. */
function renderNotCreated(req: Request, res: Response, err: unknown, state: Pick<EditorState, 'json' | 'unmapped'>): void {
  const e = expected(err);
  const problems = e.status === 409 ? [{ path: 'id', message: 'already taken' }] : problemsOf(e.details);
  renderEditor(req, res, { ...state, problems, message: problems.length ? undefined : e.message }, e.status);
}

// Instrument forms post multipart/form-data: a definition (and its texts in three languages) outgrows the
// app-wide 100 kB urlencoded limit, and imports upload a file.
const FORM_LIMIT_BYTES = 1_000_000;
const instrumentForm = csrfMultipart({ maxFieldBytes: FORM_LIMIT_BYTES, maxFields: 4_000 });
const importUpload = csrfMultipart({ file: 'file', maxFileBytes: FORM_LIMIT_BYTES, maxFieldBytes: FORM_LIMIT_BYTES, maxFields: 20 });
const emptyForm = formSchema({});
const newForm = formSchema({ definition: textField(FORM_LIMIT_BYTES) });
/** The JSON editor posts the definition; the translation form posts "<path>.<lang>" fields (texts.ts). */
const editForm = formSchema({ form: textField(20), definition: textField(FORM_LIMIT_BYTES) }).catchall(textField(10_000));
const cloneForm = formSchema({ newId: textField(100), confirmNewTrend: checkboxField });
const startForm = formSchema({ id: textField(100) });
const publishForm = formSchema({ confirmWarnings: checkboxField });

export function instrumentPagesRouter(): Router {
  const router = Router();
  router.use('/instruments', requireUser);

  router.get('/instruments', async (req, res) => {
    const list = await instruments.listInstruments(actorOf(res));
    res.render('instruments/list', { titleKey: 'instruments.list.title', instruments: list, canEdit: isAdmin(res), flash: flash(req, res) });
  });

  router.get('/instruments/new', (req, res) => {
    instruments.assertCanEditInstruments(actorOf(res));
    renderEditor(req, res, { json: pretty(STARTER_DEFINITION), problems: [] });
  });

  formRoute(router, { path: '/instruments/new', schema: newForm, before: [instrumentForm] }, async (req, res, { definition: text }) => {
    const actor = actorOf(res);
    instruments.assertCanEditInstruments(actor);
    const parsed = parseEditorJson(text);
    if (parsed.problem) return renderEditor(req, res, { json: text, problems: [parsed.problem] }, 400);
    try {
      const doc = await instruments.createInstrument(actor, parsed.value);
      res.redirect(303, `${baseOf(doc)}/edit?done=created`);
    } catch (err) {
      renderNotCreated(req, res, err, { json: text });
    }
  });

  // Start a new instrument in the builder: the starter definition under the id given.
  formRoute(router, { path: '/instruments/new/build', schema: startForm }, async (req, res, form) => {
    const actor = actorOf(res);
    instruments.assertCanEditInstruments(actor);
    const id = form.id.trim();
    try {
      const doc = await instruments.createInstrument(actor, { ...STARTER_DEFINITION, id });
      res.redirect(303, `${baseOf(doc)}/build`);
    } catch (err) {
      const e = expected(err);
      const lang = langOf(res);
      const startError = e.status === 409 ? translate(lang, 'instruments.problems.idTaken') : translate(lang, 'instruments.problems.idFormat');
      renderEditor(req, res, { json: pretty(STARTER_DEFINITION), problems: [], start: { id, error: startError } }, e.status);
    }
  });

  router.get('/instruments/import', (req, res) => {
    instruments.assertCanEditInstruments(actorOf(res));
    renderImport(req, res, { format: 'pikir', audience: 'student' });
  });

  formRoute(router, { path: '/instruments/import', schema: importForm, before: [importUpload] }, async (req, res, form) => {
    const actor = actorOf(res);
    instruments.assertCanEditInstruments(actor);
    let candidate: ImportCandidate;
    const uploaded = uploadedText(req.file);
    try {
      candidate = importCandidate(form, uploaded);
    } catch (err) {
      const e = expected(err, [422]);
      // The file's text goes back into the form, so answering the page's question re-imports the same file.
      const values = { ...form, json: uploaded ?? form.json };
      const details = e.code === 'scale_direction_unclear' ? { unclear: e.details as UnclearScale[] } : e.code === 'nothing_to_import' ? { unmapped: e.details as UnmappedEntry[] } : undefined;
      return renderImport(req, res, values, importErrorText(e, langOf(res)), e.status, details);
    }
    try {
      const doc = await instruments.createInstrument(actor, candidate.definition, candidate.source);
      if (!candidate.unmapped) return res.redirect(303, `${baseOf(doc)}/edit?done=imported`);
      const lang = langOf(res);
      res.render('instruments/imported', { title: doc.definition.title[lang], doc: { id: doc.instrumentId, version: doc.version, title: doc.definition.title, base: baseOf(doc) }, unmapped: unmappedViews(candidate.unmapped, lang) });
    } catch (err) {
      renderNotCreated(req, res, err, { json: pretty(candidate.definition), unmapped: candidate.unmapped });
    }
  });

  router.get('/instruments/:id', async (req, res) => {
    const id = idParam(req);
    const versions = await instruments.listVersions(actorOf(res), id);
    renderShow(req, res, versions);
  });

  function renderShow(req: Request, res: Response, versions: InstrumentVersionDoc[], clone?: { value: string; error: string; confirmError?: string }, status = 200) {
    const lang = langOf(res);
    const latest = versions[0]!;
    const def = latest.definition;
    const admin = isAdmin(res);
    res.status(status).render('instruments/show', {
      title: def.title[lang],
      instrument: { id: latest.instrumentId, title: def.title, description: def.description, audience: def.audience, minutes: def.estimatedMinutes, items: flattenItems(def).length, pages: def.pages.length },
      versions: versions.map((v) => ({ version: v.version, base: baseOf(v), status: v.status, isDraft: v.status === 'draft', source: v.source, created: day(v.createdAt, lang), published: day(v.publishedAt, lang) })),
      latest: { version: latest.version, base: baseOf(latest), isDraft: latest.status === 'draft' },
      // Copying a library instrument is how people customise it, and how they silently lose its trends.
      fromLibrary: versions.some((v) => v.source === 'library'),
      canEdit: admin,
      canNewVersion: admin && latest.status === 'published',
      newCampaign: admin ? versions.filter((v) => v.status === 'published').map((v) => ({ version: v.version }))[0] : undefined,
      clone: clone ?? { value: '', error: '', confirmError: '' },
      flash: flash(req, res),
    });
  }

  formRoute(router, { path: '/instruments/:id/versions', schema: emptyForm }, async (req, res) => {
    const actor = actorOf(res);
    const id = idParam(req);
    try {
      const doc = await instruments.newVersion(actor, id);
      res.redirect(303, `${baseOf(doc)}/edit?done=version`);
    } catch (err) {
      // A draft is already there (another tab, another admin): open it instead of an error page.
      if (!(err instanceof AppError && err.code === 'draft_exists')) throw err;
      const [latest] = await instruments.listVersions(actor, id);
      res.redirect(303, `${baseOf(latest!)}/edit`);
    }
  });

  router.get('/instruments/:id/v/:version/preview', async (req, res) => {
    const { id, version } = versionParams(req);
    const doc = await instruments.getVersion(actorOf(res), id, version);
    const lang = langOf(res);
    const def = doc.definition;
    res.render('instruments/preview', {
      title: `${def.title[lang]} · ${translate(lang, 'instruments.preview.title')}`,
      doc: { id, version, status: doc.status, base: baseOf(doc) },
      def: { title: def.title[lang], description: def.description[lang], minutes: def.estimatedMinutes },
      pages: previewPages(def, lang),
      pageCount: def.pages.length,
      conditional: conditionalCount(def),
      languages: languageLinks(`${baseOf(doc)}/preview`, lang),
      scripts: ['/static/js/respond.js'],
    });
  });

  router.get('/instruments/:id/v/:version/print', async (req, res) => {
    const { id, version } = versionParams(req);
    const doc = await instruments.getVersion(actorOf(res), id, version);
    const lang = langOf(res);
    const def = doc.definition;
    res.render('instruments/print', {
      title: def.title[lang],
      bodyClass: 'print-body',
      doc: { id, version, status: doc.status, base: baseOf(doc), published: day(doc.publishedAt, lang) },
      def: { title: def.title[lang], description: def.description[lang], minutes: def.estimatedMinutes, audience: def.audience },
      pages: printPages(def, lang),
      languages: languageLinks(`${baseOf(doc)}/print`, lang),
      printedOn: day(new Date(), lang),
      scripts: ['/static/js/instruments-print.js'],
    });
  });

  router.get('/instruments/:id/v/:version/build', async (req, res) => {
    const { id, version } = versionParams(req);
    const actor = actorOf(res);
    instruments.assertCanEditInstruments(actor);
    const doc = await instruments.getVersion(actor, id, version);
    // A published version never changes: its editor page says so and offers a new version.
    if (doc.status === 'published') return res.redirect(303, `${baseOf(doc)}/edit`);
    const lang = langOf(res);
    res.render('instruments/build', {
      title: `${doc.definition.title[lang]} · ${translate(lang, 'instruments.builder.title')}`,
      bodyClass: 'wide-body',
      doc: { id, version, base: baseOf(doc), title: doc.definition.title },
      languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], current: code === lang })),
      i18n: JSON.stringify(stringsUnder(lang, 'instruments.builder')),
      scripts: ['/static/js/builder/main.js'],
    });
  });

  router.get('/instruments/:id/v/:version/edit', async (req, res) => {
    const { id, version } = versionParams(req);
    const doc = await instruments.getVersion(actorOf(res), id, version);
    renderEditor(req, res, { doc, json: pretty(doc.definition), problems: [], message: doc.status === 'published' ? frozenMessage(langOf(res), doc) : undefined });
  });

  formRoute(router, { path: '/instruments/:id/v/:version/edit', schema: editForm, before: [instrumentForm] }, async (req, res, body) => {
    const { id, version } = versionParams(req);
    const actor = actorOf(res);
    instruments.assertCanEditInstruments(actor);
    const doc = await instruments.getVersion(actor, id, version);
    const isTexts = body.form === 'texts';
    const text = isTexts ? pretty(doc.definition) : body.definition;
    // A published version never changes, whatever was posted (the service refuses it too).
    if (doc.status === 'published') return renderEditor(req, res, { doc, json: text, problems: [], message: frozenMessage(langOf(res), doc) }, 409);
    const parsed: { value?: unknown; problem?: Problem } = isTexts ? { value: applyTexts(doc.definition, body) } : parseEditorJson(text);
    if (parsed.problem) return renderEditor(req, res, { doc, json: text, problems: [parsed.problem] }, 400);
    try {
      await instruments.updateDraft(actor, id, version, parsed.value);
      res.redirect(303, `${baseOf(doc)}/edit?done=${isTexts ? 'textsSaved' : 'saved'}${isTexts ? '#texts' : ''}`);
    } catch (err) {
      const e = expected(err);
      if (e.code === 'published_frozen') return renderEditor(req, res, { doc, json: text, problems: [], message: frozenMessage(langOf(res), doc) }, 409);
      const problems = problemsOf(e.details);
      const message = problems.length ? undefined : e.message;
      if (isTexts) return renderEditor(req, res, { doc, json: text, problems: [], texts: { definition: parsed.value, problems }, message }, e.status);
      renderEditor(req, res, { doc, json: text, problems, message }, e.status);
    }
  });

  async function renderPublish(req: Request, res: Response, id: string, version: number, warningError?: string, status = 200) {
    const actor = actorOf(res);
    const doc = await instruments.getVersion(actor, id, version);
    if (doc.status === 'published') return res.redirect(303, `/instruments/${id}`);
    const lang = langOf(res);
    const { previousVersion, diff } = await instruments.diffForPublishing(actor, id, version);
    const previous = previousVersion ? await instruments.getVersion(actor, id, previousVersion) : undefined;
    res.status(status).render('instruments/publish', {
      title: `${doc.definition.title[lang]} · v${version}`,
      doc: { id, version, base: baseOf(doc), title: doc.definition.title },
      previousVersion,
      diff: diff && previous ? diffView(diff, previous.definition, doc.definition, lang) : undefined,
      warnings: warningViews(definitionWarnings(doc.definition), lang),
      warningError,
      canPublish: isAdmin(res),
    });
  }

  router.get('/instruments/:id/v/:version/publish', async (req, res) => {
    const { id, version } = versionParams(req);
    await renderPublish(req, res, id, version);
  });

  formRoute(router, { path: '/instruments/:id/v/:version/publish', schema: publishForm }, async (req, res, form) => {
    const { id, version } = versionParams(req);
    try {
      await instruments.publish(actorOf(res), id, version, { confirmWarnings: form.confirmWarnings });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'publish_warnings')) throw err;
      return renderPublish(req, res, id, version, translate(langOf(res), 'instruments.warnings.notConfirmed'), 409);
    }
    res.redirect(303, `/instruments/${id}?done=published`);
  });

  formRoute(router, { path: '/instruments/:id/v/:version/clone', schema: cloneForm }, async (req, res, form) => {
    const { id, version } = versionParams(req);
    const actor = actorOf(res);
    const newId = form.newId.trim();
    // A copy starts its own trend: the page says so and offers a new version; the copy needs that read.
    instruments.assertCanEditInstruments(actor);
    if (!form.confirmNewTrend) {
      const versions = await instruments.listVersions(actor, id);
      return renderShow(req, res, versions, { value: newId, error: '', confirmError: translate(langOf(res), 'instruments.show.cloneNotConfirmed') }, 400);
    }
    try {
      const doc = await instruments.cloneInstrument(actor, id, version, newId);
      res.redirect(303, `${baseOf(doc)}/edit?done=cloned`);
    } catch (err) {
      const e = expected(err);
      const lang = langOf(res);
      const error = e.status === 409 ? translate(lang, 'instruments.problems.idTaken') : translate(lang, 'instruments.problems.idFormat');
      renderShow(req, res, await instruments.listVersions(actor, id), { value: newId, error }, e.status);
    }
  });

  return router;
}
