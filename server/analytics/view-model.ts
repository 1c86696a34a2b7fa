// Turns gated results into what the dashboard and meeting templates show: localised texts, rounded
// figures with their n and intervals, flags. Numbers are rounded here, once, for display.
import type { Lang } from '../lib/i18n/index.js';
import type { LocalizedText } from '../instruments/schema.js';
import { translate } from '../lib/i18n/index.js';
import { formatMean, formatP, formatPercent, formatPoints } from './stats/index.js';
import type { CampaignResults, GatedFigures, ItemView } from './results.js';
import type { HiddenReason } from './suppression.js';
import type { Trends } from './trends.js';
import { treeOrder } from './units.js';

/** Why a figure is not shown, in the page language: the full sentence and the short label for lists. */
export function hiddenTexts(reason: HiddenReason | undefined, k: number, lang: Lang): { hiddenText: string; hiddenShort: string } {
  const r = reason ?? 'small';
  return { hiddenText: translate(lang, `results.reason.${r}`, { k, count: k }), hiddenShort: translate(lang, `results.reasonShort.${r}`, { k }) };
}

const LIKERT = [1, 2, 3, 4, 5] as const;
/** Significant differences listed in a dashboard's summary (the comparisons section lists every test). */
const SUMMARY_FLAGS = 8;

/** A p-value as read aloud: "p = 0.902", or "p < 0.001" below what is shown. */
export function pText(p: number | null, lang: Lang): string {
  const formatted = formatP(p, lang);
  return formatted.startsWith('<') ? `p ${formatted}` : `p = ${formatted}`;
}

export function figureRow(f: GatedFigures | undefined, lang: Lang, k: number) {
  if (!f || f.kind === 'suppressed') return { suppressed: true, ...hiddenTexts(f?.reason, k, lang) };
  switch (f.kind) {
    case 'scale':
      return {
        n: f.n,
        na: f.na,
        agree: f.agree ? formatPercent(f.agree.p, lang) : '—',
        agreeCi: f.agree ? `${formatPercent(f.agree.low, lang)}–${formatPercent(f.agree.high, lang)}` : '',
        disagree: f.disagree ? formatPercent(f.disagree.p, lang) : '—',
        mean: f.mean?.mean != null ? formatMean(f.mean.mean, lang) : '—',
        meanCi: f.mean?.low != null && f.mean?.high != null ? `${formatMean(f.mean.low, lang)}–${formatMean(f.mean.high, lang)}` : '',
        distribution: LIKERT.map((l) => formatPercent(f.distribution[String(l)] ?? 0, lang)),
      };
    case 'rating':
      return {
        n: f.n,
        na: f.na,
        mean: f.mean?.mean != null ? formatMean(f.mean.mean, lang) : '—',
        meanCi: f.mean?.low != null && f.mean?.high != null ? `${formatMean(f.mean.low, lang)}–${formatMean(f.mean.high, lang)}` : '',
        distribution: Object.keys(f.counts).map((v) => formatPercent(f.distribution[v] ?? 0, lang)),
      };
    case 'nps':
      return { n: f.n, nps: f.nps != null ? formatPoints(f.nps, lang) : '—', npsCi: f.low != null && f.high != null ? `${formatPoints(f.low, lang)}…${formatPoints(f.high, lang)}` : '' };
    case 'choice':
      return { n: f.n, options: f.options.map((o) => ({ value: o.value, count: o.count, share: formatPercent(o.share, lang), ci: `${formatPercent(o.low, lang)}–${formatPercent(o.high, lang)}` })) };
    case 'number':
      return { n: f.n, mean: f.mean?.mean != null ? formatMean(f.mean.mean, lang) : '—', meanCi: f.mean?.low != null && f.mean?.high != null ? `${formatMean(f.mean.low, lang)}–${formatMean(f.mean.high, lang)}` : '' };
    default:
      return { n: f.n };
  }
}

/** The column heads of a rating's table: its points, with their labels where the item (or matrix) has them. */
function ratingLabels(item: ItemView, lang: Lang): string[] {
  const { min, max } = item.range!;
  return Array.from({ length: max - min + 1 }, (_, i) => (item.labels?.[i] ? `${min + i} ${item.labels[i]![lang]}` : String(min + i)));
}

