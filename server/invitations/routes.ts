// Invitation pages: /campaigns/:id/invitations (admins: send log counts, contact import with preview,
// templates, send now, delete contacts after the close) and the public /unsubscribe/:id confirm page.
import { Router, type Request, type Response } from 'express';
import { csrfMultipart } from '../accounts/csrf.js';
import { actorOf, requireRole } from '../accounts/session.js';
import { formRoute, formSchema, textField } from '../lib/forms.js';
import type { Config } from '../config.js';
import { AppError, notFound } from '../lib/errors.js';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import { atLine, problem } from '../lib/problems.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import { decodeCsvBytes, MAX_CSV_BYTES } from '../org/csv.js';
import { checkContacts, importContacts, type ContactImportReport } from './import.js';
import { campaignForAdmin, contactByUnsubscribeId, deleteContacts, invitationsSummary, requestSend, saveSettings, settingsInput, unsubscribe } from './service.js';
import { PLACEHOLDERS } from './templates.js';

const ID = CAMPAIGN_ID;
const LANGS = LANGUAGES;
const DONE = ['imported', 'templates', 'queued', 'deleted'] as const;
const ERRORS = ['smtp', 'notOpen', 'notClosed', 'templates'] as const;
/** The contact list: a CSV file or pasted text; "confirm" after the preview. */
const contactsUpload = csrfMultipart({ file: 'file', maxFileBytes: MAX_CSV_BYTES, maxFieldBytes: MAX_CSV_BYTES, maxFields: 10 });
const contactsForm = formSchema({ csv: textField(MAX_CSV_BYTES), confirm: textField(10) });
const templatesForm = formSchema({
  ...(Object.fromEntries(LANGUAGES.flatMap((l) => [[`subject_${l}`, textField(1_000)], [`body_${l}`, textField(20_000)]])) as Record<`${'subject' | 'body'}_${Lang}`, ReturnType<typeof textField>>),
  maxReminders: textField(20),
  reminderDays: textField(20),
});
const sendForm = formSchema({ kind: textField(20) });
const emptyForm = formSchema({});

const idOf = (req: Request) => {
  const id = String(req.params.id ?? '');
  if (!ID.test(id)) throw notFound('There is no such campaign, or it is outside your scope.');
  return id;
};

/** A form's number field: empty = the default; anything but digits is passed on for the schema to refuse. */
const wholeNumber = (v: string): number | string | undefined => (v.trim() === '' ? undefined : /^\d{1,6}$/.test(v.trim()) ? Number(v.trim()) : v);

export function invitationPagesRouter(config: Config): Router {
  const router = Router();

  const renderPage = async (req: Request, res: Response, extra: { report?: ContactImportReport; csv?: string; status?: number; error?: string } = {}) => {
    const id = idOf(req);
    const lang = res.locals.lang as Lang;
    const campaign = await campaignForAdmin(actorOf(res), id);
    const s = await invitationsSummary(actorOf(res), config, id);
    const done = DONE.find((d) => d === req.query.done);
    const error = extra.error ?? ERRORS.find((e) => e === req.query.error);
    res.status(extra.status ?? 200).render('invitations/show', {
      titleKey: 'invitations.title',
      c: { id, title: campaign.title[lang] },
      forContacts: campaign.audience.kind === 'contacts',
      s,
      canSend: s.smtpConfigured && s.state === 'open',
      canDelete: s.state === 'closed' && !s.contactsDeleted && s.counts.contacts > 0,
      templates: LANGS.map((l) => ({ lang: l, ...s.templates[l] })),
      placeholders: PLACEHOLDERS.map((p) => `{{${p}}}`).join(' '),
      done,
      queued: typeof req.query.n === 'string' ? req.query.n : '',
      error,
      report: extra.report,
      rowsShown: extra.report?.rows.slice(0, 200),
      csv: extra.csv,
    });
  };

  router.get('/campaigns/:id/invitations', requireRole('admin'), async (req, res) => renderPage(req, res));

  formRoute(router, { path: '/campaigns/:id/invitations/import', schema: contactsForm, before: [requireRole('admin'), contactsUpload] }, async (req, res, form) => {
    const id = idOf(req);
    const csv = req.file?.buffer.length ? decodeCsvBytes(req.file.buffer) : form.csv;
    if (!csv.trim()) return renderPage(req, res, { status: 400, report: { columns: [], rows: [], problems: [atLine(1, problem('chooseFile'))], importable: 0, merged: 0, imported: 0, updated: 0 } });
    const campaign = await campaignForAdmin(actorOf(res), id);
    if (form.confirm !== '1') {
      const { report } = await checkContacts(campaign, csv);
      return renderPage(req, res, { report, csv, status: report.problems.length ? 400 : 200 });
    }
    const report = await importContacts(actorOf(res), config, campaign, csv);
    if (report.problems.length) return renderPage(req, res, { report, csv, status: 400 });
    res.redirect(303, `/campaigns/${id}/invitations?done=imported&n=${report.imported + report.updated}`);
  });

  formRoute(router, { path: '/campaigns/:id/invitations/templates', schema: templatesForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const id = idOf(req);
    const parsed = settingsInput.safeParse({
      templates: Object.fromEntries(LANGS.map((l) => [l, { subject: form[`subject_${l}`], body: form[`body_${l}`] }])),
      maxReminders: wholeNumber(form.maxReminders),
      reminderDays: wholeNumber(form.reminderDays),
    });
    if (!parsed.success) return renderPage(req, res, { status: 400, error: 'templates' });
    try {
      await saveSettings(actorOf(res), id, parsed.data);
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return renderPage(req, res, { status: 400, error: 'templates' });
      throw err;
    }
    res.redirect(303, `/campaigns/${id}/invitations?done=templates`);
  });

  formRoute(router, { path: '/campaigns/:id/invitations/send', schema: sendForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const id = idOf(req);
    const kind = form.kind === 'reminder' ? 'reminder' : 'invitation';
    try {
      const { queued } = await requestSend(actorOf(res), config, id, kind);
      res.redirect(303, `/campaigns/${id}/invitations?done=queued&n=${queued}`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'smtp_not_configured') return res.redirect(303, `/campaigns/${id}/invitations?error=smtp`);
      if (err instanceof AppError && err.code === 'campaign_not_open') return res.redirect(303, `/campaigns/${id}/invitations?error=notOpen`);
      throw err;
    }
  });

  formRoute(router, { path: '/campaigns/:id/invitations/delete-contacts', schema: emptyForm, before: [requireRole('admin')] }, async (req, res) => {
    const id = idOf(req);
    try {
      await deleteContacts(actorOf(res), config, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'campaign_not_closed') return res.redirect(303, `/campaigns/${id}/invitations?error=notClosed`);
      throw err;
    }
    res.redirect(303, `/campaigns/${id}/invitations?done=deleted`);
  });

  // ---- unsubscribe: the page speaks the contact's language ----
  router.get('/unsubscribe/:key', async (req, res) => {
    const contact = await contactByUnsubscribeId(String(req.params.key));
    res.locals.lang = contact.lang;
    res.render('invitations/unsubscribe', { titleKey: 'invitations.unsubscribe.title', key: req.params.key, done: contact.status === 'unsubscribed', lang: contact.lang });
  });
  formRoute(router, { path: '/unsubscribe/:key', schema: emptyForm }, async (req, res) => {
    const contact = await unsubscribe(String(req.params.key));
    res.locals.lang = contact.lang;
    res.render('invitations/unsubscribe', { titleKey: 'invitations.unsubscribe.title', key: req.params.key, done: true, lang: contact.lang });
  });

  return router;
}
