// The council report's page (views/reports/report.hbs) from what analytics handed over (collect.ts): the
// item cards are the dashboard's own (dashboardModel), so the report shows the same rounded figures, the
// same hidden-figure texts and — drawn by the same Chart.js code in the page — the same charts.
import type { Lang } from '../lib/i18n/index.js';
import { formatDateTime } from '../lib/dates.js';
import { LANGUAGES, translate } from '../lib/i18n/index.js';
import type { Definition } from '../instruments/schema.js';
import { formatMean, formatPercent } from '../analytics/stats/index.js';
import { clientState, dashboardModel, hiddenTexts, trendsModel } from '../analytics/view-model.js';
import type { Collected } from './collect.js';
import type { CouncilActionView, CouncilDecisionView } from './council-records.js';

/** The council's decisions and actions on these results (undefined: this installation keeps no council records). */
export interface CouncilChapter {
  decisions: CouncilDecisionView[];
  actions: CouncilActionView[];
}

/** The strings the dashboard's chart code reads (results-charts.js), in the report's language. */
const CHART_KEYS = ['results.agree', 'results.chart.agreeInterval', 'results.chart.share', 'respond.agree.1', 'respond.agree.2', 'respond.agree.3', 'respond.agree.4', 'respond.agree.5'];

const INDENT: Record<string, number> = { university: 0, faculty: 1, programme: 2, cohort: 3, discipline: 1 };

export function reportModel(collected: Collected, definition: Definition, lang: Lang, generatedAt: Date, council?: CouncilChapter) {
  const { results, extras, trends } = collected;
  const k = results.k;
  const dashboard = dashboardModel(results, lang);
  const selected = results.units.find((u) => u.key === results.selected)!;
  const pageIndices = [...new Set(results.items.filter((i) => i.type !== 'text').map((i) => i.page))].sort((a, b) => a - b);
  const sections = dashboard.pages.map((page, i) => {
    const index = pageIndices[i]!;
    return { id: `section-${index + 1}`, title: definition.pages[index]?.title[lang] ?? translate(lang, 'reports.section', { n: index + 1 }), items: page.items };
  });
  const hidden = collected.units.filter((u) => u.suppressed);
  const chapters = [
    { id: 'rates', title: translate(lang, 'reports.chapter.rates') },
    ...sections.map((s) => ({ id: s.id, title: s.title })),
    { id: 'scales', title: translate(lang, 'results.scales') },
    { id: 'trends', title: translate(lang, 'results.trends') },
    { id: 'comments', title: translate(lang, 'results.comments') },
    ...(council ? [{ id: 'council', title: translate(lang, 'reports.chapter.council') }] : []),
    { id: 'method', title: translate(lang, 'reports.chapter.method') },
  ];
  return {
    lang,
    title: `${results.campaign.title[lang]} — ${selected.name[lang]}`,
    campaignTitle: results.campaign.title[lang],
    instrumentTitle: `${results.campaign.instrument.title[lang]} · v${results.campaign.instrument.version}`,
    academicYear: results.campaign.academicYear,
    unitName: selected.name[lang],
    status: results.campaign.status,
    generated: formatDateTime(generatedAt, lang),
    k,
    statusNote: results.final ? translate(lang, 'reports.statusFinal') : dashboard.countsOnly ? translate(lang, 'results.countsOnly') : translate(lang, 'reports.statusLive', { k }),
    included: dashboard.included,
    responses: dashboard.responses,
    selected: dashboard.selected,
    rates: collected.units.map((u) => ({
      name: u.name[lang],
      indent: INDENT[u.level] ?? 0,
      selected: u.key === results.selected,
      n: u.n,
      target: u.target,
      rate: u.rate != null ? formatPercent(u.rate, lang) : null,
      suppressed: u.suppressed,
      late: u.late ? translate(lang, 'results.late', { count: u.late }) : undefined,
      ...hiddenTexts(u.reason, k, lang),
    })),
    chapters,
    sections,
    scales: extras.scales.map((s) => ({
      title: s.title[lang],
      items: s.items,
      index: s.index?.mean != null ? formatMean(s.index.mean, lang) : null,
      indexCi: s.index?.low != null && s.index?.high != null ? `${formatMean(s.index.low, lang)}–${formatMean(s.index.high, lang)}` : '',
      n: s.index?.n ?? null,
      alpha: s.alpha?.alpha != null ? formatMean(s.alpha.alpha, lang) : '—',
      alphaN: s.alpha?.n ?? null,
      lowAlpha: s.lowAlpha,
      ...hiddenTexts(s.reason, k, lang),
    })),
    ...trendsModel(trends, lang),
    commentsOpen: extras.commentsReason === 'open',
    commentsSuppressed: extras.suppressed,
    comments: extras.comments.map((c) => ({ ...c, item: extras.textItems.find((t) => t.id === c.item)?.text[lang] ?? c.item, repeated: c.count > 1 ? translate(lang, 'results.commentRepeated', { count: c.count }) : undefined })),
    frequencies: LANGUAGES.map((l) => ({ lang: l, heading: translate(lang, 'results.wordsIn', { language: translate(lang, `results.lang.${l}`), count: extras.languages[l] }), words: extras.frequencies[l].slice(0, 15) })).filter((f) => f.words.length),
    trendsBasis: translate(lang, `results.trendsBasis.${trends.basis === 'whole' ? 'whole' : 'sameAudience'}`, { unit: selected.name[lang] }),
    trendsLeft: trends.left.length ? translate(lang, 'results.trendsBasis.left', { count: trends.left.length, list: trends.left.map((c) => `«${c.title[lang]}» (${c.academicYear})`).join(', ') }) : undefined,
    hidden: hidden.map((u) => ({ name: u.name[lang], ...hiddenTexts(u.reason, k, lang) })),
    council,
    resultsJson: clientState(results).resultsJson,
    i18n: JSON.stringify(Object.fromEntries(CHART_KEYS.map((key) => [key, translate(lang, key)]))),
  };
}

export type ReportModel = ReturnType<typeof reportModel>;
