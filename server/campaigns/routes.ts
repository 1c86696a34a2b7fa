// Campaign pages: the survey plan (/campaigns), the create and edit forms, a campaign's details with its
// open link and QR code, open/close, and printed token slips. Forms post and redirect; no JS needed.
import { Router, type Request, type Response } from 'express';
import type { Actor } from '../accounts/actor.js';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import { getUser } from '../accounts/service.js';
import type { Config } from '../config.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { AppError, notFound } from '../lib/errors.js';
import { formatDay } from '../lib/dates.js';
import { isLang, LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import { parseOrThrow } from '../lib/validate.js';
import { z } from 'zod';
import { audienceLabels, pick, publishedVersions, slipCohorts, slipGroupLabel, unitChoices } from './choices.js';
import { academicYearOf, isAcademicYear, monthsOf, yearChoices } from './dates.js';
import { campaignForm, checkForm, emptyForm as emptyCampaignForm, fieldOfServicePath, formFromCampaign, withDefaultTitles, type CampaignForm, type FieldErrors } from './form.js';
import { formRoute, formSchema, textField } from '../lib/forms.js';
import { AUDIENCE_KINDS, effectiveStatus, type CampaignDoc } from './model.js';
import { LIVE_RESULTS, liveResultsOf } from './live-results.js';
import { usesBlindCredentials } from './blind.js';
import { surveyPlan } from './plan.js';
import { campaignProgress, type ResponseCounts, type UnitRates } from './progress.js';
import { targetsOf } from './target.js';
import { openLinkUrl, qrSvgDataUrl, tokenUrl } from './qr.js';
import { createCampaign, getCampaign, setCampaignStatus, updateCampaign } from './service.js';
import { setSummaryPublished } from './publishing.js';
import { issueSlips } from './slips.js';
import { campaignCard, progressView, unitRateRows, windowLabel } from './view-model.js';

const ID = CAMPAIGN_ID;
/** Slips printed from the page at once (the API allows more, for mail merges). */
const MAX_PAGE_SLIPS = 500;
const DONE = ['created', 'updated', 'opened', 'closed', 'published', 'unpublished'] as const;
const SCRIPTS = ['/static/js/campaigns.js'];
/** The label an error summary names each field by. */
const FIELD_LABELS: Record<string, string> = {
  title_kk: 'campaigns.form.titleKk',
  title_ru: 'campaigns.form.titleRu',
  title_en: 'campaigns.form.titleEn',
  instrument: 'campaigns.form.instrument',
  audienceKind: 'campaigns.form.audienceKind',
  units: 'campaigns.form.audienceLegend',
  academicYear: 'campaigns.form.academicYear',
  opensOn: 'campaigns.form.opensOn',
  closesOn: 'campaigns.form.closesOn',
  targetSize: 'campaigns.form.targetSize',
  openLinkCap: 'campaigns.form.cap',
};

const langOf = (res: Response) => res.locals.lang as Lang;
const idOf = (req: Request) => {
  const id = String(req.params.id ?? '');
  if (!ID.test(id)) throw notFound('There is no such campaign, or it is outside your scope.');
  return id;
};

/** "1234 5678 9abc" is easier to type from paper than twelve letters in a row. */
export const groupToken = (token: string) => token.match(/.{1,4}/g)!.join('-');

const emptyForm = formSchema({});
const closeForm = formSchema({ confirm: textField(10) });
const slipsForm = formSchema({ count: textField(10), cohort: textField(60), lang: textField(5) });
/** A new campaign's form may be opened for one instrument version; anything else is ignored. */
const newCampaignQuery = z.object({ instrument: z.string().regex(/^[a-z][a-z0-9_-]{0,47}@\d{1,6}$/).optional().catch(undefined) });
export function campaignPagesRouter(config: Config, counts: ResponseCounts, unitRates: UnitRates): Router {
  const router = Router();

  router.get('/campaigns', requireUser, async (req, res) => {
    const actor = actorOf(res);
    const lang = langOf(res);
    const asked = typeof req.query.year === 'string' ? req.query.year : '';
    const current = academicYearOf(new Date());
    const year = isAcademicYear(asked) ? asked : current;
    const plan = await surveyPlan(actor, year, counts);
    const inYear = new Set(monthsOf(year));
    const rowLabel = (f: (typeof plan.rows)[number]['faculty']) => (f ? `${f.code} · ${pick(f.name, lang)}` : translate(lang, 'campaigns.plan.universityWide'));
    const rowAnchor = (f: (typeof plan.rows)[number]['faculty']) => (f ? `row-${f.id}` : 'row-university');
    res.render('campaigns/plan', {
      titleKey: 'campaigns.plan.title',
      scripts: SCRIPTS,
      year,
      years: yearChoices(current, [year]).map((value) => ({ value, selected: value === year })),
      isAdmin: actor.role === 'admin',
      total: plan.total,
      // Months outside the academic year appear only when a campaign opens in one: they carry their year.
      months: plan.months.map((m) => {
        const long = `${translate(lang, `campaigns.months.${Number(m.slice(5))}`)} ${m.slice(0, 4)}`;
        const short = translate(lang, `campaigns.monthsShort.${Number(m.slice(5))}`);
        return { key: m, long, short: inYear.has(m) ? short : `${short} ${m.slice(0, 4)}`, outside: !inYear.has(m) };
      }),
      overview: plan.rows.map((r) => ({ label: rowLabel(r.faculty), anchor: rowAnchor(r.faculty), count: r.count, cells: r.months.map((m) => m.campaigns.length) })),
      sections: plan.rows
        .filter((r) => r.count > 0)
        .map((r) => ({
          label: rowLabel(r.faculty),
          anchor: rowAnchor(r.faculty),
          count: r.count,
          months: r.months
            .filter((m) => m.campaigns.length)
            .map((m) => ({ label: `${translate(lang, `campaigns.months.${Number(m.month.slice(5))}`)} ${m.month.slice(0, 4)}`, campaigns: m.campaigns.map((c) => campaignCard(c, lang)) })),
        })),
    });
  });

  // ---- forms ----
  const renderForm = async (res: Response, opts: { form: CampaignForm; errors: FieldErrors; campaign?: CampaignDoc; status?: number }) => {
    const actor = actorOf(res);
    const lang = langOf(res);
    const { form, errors, campaign } = opts;
    const instruments = await publishedVersions(actor, lang);
    const units = await unitChoices(lang);
    const locked = campaign && campaign.status !== 'draft';
    const mark = (kind: keyof typeof units) =>
      units[kind].map((g) => ({ label: g.label, units: g.units.map((u) => ({ ...u, checked: form.units[kind].includes(u.id) })) }));
    const errorList = Object.entries(errors).map(([field, key]) => ({ field, text: translate(lang, key), label: FIELD_LABELS[field] ? translate(lang, FIELD_LABELS[field]) : undefined }));
    res.status(opts.status ?? (errorList.length ? 400 : 200)).render('campaigns/form', {
      titleKey: campaign ? 'campaigns.form.editTitle' : 'campaigns.form.newTitle',
      scripts: SCRIPTS,
      campaign: campaign ? { id: campaign._id, title: pick(campaign.title, lang) } : undefined,
      action: campaign ? `/campaigns/${campaign._id}/edit` : '/campaigns/new',
      form,
      errors: Object.fromEntries(errorList.map((e) => [e.field, e.text])),
      errorList,
      instruments: instruments.map((i) => ({ ...i, versions: i.versions.map((v) => ({ ...v, selected: v.value === form.instrument })) })),
      instrumentLocked: locked ? { value: form.instrument, label: instruments.find((i) => i.versions.some((v) => v.value === form.instrument))?.title ?? form.instrument, version: form.instrument.split('@')[1] } : undefined,
      kinds: AUDIENCE_KINDS.map((k) => ({ value: k, selected: k === form.audienceKind })),
      unitSets: [
        { kind: 'faculty', groups: mark('faculty') },
        { kind: 'programme', groups: mark('programme') },
        { kind: 'cohort', groups: mark('cohort') },
        { kind: 'discipline', groups: mark('discipline') },
        { kind: 'contacts', groups: units.programme.map((g) => ({ label: g.label, units: g.units.map((u) => ({ ...u, checked: form.units.contacts.includes(u.id) })) })) },
      ],
      years: yearChoices(academicYearOf(new Date()), [form.academicYear]).map((value) => ({ value, selected: value === form.academicYear })),
      liveChoices: ['', ...LIVE_RESULTS].map((value) => ({ value, id: `f-live-${value || 'default'}`, label: translate(lang, `campaigns.live.${value || 'default'}`), hint: translate(lang, `campaigns.live.${value || 'default'}Hint`, { k: config.suppressionK, count: config.suppressionK }), checked: form.liveResults === value })),
      blindChoices: ['', 'on', 'off'].map((value) => ({ value, id: `f-blind-${value || 'default'}`, label: translate(lang, `campaigns.blind.${value || 'default'}`), hint: translate(lang, `campaigns.blind.${value || 'default'}Hint`), checked: form.blindCredentials === value })),
      blindLocked: Boolean(locked),
      k: config.suppressionK,
    });
  };

  /** Runs a create/update; a 400/409 from the service is shown next to its field. */
  const submit = async (res: Response, form: CampaignForm, campaign: CampaignDoc | undefined) => {
    const actor = actorOf(res);
    if (campaign && campaign.status !== 'draft') {
      form.instrument = `${campaign.instrument.id}@${campaign.instrument.version}`;
      form.blindCredentials = campaign.blindCredentials ? 'on' : 'off';
    }
    const choices = await publishedVersions(actor, langOf(res));
    const published = new Set(choices.flatMap((i) => i.versions.map((v) => v.value)));
    form = withDefaultTitles(form, choices.find((i) => i.versions.some((v) => v.value === form.instrument))?.titles);
    const { input, errors } = checkForm(form, published);
    if (!input) return renderForm(res, { form, errors, campaign });
    try {
      const saved = campaign ? await updateCampaign(actor, campaign._id, input) : await createCampaign(actor, input);
      res.redirect(303, `/campaigns/${saved._id}?done=${campaign ? 'updated' : 'created'}`);
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      const path = Array.isArray(err.details) ? (err.details[0] as { path?: string } | undefined)?.path : undefined;
      const field = err.status === 409 ? 'instrument' : fieldOfServicePath(path);
      const key =
        err.status === 409 ? 'campaigns.errors.instrumentLocked'
        : err.code === 'target_from_enrolment' ? 'campaigns.errors.targetFromEnrolment'
        : err.code === 'target_required' ? 'campaigns.errors.targetRequired'
        : field === 'units' ? 'campaigns.errors.unknownUnits'
        : field === 'instrument' ? 'campaigns.errors.notPublished'
        : field === 'closesOn' ? 'campaigns.errors.closesBeforeOpens'
        : 'campaigns.errors.generic';
      return renderForm(res, { form, errors: { [field]: key }, campaign });
    }
  };

  // "?instrument=id@version" (the instrument page's link) chooses the instrument and starts the titles from it.
  router.get('/campaigns/new', requireRole('admin'), async (req, res) => {
    const { instrument } = parseOrThrow(newCampaignQuery, req.query, 'query');
    const form = emptyCampaignForm(academicYearOf(new Date()));
    const choice = instrument ? (await publishedVersions(actorOf(res), langOf(res))).find((i) => i.versions.some((v) => v.value === instrument)) : undefined;
    await renderForm(res, { form: choice ? withDefaultTitles({ ...form, instrument: instrument! }, choice.titles) : form, errors: {} });
  });
  formRoute(router, { path: '/campaigns/new', schema: campaignForm, before: [requireRole('admin')] }, async (_req, res, form) => {
    await submit(res, form, undefined);
  });

  router.get('/campaigns/:id/edit', requireRole('admin'), async (req, res) => {
    const campaign = await getCampaign(actorOf(res), idOf(req));
    await renderForm(res, { form: formFromCampaign(campaign, (await targetsOf(campaign)).from === 'enrolment'), errors: {}, campaign });
  });
  formRoute(router, { path: '/campaigns/:id/edit', schema: campaignForm, before: [requireRole('admin')] }, async (req, res, form) => {
    await submit(res, form, await getCampaign(actorOf(res), idOf(req)));
  });

  // ---- details ----
  router.get('/campaigns/:id', requireUser, async (req, res) => {
    const actor = actorOf(res);
    const lang = langOf(res);
    const c = await getCampaign(actor, idOf(req));
    const [definition, progress, rates, units, cohorts, owner] = await Promise.all([
      getPublishedDefinition(c.instrument.id, c.instrument.version).catch(() => undefined),
      campaignProgress(counts, c),
      unitRates(actor, c),
      audienceLabels(c, lang),
      actor.role === 'admin' ? slipCohorts(c, lang) : Promise.resolve([]),
      ownerLabel(actor, c.ownerId),
    ]);
    const state = effectiveStatus(c);
    const done = DONE.find((d) => d === req.query.done);
    res.render('campaigns/show', {
      title: pick(c.title, lang),
      // An open campaign's rates move: the page follows them over Socket.IO (public/js/campaign-rates.js).
      scripts: state === 'open' ? [...SCRIPTS, '/static/js/campaign-rates.js'] : SCRIPTS,
      vendorScripts: state === 'open' ? ['/socket.io/socket.io.min.js'] : [],
      rates: unitRateRows(rates, lang, config.suppressionK),
      k: config.suppressionK,
      flash: done ? { kind: 'ok', text: translate(lang, `campaigns.done.${done}`) } : undefined,
      c: {
        id: c._id,
        title: pick(c.title, lang),
        titles: c.title,
        state,
        status: c.status,
        instrument: definition ? pick(definition.title, lang) : c.instrument.id,
        version: c.instrument.version,
        audienceKind: c.audience.kind,
        units,
        academicYear: c.academicYear,
        window: windowLabel(c.opensAt, c.closesAt, lang),
        link: openLinkUrl(config, c.linkId),
        openLinkEnabled: c.openLinkEnabled,
        openLinkCap: c.openLinkCap,
        owner,
        liveResults: translate(lang, `campaigns.live.${definition ? liveResultsOf(c, definition) : 'counts'}`),
        blind: usesBlindCredentials(c),
      },
      responses: progressView(progress),
      isAdmin: actor.role === 'admin',
      ...campaignActions(actor, c, state, progress.n),
      publishing: actor.role === 'admin' && state === 'closed' ? { published: Boolean(c.publishedAt), since: c.publishedAt ? formatDay(c.publishedAt, lang) : undefined, url: `${config.baseUrl}/published/${c._id}`, k: config.publishedK } : undefined,
      cohorts,
      slipLanguages: LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] })),
      maxSlips: MAX_PAGE_SLIPS,
    });
  });

  // The rates table alone, in the page's language: the page's script reloads it when a push says they moved.
  router.get('/campaigns/:id/rates', requireUser, async (req, res) => {
    const actor = actorOf(res);
    const c = await getCampaign(actor, idOf(req));
    res.render('partials/campaign-rates', { layout: false, rates: unitRateRows(await unitRates(actor, c), langOf(res), config.suppressionK) });
  });

  formRoute(router, { path: '/campaigns/:id/open', schema: emptyForm, before: [requireRole('admin')] }, async (req, res) => {
    const c = await setCampaignStatus(actorOf(res), idOf(req), 'open');
    res.redirect(303, `/campaigns/${c._id}?done=opened`);
  });
  // Closing cannot be undone: the button on the campaign page leads here, and only this page's form
  // (confirm=yes) closes — without JavaScript too.
  router.get('/campaigns/:id/close', requireRole('admin'), async (req, res) => {
    const lang = langOf(res);
    const c = await getCampaign(actorOf(res), idOf(req));
    if (c.status === 'closed') return res.redirect(303, `/campaigns/${c._id}`);
    const progress = await campaignProgress(counts, c);
    res.render('campaigns/close', {
      title: translate(lang, `campaigns.close.${c.status}.heading`),
      c: { id: c._id, title: pick(c.title, lang), status: c.status, window: windowLabel(c.opensAt, c.closesAt, lang) },
      responses: progressView(progress),
    });
  });
  formRoute(router, { path: '/campaigns/:id/close', schema: closeForm, before: [requireRole('admin')] }, async (req, res, form) => {
    if (form.confirm !== 'yes') return res.redirect(303, `/campaigns/${idOf(req)}/close`);
    const c = await setCampaignStatus(actorOf(res), idOf(req), 'closed');
    res.redirect(303, `/campaigns/${c._id}?done=closed`);
  });

  formRoute(router, { path: '/campaigns/:id/publish', schema: emptyForm, before: [requireRole('admin')] }, async (req, res) => {
    const c = await setSummaryPublished(actorOf(res), idOf(req), true);
    res.redirect(303, `/campaigns/${c._id}?done=published`);
  });
  formRoute(router, { path: '/campaigns/:id/unpublish', schema: emptyForm, before: [requireRole('admin')] }, async (req, res) => {
    const c = await setSummaryPublished(actorOf(res), idOf(req), false);
    res.redirect(303, `/campaigns/${c._id}?done=unpublished`);
  });

  // ---- slips: the one response that ever shows these tokens ----
  // A reload or a language switch on the slips page arrives as a GET: the codes are gone, go back.
  router.get('/campaigns/:id/slips', requireRole('admin'), (req, res) => {
    res.redirect(303, `/campaigns/${idOf(req)}`);
  });
  formRoute(router, { path: '/campaigns/:id/slips', schema: slipsForm, before: [requireRole('admin')] }, async (req, res, form) => {
    const actor = actorOf(res);
    const lang = langOf(res);
    const id = idOf(req);
    const count = /^\d{1,4}$/.test(form.count) ? Number(form.count) : NaN;
    if (!(count >= 1 && count <= MAX_PAGE_SLIPS)) throw new AppError(400, 'validation_failed', translate(lang, 'campaigns.slips.countError', { max: MAX_PAGE_SLIPS }));
    // The slips speak the students' language, chosen on the form — not the language of the admin's page.
    if (!isLang(form.lang)) throw new AppError(400, 'validation_failed', translate(lang, 'campaigns.slips.langError'), [{ path: 'lang', message: 'choose kk, ru or en' }]);
    const slipLang = form.lang;
    const cohort = form.cohort || undefined;
    const { campaign, tokens } = await issueSlips(actor, id, count, cohort ? { cohort } : {});
    const group = cohort ? await slipGroupLabel(cohort, slipLang) : undefined;
    const slips = await Promise.all(
      tokens.map(async (token) => {
        const typed = groupToken(token);
        // The QR code opens the survey in the slips' language; the printed address stays short to type.
        return { typed, qr: await qrSvgDataUrl(`${tokenUrl(config, token)}?lang=${slipLang}`) };
      }),
    );
    res.set('Cache-Control', 'no-store');
    res.render('campaigns/slips', {
      titleKey: 'campaigns.slips.title',
      scripts: SCRIPTS,
      bodyClass: 'slips-page',
      campaign: { id: campaign._id, title: pick(campaign.title, lang) },
      slip: {
        lang: slipLang,
        title: pick(campaign.title, slipLang),
        group,
        label: translate(slipLang, 'campaigns.slips.code'),
        note: translate(slipLang, 'campaigns.slips.note', { window: windowLabel(campaign.opensAt, campaign.closesAt, slipLang) }),
        // The address up to the code: a line may break after it, never inside the code (see slips.hbs).
        base: tokenUrl(config, ''),
      },
      count: tokens.length,
      slips,
    });
  });

  return router;
}

