// Respondent pages: server-rendered, working without JavaScript (forms post and redirect), in kk/ru/en.
// Drafts keep answers between pages; the last page hands the response to the submission service.
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.js';
import { clientOf } from '../lib/client-key.js';
import { formatDay, formatDayRange } from '../lib/dates.js';
import { isLang, type Lang } from '../lib/i18n/index.js';
import { resolveSegment } from '../campaigns/audience.js';
import { segmentSchema } from '../responses/segment.js';
import { type StoredAnswers } from '../responses/answers.js';
import { responseExists } from '../responses/store.js';
import { readAnswers } from './answers.js';
import { createDraft, deleteDraft, loadDraft, saveDraft, type DraftDoc } from './drafts.js';
import { entryFor, type Entry } from './entry.js';
import { needsAboutStep, stepFromNumber, stepNumber, stepsFor, type Step } from './flow.js';
import type { SubmissionService } from './submission.js';
import type { LocalizedText } from '../instruments/schema.js';
import { publicEntry, stepPageModel } from './view-model.js';
import type { CredentialService } from '../credentials/service.js';
import { credentialSubmissionId, type Credential } from '../credentials/spend.js';

const draftCookie = (entry: Entry) => `pikir_draft_${entry.campaign._id}`;

/** Why a respondent cannot answer now, in words: used token, closed, a draft nobody has opened, or not yet. */
function statusPage(res: Response, entry: Entry): boolean {
  // With blind credentials a token is used when its credential is issued: its page stays, for that browser.
  const kind =
    entry.tokenState === 'used' && !entry.blind ? 'already' : entry.state === 'closed' ? 'closed' : entry.state === 'draft' ? 'draft' : entry.state === 'scheduled' ? 'not_open' : undefined;
  if (!kind) return false;
  const lang = res.locals.lang as Lang;
  const { opensAt, closesAt } = entry.campaign;
  res.status(kind === 'already' ? 409 : 403).render('respond/status', {
    respondent: true,
    kind,
    entry: publicEntry(entry),
    titleKey: `respond.status.${kind}.title`,
    // The university's first day, as the campaign form set it (not the UTC day before it).
    date: formatDay(opensAt, lang),
    window: formatDayRange(opensAt, closesAt, lang),
  });
  return true;
}


function formLang(req: Request, res: Response): Lang {
  const nav = (req.body as Record<string, unknown> | undefined)?.nav;
  const chosen = typeof nav === 'string' && nav.startsWith('lang-') ? nav.slice(5) : undefined;
  return isLang(chosen) ? chosen : (res.locals.lang as Lang);
}

/** "You said, we did" for a campaign's first page: what was done after the previous wave (councils feature). */
export type YouSaidWeDid = (campaign: Entry['campaign']) => Promise<{ text: LocalizedText; status: string }[]>;

/** The blind-credential part of a page: what the browser's script needs (credential.js), never the token. */
async function credentialData(credentials: CredentialService, entry: Entry) {
  const key = await credentials.key(entry.campaign);
  if (!key) return undefined;
  return {
    campaign: entry.campaign._id,
    spki: key.spki,
    fingerprint: key.fingerprint,
    fingerprintShort: key.fingerprint.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 '),
    issueUrl: `/api/respond/${entry.campaign.linkId}/credential`,
    surveyUrl: `/s/${entry.campaign.linkId}`,
    verifyUrl: `/credentials/${entry.campaign._id}`,
  };
}

/** Credential fields a step form carries (credential.js adds them; absent without JavaScript). */
function postedCredential(body: Record<string, unknown>): Credential | undefined {
  const message = body.credential_message;
  const signature = body.credential_signature;
  return typeof message === 'string' && typeof signature === 'string' && message && signature ? { message: message.slice(0, 200), signature: signature.slice(0, 1000) } : undefined;
}

