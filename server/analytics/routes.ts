// Result pages: the campaign dashboard (works without JavaScript; charts, tabs and live updates with it)
// and the full-screen meeting mode for council meetings. Each page carries the results its charts draw,
// so its tables and charts always show one state (a live refresh fetches the page again).
import { Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { actorOf, requireUser } from '../accounts/session.js';
import { listCampaigns, getCampaign } from '../campaigns/service.js';
import { effectiveStatus } from '../campaigns/model.js';
import { windowLabel } from '../campaigns/view-model.js';
import { targetsOf } from '../campaigns/target.js';
import { orgView } from '../campaigns/org-view.js';
import { LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { parseOrThrow } from '../lib/validate.js';
import { campaignParams, unitKeySchema } from '../lib/schemas.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { formatMean, formatPercent } from './stats/index.js';
import type { Analytics } from './service.js';
import { clientState, dashboardModel, hiddenFigures, hiddenTexts, trendsModel } from './view-model.js';
import type { ScaleView } from './scales-comments.js';

const params = campaignParams;
// A malformed group in a page address falls back to the viewer's default group.
const query = z.object({ unit: unitKeySchema.optional().catch(undefined) });

/** Meetings the viewer may put the slide on screen on the agenda of (from the councils feature). */
export type AgendaTargets = (actor: Actor, lang: Lang) => Promise<{ id: string; label: string }[]>;

export function resultsPagesRouter(analytics: Analytics, agendaTargets: AgendaTargets = () => Promise.resolve([])): Router {
  const router = Router();

  router.get('/results', requireUser, async (_req, res) => {
    const lang = res.locals.lang as Lang;
    const campaigns = await listCampaigns(actorOf(res));
    const [counts, view] = await Promise.all([analytics.responseCounts(campaigns.map((c) => c._id)), orgView()]);
    // A student survey's target is its cohorts' enrolment, not a number stored with the campaign.
    const targets = await Promise.all(campaigns.map(async (c) => [c._id, (await targetsOf(c, view)).total] as const));
    const targetOf = new Map(targets);
    // Newest window first: the list is where a council finds this year's survey.
    const sorted = [...campaigns].sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime());
    res.render('results/index', {
      titleKey: 'results.index.title',
      campaigns: sorted.map((c) => {
        const n = counts.get(c._id) ?? 0;
        const target = targetOf.get(c._id) ?? 0;
        return {
          id: c._id,
          title: c.title[lang],
          year: c.academicYear,
          window: windowLabel(c.opensAt, c.closesAt, lang),
          status: effectiveStatus(c),
          n,
          target,
          rate: target > 0 ? formatPercent(n / target, lang) : '—',
          responses: translate(lang, 'results.index.responsesOf', { count: n, target }),
        };
      }),
    });
  });

  const load = async (req: import('express').Request, res: import('express').Response) => {
    const { id } = parseOrThrow(params, req.params, 'address');
    const { unit } = parseOrThrow(query, req.query, 'query');
    const actor = actorOf(res);
    const campaign = await getCampaign(actor, id);
    const [results, definition] = await Promise.all([analytics.resultsFor(actor, campaign, { unit }), getPublishedDefinition(campaign.instrument.id, campaign.instrument.version)]);
    return { results, lang: res.locals.lang as Lang, actor, pageTitles: definition.pages.map((p) => p.title) };
  };

  router.get('/results/:id', requireUser, async (req, res) => {
    const { results, lang, actor, pageTitles } = await load(req, res);
    // The results computed above are handed on: one request computes them once.
    const [extras, trends] = await Promise.all([analytics.scalesAndComments(actor, results.campaign.id, { unit: results.selected }, results), analytics.trends(actor, results.campaign.id, { unit: results.selected }, results)]);
    res.render('results/dashboard', {
      title: results.campaign.title[lang],
      bodyClass: 'dashboard-page',
      scripts: ['/static/js/dashboard.js'],
      vendorScripts: ['/vendor/chart.umd.min.js', '/socket.io/socket.io.min.js'],
      campaignId: results.campaign.id,
      ...dashboardModel(results, lang, pageTitles),
      ...clientState(results),
      scales: scaleRows(extras.scales, results.k, lang),
      commentsSuppressed: extras.suppressed,
      commentsOpen: extras.commentsReason === 'open',
      comments: extras.comments.slice(0, 200).map((c) => ({ ...c, item: extras.textItems.find((t) => t.id === c.item)?.text[lang] ?? c.item, repeated: c.count > 1 ? translate(lang, 'results.commentRepeated', { count: c.count }) : undefined })),
      frequencies: LANGUAGES.map((l) => ({ lang: l, heading: translate(lang, 'results.wordsIn', { language: translate(lang, `results.lang.${l}`), count: extras.languages[l] }), words: extras.frequencies[l].slice(0, 15) })).filter((f) => f.words.length),
      ...trendsModel(trends, lang),
      trendsBasis: translate(lang, `results.trendsBasis.${trends.basis === 'whole' ? 'whole' : 'sameAudience'}`, { unit: dashboardUnitName(results, lang) }),
      trendsLeft: trends.left.length ? translate(lang, 'results.trendsBasis.left', { count: trends.left.length, list: trends.left.map((c) => `«${c.title[lang]}» (${c.academicYear})`).join(', ') }) : undefined,
      i18n: JSON.stringify(dashboardStrings(lang)),
    });
  });

  router.get('/results/:id/present', requireUser, async (req, res) => {
    const { results, lang, actor } = await load(req, res);
    const [meetings, extras] = await Promise.all([agendaTargets(actor, lang), analytics.scalesAndComments(actor, results.campaign.id, { unit: results.selected }, results)]);
    const added = typeof req.query.added === 'string' ? meetings.find((m) => m.id === req.query.added) : undefined;
    res.render('results/present', {
      layout: 'present',
      title: results.campaign.title[lang],
      campaignId: results.campaign.id,
      meetings: meetings.map((m, i) => ({ ...m, selected: added ? m.id === added.id : i === 0 })),
      added,
      canPlan: actor.role === 'admin' || actor.role === 'council',
      ...dashboardModel(results, lang),
      ...clientState(results),
      scales: scaleRows(extras.scales, results.k, lang),
      hiddenFigures: hiddenFigures(results, extras.scales, lang),
      i18n: JSON.stringify(dashboardStrings(lang)),
    });
  });
  return router;
}

/** The selected group's name as the page shows it. */
function dashboardUnitName(results: Awaited<ReturnType<Analytics['resultsFor']>>, lang: Lang): string {
  return results.units.find((u) => u.key === results.selected)?.name[lang] ?? results.selected;
}

/** Scale indices of the selected group as the pages show them (the summary's headline and the scales table). */
function scaleRows(scales: ScaleView[], k: number, lang: Lang) {
  return scales.map((s) => ({
    id: s.id,
    title: s.title[lang],
    items: s.items,
    index: s.index?.mean != null ? formatMean(s.index.mean, lang) : null,
    indexCi: s.index?.low != null && s.index?.high != null ? `${formatMean(s.index.low, lang)}–${formatMean(s.index.high, lang)}` : '',
    n: s.index?.n ?? null,
    ...hiddenTexts(s.reason, k, lang),
    alpha: s.alpha?.alpha != null ? formatMean(s.alpha.alpha, lang) : '—',
    alphaN: s.alpha?.n ?? null,
    lowAlpha: s.lowAlpha,
  }));
}

function dashboardStrings(lang: Lang) {
  const keys = ['results.live.responses', 'results.live.updated', 'results.live.final', 'results.live.reconnecting', 'results.live.frozen', 'results.agree', 'results.suppressed', 'results.chart.daily', 'results.chart.target', 'results.chart.cumulative', 'results.chart.agreeInterval', 'results.chart.share', 'respond.agree.1', 'respond.agree.2', 'respond.agree.3', 'respond.agree.4', 'respond.agree.5'];
  // Sentences the pages fill in as figures move: {rate} and {target} are left for the browser to fill.
  // A percentage as this server writes it, for the browser to copy (its own Intl may lack Kazakh: "36.1%").
  return {
    ...Object.fromEntries(keys.map((key) => [key, translate(lang, key)])),
    'results.rateOf': translate(lang, 'results.rateOf', { rate: '{rate}', target: '{target}' }),
    'results.meeting.nOfTarget': translate(lang, 'results.meeting.nOfTarget', { n: '{n}', target: '{target}' }),
    'format.percent': formatPercent(0.123, lang),
  };
}