/**
 * What the campaign page offers, and which one action is primary — the next sensible step: open a draft;
 * once there are responses, read the results; before that, share the link (or print slips, or invite).
 */
function campaignActions(actor: Actor, c: CampaignDoc, state: ReturnType<typeof effectiveStatus>, responses: number) {
  const admin = actor.role === 'admin';
  const waiting = state === 'open' || state === 'scheduled';
  const next =
    admin && c.status === 'draft'
      ? 'open'
      : responses > 0
        ? 'results'
        : admin && waiting && c.openLinkEnabled
          ? 'share'
          : admin && waiting && c.audience.kind === 'contacts'
            ? 'invite'
            : admin && waiting
              ? 'slips'
              : undefined;
  return {
    next,
    showResultsLink: next !== 'results' && c.status !== 'draft',
    canEdit: admin && !c.publishedAt,
    canOpen: admin && c.status === 'draft',
    canClose: admin && c.status !== 'closed',
    canIssue: admin && c.status !== 'closed',
  };
}

/** Admins see who owns a campaign; others see nothing (user records are the admins' business). */
async function ownerLabel(actor: Actor, ownerId: string): Promise<string | undefined> {
  if (actor.role !== 'admin') return undefined;
  if (ownerId === 'system') return 'Pikir';
  return getUser(actor, ownerId)
    .then((u) => `${u.name} <${u.email}>`)
    .catch(() => ownerId);
}
