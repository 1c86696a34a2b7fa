// Action pages: the add and edit forms, an action's page (evidence, follow-up of its target figures in the
// next wave), evidence links and file uploads. Forms post and redirect; no JavaScript needed.
import { formatDay } from '../lib/dates.js';
import { Router, type Response } from 'express';
import { csrfMultipart } from '../accounts/csrf.js';
import { actorOf, requireUser } from '../accounts/session.js';
import type { Analytics } from '../analytics/service.js';
import { findCampaign } from '../campaigns/service.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { analysableItems } from '../analytics/item-figures.js';
import { AppError, notFound } from '../lib/errors.js';
import { expectedFormError, formErrors, formRoute, formSchema, textField, type FormErrors } from '../lib/forms.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { canEditFaculty } from './access.js';
import { actionFormModel, actionForm, actionInputOf, formValuesOf, type ActionFormValues } from './action-form.js';
import { addEvidenceFile, addEvidenceLink, createAction, EVIDENCE_TYPES, getAction, MAX_EVIDENCE_BYTES, removeEvidence, updateAction } from './actions-service.js';
import type { CouncilChanges } from './changes.js';
import { accountNames } from './council-service.js';
import { followUp } from './follow-up.js';
import { getMeeting } from './meetings-service.js';
import type { ActionDoc, ActionTarget } from './model.js';
import { actionIdOf, facultyOf } from './ids.js';
import { actionRow, followUpView } from './view-model.js';