function itemCard(item: ItemView, results: CampaignResults, lang: Lang) {
  const unitName = (key: string) => results.units.find((u) => u.key === key)?.name[lang] ?? key;
  const optionLabel = (value: string) => (value === 'other' ? translate(lang, 'respond.other') : (item.options?.find((o) => o.value === value)?.label[lang] ?? value));
  const rows = results.shown.map((key) => {
    const row = figureRow(item.figures[key], lang, results.k) as Record<string, unknown>;
    if (Array.isArray(row.options)) row.options = (row.options as { value: string }[]).map((o) => ({ ...o, label: optionLabel(o.value) }));
    return { key, name: unitName(key), selected: key === results.selected, ...row };
  });
  const kind = item.rating ? 'rating' : item.type === 'likert' || item.type === 'matrix-row' ? 'scale' : item.type === 'single' || item.type === 'multiple' ? 'choice' : item.type;
  return {
    id: item.id,
    kind,
    text: item.text[lang],
    group: item.group?.text[lang],
    sensitive: item.sensitive,
    esg: item.esg?.join(', '),
    labels: kind === 'scale' ? (item.labels ? item.labels.map((l) => l[lang]) : LIKERT.map((l) => translate(lang, `respond.agree.${l}`))) : kind === 'rating' ? ratingLabels(item, lang) : undefined,
    /** A rating's table: its columns after the group's name (n, one per point, the mean). */
    span: kind === 'rating' ? item.range!.max - item.range!.min + 3 : undefined,
    /** A rating's end labels, shown under its table ("1 — Poor … 10 — Excellent"). */
    ends: kind === 'rating' && item.type === 'rating' && (item.lowLabel || item.highLabel) ? `${item.range!.min} — ${item.lowLabel?.[lang] ?? ''} … ${item.range!.max} — ${item.highLabel?.[lang] ?? ''}` : undefined,
    optionLabels: item.options?.map((o) => o.label[lang]),
    rows,
    comparisons: item.comparisons.map((c) => ({
      ...c,
      label: translate(lang, `results.tests.${c.test}`),
      against: c.against === 'children' ? translate(lang, 'results.tests.between') : translate(lang, 'results.tests.vsRest', { unit: unitName(c.against.replace('rest of ', '')) }),
      pValue: c.p,
      p: c.p == null ? '—' : formatP(c.p, lang),
      pText: pText(c.p, lang),
      effect: c.effect == null ? '—' : formatMean(c.effect, lang),
    })),
  };
}

/** Every test of the selected group, one row each (significant first, then by p), for the comparisons section. */
function testRows(cards: ReturnType<typeof itemCard>[]) {
  return cards
    .flatMap((card) => card.comparisons.map((c) => ({ itemId: card.id, itemText: card.text, label: c.label, against: c.against, p: c.p, pText: c.pText, effectName: c.effectName, effect: c.effect, significant: c.significant, pValue: c.pValue })))
    .sort((a, b) => Number(b.significant) - Number(a.significant) || (a.pValue ?? 2) - (b.pValue ?? 2));
}

/** The groups the viewer's scope holds that are hidden, gathered by the reason (meeting mode's overview). */
function hiddenGroups(results: CampaignResults, lang: Lang) {
  const byReason = new Map<HiddenReason, string[]>();
  for (const u of treeOrder(results.units)) {
    if (!u.suppressed && !u.withheld) continue;
    const reason: HiddenReason = u.withheld ? 'low-rate' : (u.reason ?? 'small');
    byReason.set(reason, [...(byReason.get(reason) ?? []), u.name[lang]]);
  }
  return [...byReason.entries()].map(([reason, names]) => ({ reason: hiddenTexts(reason, results.k, lang).hiddenText, names: names.slice(0, 6).join(', '), more: names.length > 6 ? names.length - 6 : 0, count: names.length }));
}

/** The selected group's figures that are hidden, counted by the reason: questions and scales (meeting mode's overview). */
export function hiddenFigures(results: CampaignResults, scales: readonly { reason?: HiddenReason }[], lang: Lang) {
  const counts = new Map<HiddenReason, { items: number; scales: number }>();
  const count = (reason: HiddenReason, what: 'items' | 'scales') => {
    const c = counts.get(reason) ?? { items: 0, scales: 0 };
    c[what]++;
    counts.set(reason, c);
  };
  for (const item of results.items) {
    const f = item.figures[results.selected];
    if (item.type !== 'text' && f?.kind === 'suppressed') count(f.reason ?? 'small', 'items');
  }
  for (const scale of scales) if (scale.reason) count(scale.reason, 'scales');
  return [...counts.entries()].map(([reason, c]) => translate(lang, 'results.meeting.hiddenFigures', { reason: hiddenTexts(reason, results.k, lang).hiddenText, items: c.items, scales: c.scales }));
}