export function respondentPagesRouter(config: Config, submissions: SubmissionService, credentials: CredentialService, youSaidWeDid: YouSaidWeDid = () => Promise.resolve([])): Router {
  const router = Router();
  /** How the respondent came in, from the address parts (data, not the request); a token under the guessing limits. */
  const entryOf = (req: Request, res: Response) => {
    const ref = req.params as { link?: string; token?: string };
    return ref.token === undefined ? entryFor(ref) : submissions.guard.tokenLookup(clientOf(req, res), undefined, () => entryFor(ref));
  };
  router.use(['/s', '/t'], (_req, res, next) => {
    res.locals.respondent = true;
    next();
  });
  const cookieOptions = (entry: Entry) => ({ httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies, path: entry.base, expires: entry.campaign.closesAt });

  // A personal link of a survey with blind credentials only gets the credential: the answers are given
  // through the survey's link, where the token never travels (credential page, then /s/<link>).
  const tokenOnlyIssues = (entry: Entry, res: Response) => {
    if (!(entry.blind && entry.token !== undefined)) return false;
    res.redirect(303, entry.base);
    return true;
  };

  for (const prefix of ['/s/:link', '/t/:token']) {
    router.get(prefix, async (req, res) => {
      const entry = await entryOf(req, res);
      if (statusPage(res, entry)) return;
      const lang = res.locals.lang as Lang;
      if (entry.blind && entry.token !== undefined) {
        const blind = await credentialData(credentials, entry);
        if (!blind) return statusPage(res, { ...entry, state: 'closed' });
        return res.render('respond/credential', { respondent: true, entry: publicEntry(entry), title: entry.definition.title[lang], blind: { ...blind, token: entry.token }, scripts: ['/static/js/credential.js'] });
      }
      const [draft, done, blind] = await Promise.all([
        loadDraft(req.cookies?.[draftCookie(entry)], entry.campaign._id),
        youSaidWeDid(entry.campaign),
        entry.blind ? credentialData(credentials, entry) : Promise.resolve(undefined),
      ]);
      if (entry.blind && !blind) return statusPage(res, { ...entry, state: 'closed' });
      res.render('respond/intro', {
        respondent: true,
        entry: publicEntry(entry),
        resume: Boolean(draft),
        title: entry.definition.title[lang],
        weDid: done.map((d) => ({ text: d.text, done: d.status === 'done' })),
        blind,
        ...(blind ? { scripts: ['/static/js/credential.js'] } : {}),
      });
    });

    router.post(`${prefix}/start`, async (req, res) => {
      const entry = await entryOf(req, res);
      if (statusPage(res, entry) || tokenOnlyIssues(entry, res)) return;
      let draft = await loadDraft(req.cookies?.[draftCookie(entry)], entry.campaign._id);
      if (!draft) {
        const created = await createDraft(entry.campaign._id, entry.campaign.closesAt, entry.choice.fixed);
        res.cookie(draftCookie(entry), created.key, cookieOptions(entry));
        draft = created.draft;
      }
      const first = stepsFor(entry.definition, needsAboutStep(entry.choice), draft.answers)[0]!;
      res.redirect(303, `${entry.base}/step/${stepNumber(first)}`);
    });

    router.get(`${prefix}/step/:n`, async (req, res) => {
      const entry = await entryOf(req, res);
      if (statusPage(res, entry) || tokenOnlyIssues(entry, res)) return;
      const draft = await loadDraft(req.cookies?.[draftCookie(entry)], entry.campaign._id);
      if (!draft) return res.redirect(303, entry.base);
      const step = parseStep(req.params.n, entry, draft);
      if (!step) return res.redirect(303, `${entry.base}/step/${stepNumber(stepsFor(entry.definition, needsAboutStep(entry.choice), draft.answers)[0]!)}`);
      res.render('respond/step', withCredential(entry, stepPageModel(entry, draft, step, res.locals.lang as Lang, [])));
    });

    router.post(`${prefix}/step/:n`, async (req, res) => {
      const entry = await entryOf(req, res);
      if (statusPage(res, entry) || tokenOnlyIssues(entry, res)) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const credential = entry.blind ? postedCredential(body) : undefined;
      const draft = await loadDraft(req.cookies?.[draftCookie(entry)], entry.campaign._id);
      if (!draft) {
        // A second click on "Submit" after the first one stored the response and removed the draft.
        const sid = typeof body.sid === 'string' ? body.sid : '';
        const stored = credential
          ? await credentialSubmissionId(entry.campaign, credential).then((id) => responseExists(entry.campaign._id, id), () => false)
          : /^[0-9a-z]{26}$/.test(sid) && (await responseExists(entry.campaign._id, sid));
        if (stored) return res.redirect(303, `${entry.base}/thanks`);
        return res.redirect(303, entry.base);
      }
      const step = parseStep(req.params.n, entry, draft);
      if (!step) return res.redirect(303, entry.base);
      const lang = formLang(req, res);
      const nav = typeof body.nav === 'string' ? body.nav : 'next';
      const withAbout = needsAboutStep(entry.choice);

      // Read this step's fields into the draft; moving back or switching language keeps valid values only.
      const strict = nav === 'next' || nav === 'submit';
      const errors = step.kind === 'about' ? readAbout(entry, draft, body) : readPage(entry, draft, step.page, body);
      await saveDraft(draft);

      if (nav.startsWith('lang-')) return res.redirect(303, `${entry.base}/step/${stepNumber(step)}?lang=${lang}`);
      const steps = stepsFor(entry.definition, withAbout, draft.answers);
      const index = steps.findIndex((s) => stepNumber(s) === stepNumber(step));
      if (nav === 'back') return res.redirect(303, `${entry.base}/step/${stepNumber(steps[Math.max(0, index - 1)]!)}`);
      if (strict && errors.length) {
        res.status(400).render('respond/step', withCredential(entry, stepPageModel(entry, draft, step, lang, errors)));
        return;
      }
      const next = steps[index + 1];
      // A page shown only after an answer on this one (a skip rule on a later page) follows even when this
      // page was the last one when it was shown, so its button said "submit".
      if (next) return res.redirect(303, `${entry.base}/step/${stepNumber(next)}`);

      // Last step: the one submission use case checks everything once more and stores.
      const outcome = await submissions.accept(entry, { segment: draft.segment, answers: draft.answers, submissionId: draft.submissionId, client: clientOf(req, res), credential });
      if (outcome.status === 'invalid') {
        const firstBad = steps.find((s) => s.kind === 'page' && entry.definition.pages[s.page]!.items.some((i) => outcome.errors.some((e) => e.item === i.id || (i.type === 'matrix' && i.rows.some((r) => r.id === e.item)))));
        return res.status(400).render('respond/step', withCredential(entry, stepPageModel(entry, draft, firstBad ?? step, lang, outcome.errors)));
      }
      await deleteDraft(draft);
      res.clearCookie(draftCookie(entry), { path: entry.base });
      res.redirect(303, `${entry.base}/thanks`);
    });

    router.get(`${prefix}/thanks`, async (req, res) => {
      const entry = await entryOf(req, res);
      if (tokenOnlyIssues(entry, res)) return;
      // With blind credentials the browser forgets its spent credential here (credential.js).
      res.render('respond/thanks', { respondent: true, entry: publicEntry(entry), titleKey: 'respond.thanks.title', ...(entry.blind ? { spent: { campaign: entry.campaign._id }, scripts: ['/static/js/credential.js'] } : {}) });
    });
  }
  return router;
}

