// Checks that an export shows exactly what the results API shows one viewer: the figures table of the
// XLSX/CSV row by row against /api/campaigns/:id/results and /scales, and the council report's text (as
// pdftotext reads it) against the same figures formatted as the dashboard formats them.
import { expect } from 'chai';
import { formatMean, formatPercent, formatPoints } from '../../server/analytics/stats/index.js';
import { translate, type Lang } from '../../server/lib/i18n/index.js';
import { pText } from '../../server/analytics/view-model.js';
import { squash } from './exports.js';

type Text = Record<Lang, string>;
type Interval = { p: number; low: number; high: number } | null;
type MeanFigure = { mean: number | null; sd: number | null; low: number | null; high: number | null } | null;
export type Figure =
  | { kind: 'suppressed'; reason: string }
  | { kind: 'scale'; n: number; na: number; counts: Record<string, number>; distribution: Record<string, number>; agree: Interval; disagree: Interval; mean: MeanFigure }
  | { kind: 'rating'; n: number; na: number; min: number; max: number; counts: Record<string, number>; distribution: Record<string, number>; mean: MeanFigure }
  | { kind: 'nps'; n: number; counts: Record<string, number>; nps: number | null; low: number | null; high: number | null; promoters: number; detractors: number }
  | { kind: 'choice'; n: number; options: { value: string; count: number; share: number; low: number; high: number }[] }
  | { kind: 'number'; n: number; mean: MeanFigure }
  | { kind: 'text'; n: number };

export interface Unit {
  key: string;
  level: string;
  name: Text;
  parent?: string;
  n: number | null;
  suppressed: boolean;
  reason?: string;
  late?: number;
  target?: number;
  rate?: number | null;
}

export interface Item {
  id: string;
  type: string;
  rating?: boolean;
  text: Text;
  page: number;
  group?: { text: Text };
  options?: { value: string; label: Text }[];
  labels?: Text[];
  figures: Record<string, Figure>;
  comparisons: { test: string; against: string; p: number | null; effect: number | null; effectName: string; significant: boolean }[];
}

export interface Results {
  campaign: { id: string; title: Text };
  k: number;
  final: boolean;
  units: Unit[];
  selected: string;
  shown: string[];
  items: Item[];
}

export interface Scales {
  unit: string;
  suppressed: boolean;
  commentsReason?: string;
  scales: { id: string; title: Text; items: number; index: { mean: number | null; low: number | null; high: number | null; n: number } | null; alpha: { alpha: number | null; n: number } | null; lowAlpha: boolean; reason?: string }[];
  comments: { item: string; lang: string; text: string }[];
}

export interface Trends {
  items: { id: string; text: Text; points: { academicYear: string; n: number; agree: Interval; change?: { p: number | null } }[] }[];
}

/** What one viewer's API says about a campaign: the chosen group's view, and every visible group's own view and scales. */
export interface ApiPicture {
  results: Results;
  /** Units of the export: the chosen group's ancestors, itself and everything under it. */
  units: Unit[];
  /** Per unit key, per item id: the figure as the API shows it (the same in every view that shows it). */
  figures: Map<string, Map<string, Figure>>;
  scales: Map<string, Scales>;
  views: Results[];
  trends: Trends;
}

type Get = <T>(path: string) => Promise<T>;

export async function apiPicture(get: Get, campaign: string, unit?: string): Promise<ApiPicture> {
  const q = unit ? `?unit=${encodeURIComponent(unit)}` : '';
  const results = await get<Results>(`/api/campaigns/${campaign}/results${q}`);
  const byKey = new Map(results.units.map((u) => [u.key, u]));
  const ancestors = new Set<string>();
  for (let p = byKey.get(results.selected)?.parent; p; p = byKey.get(p)?.parent) ancestors.add(p);
  const under = (u: Unit): boolean => {
    for (let p: Unit | undefined = u; p; p = p.parent ? byKey.get(p.parent) : undefined) if (p.key === results.selected) return true;
    return false;
  };
  const units = treeOrder(results.units.filter((u) => ancestors.has(u.key) || under(u)));
  const views = [results];
  for (const u of units) if (!u.suppressed && u.key !== results.selected && !ancestors.has(u.key)) views.push(await get<Results>(`/api/campaigns/${campaign}/results?unit=${encodeURIComponent(u.key)}`));
  const figures = new Map<string, Map<string, Figure>>();
  for (const view of views) {
    for (const key of view.shown) {
      const byItem = figures.get(key) ?? new Map<string, Figure>();
      for (const item of view.items) {
        const f = item.figures[key]!;
        if (byItem.has(item.id)) expect(f, `${key} ${item.id} differs between two views of one state`).to.deep.equal(byItem.get(item.id));
        byItem.set(item.id, f);
      }
      figures.set(key, byItem);
    }
  }
  const scales = new Map<string, Scales>();
  for (const u of units) if (!u.suppressed) scales.set(u.key, await get<Scales>(`/api/campaigns/${campaign}/scales?unit=${encodeURIComponent(u.key)}`));
  const trends = await get<Trends>(`/api/campaigns/${campaign}/trends?unit=${encodeURIComponent(results.selected)}`);
  return { results, units, figures, scales, views, trends };
}