/** pageTitles: the instrument's page titles, to show the questions in their pages (the first one open). */
export function dashboardModel(results: CampaignResults, lang: Lang, pageTitles?: readonly LocalizedText[]) {
  const selected = results.units.find((u) => u.key === results.selected)!;
  const byPage = new Map<number, ReturnType<typeof itemCard>[]>();
  for (const item of results.items) {
    if (item.type === 'text') continue;
    byPage.set(item.page, [...(byPage.get(item.page) ?? []), itemCard(item, results, lang)]);
  }
  const cards = [...byPage.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, items]) => items);
  const tests = testRows(cards);
  return {
    campaignTitle: results.campaign.title[lang],
    instrumentTitle: results.campaign.instrument.title[lang],
    status: results.campaign.status,
    academicYear: results.campaign.academicYear,
    final: results.final,
    k: results.k,
    responses: { n: results.responses.n, target: results.responses.target, rate: formatPercent(results.responses.rate, lang), rateValue: Math.min(1, results.responses.rate) },
    selected: { key: selected.key, name: selected.name[lang], n: selected.n, suppressed: selected.suppressed, withheld: Boolean(selected.withheld), rate: selected.rate != null ? formatPercent(selected.rate, lang) : null, ...hiddenTexts(selected.withheld ? 'low-rate' : selected.reason, results.k, lang), late: selected.late ? translate(lang, 'results.late', { count: selected.late }) : undefined },
    units: treeOrder(results.units).map((u) => ({ key: u.key, level: u.level, name: u.name[lang], n: u.n, suppressed: u.suppressed, withheld: Boolean(u.withheld), selected: u.key === results.selected, indent: { university: 0, faculty: 1, programme: 2, cohort: 3, discipline: 1 }[u.level], rate: u.rate != null ? formatPercent(u.rate, lang) : null, ...hiddenTexts(u.withheld ? 'low-rate' : u.reason, results.k, lang) })),
    /**
     * Open with live figures: how many responses the figures hold. A fixed fact of the figures' state (unlike
     * "N newer responses wait", which the live count would contradict between two releases of figures).
     */
    included: !results.final && results.liveResults === 'figures' ? translate(lang, 'results.included', { n: results.responses.n - results.held, k: results.k }) : undefined,
    tests,
    significant: tests.filter((t) => t.significant),
    /** The summary lists the strongest few; the comparisons section has them all. */
    significantTop: tests.filter((t) => t.significant).slice(0, SUMMARY_FLAGS),
    significantMore: Math.max(0, tests.filter((t) => t.significant).length - SUMMARY_FLAGS),
    hiddenGroups: hiddenGroups(results, lang),
    countsOnly: !results.final && results.liveResults === 'counts',
    /** The answer scale's words in the order of the diverging charts' colours (one legend for every chart using them). */
    likertLegend: LIKERT.map((l) => translate(lang, `respond.agree.${l}`)),
    pages: [...byPage.entries()].sort((a, b) => a[0] - b[0]).map(([page, items], i) => ({ items, title: pageTitles?.[page]?.[lang], open: i === 0 })),
    /** One line per question: the selected group's headline figure (the questions' table of contents). */
    glance: cards.map((card) => ({ id: card.id, text: card.text, kind: card.kind, row: card.rows.find((r) => r.selected), significant: card.comparisons.some((c) => c.significant) })),
  };
}

/**
 * What the browser draws from the page's own state: responses per day (with running totals, for the table
 * beside the timeline) and the results the charts read — the same results the page's tables were made from.
 */
export function clientState(results: CampaignResults) {
  const daily = results.responses.daily;
  let total = 0;
  return {
    daily: JSON.stringify(daily),
    dailyRows: Object.keys(daily)
      .sort()
      .map((day) => ({ day, n: daily[day], total: (total += daily[day] ?? 0) })),
    // What the charts read: every figure (already through the gate), without the texts the page has written out.
    resultsJson: JSON.stringify({ ...results, items: results.items.map(({ id, type, labels, options, figures }) => ({ id, type, labels, options, figures })) }),
  };
}

/**
 * The trends table of the dashboard and the council report: items with more than one year, each year's
 * % agree with its interval and n, and the test of its change from the year before.
 */
export function trendsModel(trends: Trends, lang: Lang) {
  const items = trends.items.filter((i) => i.points.length > 1);
  const years = [...new Set(items.flatMap((i) => i.points.map((p) => p.academicYear)))].sort();
  return {
    trendYears: years,
    trends: items.map((i) => ({
      text: i.text[lang],
      cells: years
        .map((y) => i.points.find((p) => p.academicYear === y))
        .map((p) =>
          p?.agree
            ? {
                value: formatPercent(p.agree.p, lang),
                ci: `${formatPercent(p.agree.low, lang)}–${formatPercent(p.agree.high, lang)}`,
                n: p.n,
                change: p.change ? { p: pText(p.change.p, lang), effect: p.change.effect == null ? '—' : formatMean(p.change.effect, lang), significant: p.change.significant, from: p.change.from } : undefined,
              }
            : null,
        ),
    })),
    trendsJson: JSON.stringify(items.map((i) => ({ id: i.id, text: i.text[lang], points: i.points }))),
  };
}