/** Step pages of a survey with blind credentials carry the campaign for credential.js (it adds the credential to the form). */
function withCredential<T extends { scripts: string[] }>(entry: Entry, model: T): T & { credentialCampaign?: string } {
  return entry.blind ? { ...model, credentialCampaign: entry.campaign._id, scripts: [...model.scripts, '/static/js/credential.js'] } : model;
}

function parseStep(raw: string | undefined, entry: Entry, draft: DraftDoc): Step | null {
  if (!raw || !/^\d{1,2}$/.test(raw)) return null;
  const n = Number(raw);
  const steps = stepsFor(entry.definition, needsAboutStep(entry.choice), draft.answers);
  return steps.some((s) => stepNumber(s) === n) ? stepFromNumber(n) : null;
}

function readPage(entry: Entry, draft: DraftDoc, page: number, body: Record<string, unknown>) {
  const items = entry.definition.pages[page]!.items;
  const { answers, errors } = readAnswers(items, body, (id) => `q_${id}`, draft.answers as never);
  const pageIds = new Set(items.flatMap((i) => (i.type === 'matrix' ? [i.id, ...i.rows.map((r) => r.id)] : [i.id, `${i.id}:other`])));
  const kept: StoredAnswers = Object.fromEntries(Object.entries(draft.answers).filter(([k]) => !pageIds.has(k)));
  draft.answers = { ...kept, ...answers };
  return errors;
}

function readAbout(entry: Entry, draft: DraftDoc, body: Record<string, unknown>) {
  const parsed = segmentSchema.safeParse({
    programme: typeof body.programme === 'string' && body.programme ? body.programme : undefined,
    cohort: typeof body.cohort === 'string' && body.cohort ? body.cohort : undefined,
    discipline: typeof body.discipline === 'string' && body.discipline ? body.discipline : undefined,
  });
  const segment = parsed.success ? resolveSegment(parsed.data, entry.choice) : null;
  if (segment) {
    draft.segment = segment;
    return [];
  }
  // A programme and a year of another programme (a page without JavaScript lists every year): keep the
  // programme, so the page comes back with that programme's years only, and say why.
  const programme = parsed.success ? entry.choice.programmes.find((p) => p.id === (parsed.data.programme ?? entry.choice.fixed.programme)) : undefined;
  const cohort = parsed.success && parsed.data.cohort ? entry.choice.cohorts.find((c) => c.id === parsed.data.cohort) : undefined;
  if (programme && cohort && cohort.programme !== programme.id) {
    draft.segment = { ...entry.choice.fixed, faculty: programme.faculty, programme: programme.id };
    return [{ item: 'about', code: 'cohort_mismatch' as const }];
  }
  if (programme && !entry.choice.fixed.programme) draft.segment = { ...entry.choice.fixed, faculty: programme.faculty, programme: programme.id };
  return [{ item: 'about', code: 'required' as const }];
}