/** Units in tree order (each followed by its children), as the report lists them. */
function treeOrder(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  const visit = (parent: string | undefined) => {
    for (const u of units.filter((x) => x.parent === parent || (parent === undefined && !units.some((p) => p.key === x.parent)))) {
      if (out.includes(u)) continue;
      out.push(u);
      visit(u.key);
    }
  };
  visit(undefined);
  return out;
}

type Row = Record<string, string | number | null>;

/** The figure a row of the figures table must hold, from the API: [value, n, low, high]. */
function expected(api: ApiPicture, row: Row): [number | null, number | null, number | null, number | null] {
  const unit = api.units.find((u) => u.key === row.unit_key)!;
  const figure = String(row.figure);
  const itemId = String(row.item_id ?? '');
  if (!itemId) {
    if (figure === 'responses') return [unit.n, unit.n, null, null];
    if (figure === 'response_rate') return [unit.rate ?? null, unit.n, null, null];
    throw new Error(`unexpected unit row ${figure}`);
  }
  if (itemId.startsWith('scale:')) {
    const s = api.scales.get(unit.key)!.scales.find((x) => x.id === itemId.slice('scale:'.length))!;
    if (figure === 'index') return s.index ? [s.index.mean, s.index.n, s.index.low, s.index.high] : [null, null, null, null];
    if (figure === 'alpha') return s.alpha ? [s.alpha.alpha, s.alpha.n, null, null] : [null, null, null, null];
    throw new Error(`unexpected scale row ${figure}`);
  }
  const f = api.figures.get(unit.key)!.get(itemId)!;
  if (figure === 'all') {
    expect(f.kind, `${unit.key} ${itemId}: a hidden row for a shown figure`).to.equal('suppressed');
    return [null, null, null, null];
  }
  expect(f.kind, `${unit.key} ${itemId} ${figure}: a figure the API hides`).not.to.equal('suppressed');
  const [name, point] = figure.split(':') as [string, string | undefined];
  switch (f.kind) {
    case 'scale':
    case 'rating':
      if (name === 'count') return [f.counts[point!] ?? 0, f.n, null, null];
      if (name === 'share') return [f.distribution[point!] ?? 0, f.n, null, null];
      if (name === 'not_applicable') return [f.na, f.n, null, null];
      if (name === 'mean') return [f.mean?.mean ?? null, f.n, f.mean?.low ?? null, f.mean?.high ?? null];
      if (name === 'sd') return [f.mean?.sd ?? null, f.n, null, null];
      if (f.kind === 'scale' && (name === 'agree' || name === 'disagree')) {
        const i = f[name];
        return [i?.p ?? null, f.n, i?.low ?? null, i?.high ?? null];
      }
      break;
    case 'nps':
      if (name === 'nps') return [f.nps, f.n, f.low, f.high];
      if (name === 'promoters') return [f.promoters, f.n, null, null];
      if (name === 'detractors') return [f.detractors, f.n, null, null];
      if (name === 'count') return [f.counts[point!] ?? 0, f.n, null, null];
      break;
    case 'choice': {
      const o = f.options.find((x) => x.value === point);
      if (o && name === 'count') return [o.count, f.n, null, null];
      if (o && name === 'share') return [o.share, f.n, o.low, o.high];
      break;
    }
    case 'number':
      if (name === 'mean') return [f.mean?.mean ?? null, f.n, f.mean?.low ?? null, f.mean?.high ?? null];
      if (name === 'sd') return [f.mean?.sd ?? null, f.n, null, null];
      break;
    case 'text':
      if (name === 'answers') return [f.n, f.n, null, null];
  }
  throw new Error(`unexpected row ${unit.key} ${itemId} ${figure} for a ${f.kind} figure`);
}

/** Plain comparisons (ten thousand rows): chai only to report a difference. */
const same = (actual: unknown, wanted: number | null, what: string) => {
  const ok = wanted === null ? actual === null : typeof actual === 'number' && Math.abs(actual - wanted) <= 1e-9;
  if (!ok) expect(actual, what).to.equal(wanted);
};