const langOf = (res: Response) => res.locals.lang as Lang;
const linkForm = formSchema({ url: textField(2_000), label: textField(300) });
const fileForm = formSchema({});
const emptyForm = formSchema({});
const upload = csrfMultipart({ file: 'file', maxFileBytes: MAX_EVIDENCE_BYTES, maxFieldBytes: 1_000, maxFields: 5 });
/** Error messages of the action form name these fields (the targets' paths point at the first select). */
const fieldOf = (path: string) => (path.startsWith('targets') ? 'figure' : path.startsWith('publicText') ? 'public' : (path.split(/[.[]/)[0] ?? path));

/** "Q: I can see real changes… — Computer Science (Student satisfaction 2025–2026)" */
export async function targetLabel(t: ActionTarget, lang: Lang): Promise<string> {
  const campaign = await findCampaign(t.campaign);
  const org = await loadOrgSnapshot();
  const [level, id = ''] = t.unit.split('~');
  const unitName = level === 'programme' ? org.programme.get(id)?.name[lang] : level === 'faculty' ? org.faculty.get(id)?.name[lang] : t.unit;
  let what = t.item ?? t.scale ?? '';
  if (campaign) {
    const def = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
    what = t.item ? (analysableItems(def).find((i) => i.id === t.item)?.text[lang] ?? t.item) : `${translate(lang, 'councils.actionForm.scale')}: ${def.scales.find((s) => s.id === t.scale)?.title[lang] ?? t.scale}`;
  }
  return `${what} — ${unitName ?? t.unit}${campaign ? ` (${campaign.title[lang]})` : ''}`;
}

export function actionPages(analytics: Analytics, changes: CouncilChanges): Router {
  const router = Router();
  router.use(['/actions', '/councils/:faculty/actions'], requireUser);
  const changed = (a: ActionDoc) => changes.changed({ faculty: a.faculty, kind: 'action', id: a._id });

  const formPage = async (res: Response, faculty: string, values: ActionFormValues, extra: { id?: string; errors?: FormErrors } = {}) => {
    const l = langOf(res);
    const model = await actionFormModel(actorOf(res), faculty, values, l);
    const org = await loadOrgSnapshot();
    res.render('councils/action-form', { titleKey: extra.id ? 'councils.actionForm.edit' : 'councils.actionForm.new', faculty, facultyName: org.faculty.get(faculty)?.name[l], id: extra.id, errors: extra.errors, ...model });
  };

  router.get('/councils/:faculty/actions/new', async (req, res) => {
    const faculty = facultyOf(req.params.faculty);
    const actor = actorOf(res);
    if (!canEditFaculty(actor, faculty)) throw notFound('There is no such council, or it is outside your scope.');
    const values = formValuesOf({ owner: actor.userId });
    // From an agenda item: the meeting, and the figures its snapshot froze, as the action's target.
    const meetingId = typeof req.query.meeting === 'string' ? req.query.meeting : '';
    const itemId = typeof req.query.item === 'string' ? req.query.item : '';
    if (/^mtg[0-9a-z]{14}$/.test(meetingId)) {
      const meeting = await getMeeting(actor, meetingId);
      const item = meeting.agenda.find((a) => a.id === itemId);
      if (meeting.faculty === faculty && item) {
        values.meeting = meeting._id;
        values.agendaItem = item.id;
        values.title = item.title;
        const s = item.snapshot;
        if (s && (s.item || s.scale)) {
          values.figure = [`${s.campaign}|${s.item ? `item:${s.item}` : `scale:${s.scale}`}`];
          values.unit = [s.unit];
          values.esg = s.esg;
        }
      }
    }
    await formPage(res, faculty, values);
  });

  formRoute(router, { path: '/councils/:faculty/actions', schema: actionForm, before: [requireUser] }, async (req, res, form) => {
    const faculty = facultyOf(req.params.faculty);
    try {
      const a = await createAction(actorOf(res), faculty, actionInputOf(form));
      changed(a);
      res.redirect(303, `/actions/${a._id}?saved=created`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await formPage(res, faculty, form, { errors: formErrors(e, langOf(res), 'councils.actionForm', fieldOf) });
    }
  });

  router.get('/actions/:id', async (req, res) => {
    const actor = actorOf(res);
    const l = langOf(res);
    const a = await getAction(actor, actionIdOf(req.params.id));
    const [owners, org, follow] = await Promise.all([accountNames([a.owner]), loadOrgSnapshot(), Promise.all(a.targets.map(async (t) => followUpView(await followUp(analytics, a.faculty, t), l, await targetLabel(t, l))))]);
    const meeting = a.meeting ? await getMeeting(actor, a.meeting).catch(() => null) : null;
    res.render('councils/action', {
      title: a.title,
      scripts: ['/static/js/councils.js'],
      a: { ...actionRow(a, l, owners), description: a.description, esg: a.esg.join(', '), publicText: a.publicText, doneOn: a.doneOn },
      faculty: a.faculty,
      facultyName: org.faculty.get(a.faculty)?.name[l],
      programme: a.programme ? org.programme.get(a.programme)?.name[l] : undefined,
      meeting: meeting ? { id: meeting._id, label: `${formatDay(meeting.date, l)} · ${meeting.title}`, item: meeting.agenda.find((x) => x.id === a.agendaItem)?.title } : undefined,
      canEdit: canEditFaculty(actor, a.faculty),
      evidence: a.evidence.map((e) => (e.kind === 'link' ? { id: e.id, link: true, url: e.url, label: e.label } : { id: e.id, file: true, href: `/api/actions/${a._id}/files/${e.fileId}`, label: e.name, size: `${Math.max(1, Math.round(e.size / 1024))} KB`, type: EVIDENCE_TYPES[e.type]?.toUpperCase() })),
      followUp: follow,
      saved: typeof req.query.saved === 'string' && /^[a-z]{3,12}$/.test(req.query.saved) ? req.query.saved : undefined,
      errorKey: typeof req.query.error === 'string' && /^[a-z_]{3,30}$/.test(req.query.error) ? `councils.evidence.errors.${req.query.error}` : undefined,
      maxSize: '2 MB',
      types: [...new Set(Object.values(EVIDENCE_TYPES))].map((t) => t.toUpperCase()).join(', '),
    });
  });

  router.get('/actions/:id/edit', async (req, res) => {
    const actor = actorOf(res);
    const a = await getAction(actor, actionIdOf(req.params.id));
    if (!canEditFaculty(actor, a.faculty)) return res.redirect(303, `/actions/${a._id}`);
    await formPage(res, a.faculty, formValuesOf(a), { id: a._id });
  });

  formRoute(router, { path: '/actions/:id', schema: actionForm, before: [requireUser] }, async (req, res, form) => {
    const id = actionIdOf(req.params.id);
    const actor = actorOf(res);
    const before = await getAction(actor, id);
    try {
      const a = await updateAction(actor, id, actionInputOf(form));
      changed(a);
      res.redirect(303, `/actions/${a._id}?saved=updated`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await formPage(res, before.faculty, form, { id, errors: formErrors(e, langOf(res), 'councils.actionForm', fieldOf) });
    }
  });

  // Evidence: a failed upload or link goes back to the action page with the reason (the page has both forms).
  const evidenceRoute = (path: string, schema: typeof linkForm | typeof fileForm, before: typeof upload[], run: (id: string, res: Response, form: Record<string, string>, file?: Express.Multer.File) => Promise<ActionDoc>) =>
    formRoute(router, { path, schema, before: [requireUser, ...before] }, async (req, res, form) => {
      const id = actionIdOf(req.params.id);
      try {
        const a = await run(id, res, form as Record<string, string>, req.file);
        changed(a);
        res.redirect(303, `/actions/${id}?saved=evidence#evidence`);
      } catch (err) {
        const e = expectedFormError(err);
        res.redirect(303, `/actions/${id}?error=${e.code === 'unsupported_type' ? 'type' : e.code === 'payload_too_large' ? 'size' : e.code === 'no_file' ? 'file' : 'link'}#evidence`);
      }
    });
  evidenceRoute('/actions/:id/evidence/link', linkForm, [], (id, res, f) => addEvidenceLink(actorOf(res), id, { url: f.url ?? '', label: f.label ?? '' }));
  evidenceRoute('/actions/:id/evidence/file', fileForm, [upload], (id, res, _f, file) => {
    if (!file?.size) return Promise.reject(new AppError(400, 'no_file', 'Choose a file to upload.'));
    return addEvidenceFile(actorOf(res), id, { name: file.originalname, type: file.mimetype, data: file.buffer });
  });
  formRoute(router, { path: '/actions/:id/evidence/:evidence/remove', schema: emptyForm, before: [requireUser] }, async (req, res) => {
    const id = actionIdOf(req.params.id);
    const a = await removeEvidence(actorOf(res), id, String(req.params.evidence));
    changed(a);
    res.redirect(303, `/actions/${id}?saved=removed#evidence`);
  });

  return router;
}