/**
 * Every row of the figures table holds the API's figure, and every figure the API shows the viewer has its
 * rows: nothing missing, nothing added. A hidden group has one row, with no number.
 */
export function expectFiguresMatch(api: ApiPicture, rows: Row[]): void {
  const keys = new Set(rows.map((r) => String(r.unit_key)));
  expect([...keys].sort(), 'groups in the export').to.deep.equal(api.units.map((u) => u.key).sort());
  for (const row of rows) {
    const what = `${row.unit_key} ${row.item_id ?? ''} ${row.figure}`;
    const [value, n, low, high] = expected(api, row);
    same(row.value, value, `${what}: value`);
    same(row.n, n, `${what}: n`);
    same(row.ci_low, low, `${what}: ci_low`);
    same(row.ci_high, high, `${what}: ci_high`);
  }
  for (const unit of api.units) {
    const own = rows.filter((r) => r.unit_key === unit.key);
    if (unit.suppressed) {
      expect(own, `${unit.key} is hidden: one row without a number`).to.have.length(1);
      expect(own[0]!.value).to.equal(null);
      continue;
    }
    for (const [itemId, f] of api.figures.get(unit.key) ?? []) {
      if (f.kind === 'text' || f.kind === 'suppressed') continue;
      const figs = new Set(own.filter((r) => r.item_id === itemId).map((r) => String(r.figure)));
      const needed = f.kind === 'scale' ? ['agree', 'disagree', 'mean'] : f.kind === 'rating' || f.kind === 'number' ? ['mean'] : f.kind === 'nps' ? ['nps'] : f.options.map((o) => `share:${o.value}`);
      for (const fig of needed) expect(figs.has(fig), `${unit.key} ${itemId}: no ${fig} row`).to.equal(true);
    }
  }
}

const hidden = (reason: string | undefined, k: number, lang: Lang) => translate(lang, `results.reason.${reason ?? 'small'}`, { k, count: k });
const ci = (i: { low: number; high: number } | null, lang: Lang) => (i ? `${formatPercent(i.low, lang)}–${formatPercent(i.high, lang)}` : '');
const meanCi = (m: MeanFigure, lang: Lang) => (m?.low != null && m?.high != null ? `${formatMean(m.low, lang)}–${formatMean(m.high, lang)}` : '');

/** The report's figures in the order the report prints them, each as the text its row or line reads. */
export function reportFragments(api: ApiPicture, lang: Lang): { what: string; text: string }[] {
  const { results } = api;
  const k = results.k;
  const out: { what: string; text: string }[] = [];
  const name = (key: string) => results.units.find((u) => u.key === key)!.name[lang];
  for (const u of api.units) {
    out.push({ what: `response rate of ${u.key}`, text: u.suppressed ? `${u.name[lang]}${hidden(u.reason, k, lang)}` : `${u.name[lang]}${u.n}${u.target ?? '—'}${u.rate != null ? formatPercent(u.rate, lang) : '—'}` });
  }
  const pages = [...new Set(results.items.map((i) => i.page))].sort((a, b) => a - b);
  for (const page of pages) {
    for (const item of results.items.filter((i) => i.page === page && i.type !== 'text')) {
      out.push({ what: `title of ${item.id}`, text: item.text[lang] });
      const kind = item.rating ? 'rating' : item.type === 'likert' || item.type === 'matrix-row' ? 'scale' : item.type === 'single' || item.type === 'multiple' ? 'choice' : item.type;
      for (const key of results.shown) {
        const f = item.figures[key]!;
        const what = `${item.id} at ${key}`;
        if (kind === 'choice') {
          if (key !== results.selected) continue;
          if (f.kind === 'suppressed') out.push({ what, text: hidden(f.reason, k, lang) });
          else if (f.kind === 'choice') {
            for (const o of f.options) {
              const label = o.value === 'other' ? translate(lang, 'respond.other') : item.options!.find((x) => x.value === o.value)!.label[lang];
              out.push({ what: `${what} option ${o.value}`, text: `${label}${o.count}${formatPercent(o.share, lang)}${formatPercent(o.low, lang)}–${formatPercent(o.high, lang)}` });
            }
            out.push({ what: `${what} n`, text: `n${f.n}` });
          }
          continue;
        }
        if (f.kind === 'suppressed') out.push({ what, text: `${name(key)}${hidden(f.reason, k, lang)}` });
        else if (f.kind === 'scale') {
          const dist = [1, 2, 3, 4, 5].map((l) => formatPercent(f.distribution[String(l)] ?? 0, lang)).join('');
          out.push({ what, text: `${name(key)}${f.n}${dist}${f.agree ? formatPercent(f.agree.p, lang) : '—'}[${ci(f.agree, lang)}]${f.mean?.mean != null ? formatMean(f.mean.mean, lang) : '—'}[${meanCi(f.mean, lang)}]` });
        } else if (f.kind === 'rating') {
          const dist = Object.keys(f.counts).map((v) => formatPercent(f.distribution[v] ?? 0, lang)).join('');
          out.push({ what, text: `${name(key)}${f.n}${dist}${f.mean?.mean != null ? formatMean(f.mean.mean, lang) : '—'}[${meanCi(f.mean, lang)}]` });
        } else if (f.kind === 'nps') {
          out.push({ what, text: `${name(key)}NPS${formatPoints(f.nps, lang)}${f.low != null && f.high != null ? `${formatPoints(f.low, lang)}…${formatPoints(f.high, lang)}` : ''}n=${f.n}` });
        } else if (f.kind === 'number') {
          out.push({ what, text: `${name(key)}${translate(lang, 'results.mean')}${f.mean?.mean != null ? formatMean(f.mean.mean, lang) : '—'}${meanCi(f.mean, lang)}n=${f.n}` });
        }
      }
      for (const c of item.comparisons) out.push({ what: `${item.id} ${c.test}`, text: `${pText(c.p, lang)},${c.effectName}=${c.effect == null ? '—' : formatMean(c.effect, lang)}` });
    }
  }
  const own = api.scales.get(results.selected);
  for (const s of own?.scales ?? []) {
    out.push({ what: `scale ${s.id}`, text: s.index?.mean != null ? `${s.title[lang]}${s.items}${formatMean(s.index.mean, lang)}[${formatMean(s.index.low, lang)}–${formatMean(s.index.high, lang)}]${s.index.n}` : `${s.title[lang]}${s.items}${hidden(s.reason, k, lang)}` });
  }
  for (const t of api.trends.items.filter((i) => i.points.length > 1)) {
    out.push({ what: `trend of ${t.id}`, text: t.text[lang] });
    for (const p of t.points) if (p.agree) out.push({ what: `trend of ${t.id} in ${p.academicYear}`, text: `${formatPercent(p.agree.p, lang)}[${ci(p.agree, lang)}]n=${p.n}` });
  }
  if (own && !own.suppressed) for (const c of own.comments) out.push({ what: `comment on ${c.item}`, text: c.text });
  return out.map((f) => ({ what: f.what, text: squash(f.text) }));
}

/** Each fragment appears in the report's text, in the report's order. */
export function expectInOrder(text: string, fragments: { what: string; text: string }[]): void {
  const all = squash(text);
  let at = 0;
  for (const f of fragments) {
    const found = all.indexOf(f.text, at);
    if (found < 0) {
      const anywhere = all.indexOf(f.text);
      expect.fail(`${f.what}: "${f.text}" ${anywhere >= 0 ? `is in the report, but before where it belongs (near "${all.slice(Math.max(0, at - 80), at + 80)}")` : `is not in the report (near "${all.slice(Math.max(0, at - 80), at + 120)}")`}`);
    }
    at = found + f.text.length;
  }
}

/** The contents on the first page name, for each chapter, the page it starts on: that page opens with its title. */
export function expectContentsMatchPages(text: string, lang: Lang): void {
  const pages = text.split('\f');
  const lines = pages[0]!.split('\n').map((l) => l.trim());
  const from = lines.indexOf(translate(lang, 'reports.contents'));
  expect(from, 'the contents').to.be.greaterThan(-1);
  // The page footer ("Page 1 of 12") is the last line of the page's text: not an entry of the contents.
  const footer = new RegExp(translate(lang, 'reports.pageOf', { page: '\\d+', pages: '\\d+' }).replace(/\s+/g, '\\s*'));
  const entries = lines.slice(from + 1).flatMap((l) => {
    const m = /^(.*\S)\s+(\d+)$/.exec(l);
    return m && !footer.test(l) ? [{ title: m[1]!, page: Number(m[2]) }] : [];
  });
  expect(entries.length, 'chapters in the contents').to.be.greaterThan(4);
  for (const { title, page } of entries) {
    expect(page, `"${title}": page ${page}`).to.be.within(2, pages.length - 1);
    expect(squash(pages[page - 1]!).startsWith(squash(title)), `"${title}" is on page ${page} in the contents, but that page opens with "${pages[page - 1]!.trim().slice(0, 60)}"`).to.equal(true);
  }
}
