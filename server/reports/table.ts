// The aggregates as a table: one row per unit × item × figure, with its n and interval bounds, exactly as
// analytics handed them over (collect.ts). A hidden unit or figure is one row that says why, with no
// number in it; nothing is added up, subtracted or recomputed here.
import type { Lang } from '../lib/i18n/index.js';
import { translate as translateNow } from '../lib/i18n/index.js';
import type { GatedFigures, ItemView, UnitView } from '../analytics/results.js';
import type { ScaleView } from '../analytics/scales-comments.js';
import { hiddenTexts } from '../analytics/view-model.js';
import type { Collected } from './collect.js';

/** The catalogue's texts repeat on every row (tens of thousands of rows): each is looked up once. */
const texts = new Map<string, string>();
function translate(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const id = `${lang}\u0001${key}\u0001${Object.values(params).join('\u0001')}`;
  let text = texts.get(id);
  if (text === undefined) {
    if (texts.size > 20_000) texts.clear();
    text = translateNow(lang, key, params);
    texts.set(id, text);
  }
  return text;
}

export interface FigureRow {
  unitKey: string;
  level: string;
  unit: string;
  parent: string;
  itemId: string;
  question: string;
  /** A stable figure id (agree, mean, share:<option>, count:<point>, nps, responses, index, alpha …). */
  figure: string;
  /** The figure in words, in the export's language. */
  label: string;
  value: number | null;
  n: number | null;
  low: number | null;
  high: number | null;
  /** Why the row has no number (the gate's reason), or a note such as late responses left out. */
  note: string;
}

/** The table's columns, in order (the explanation sheet describes each under the same name). */
export const FIGURE_COLUMNS = ['unit_key', 'level', 'unit', 'parent_unit', 'item_id', 'question', 'figure', 'figure_label', 'value', 'n', 'ci_low', 'ci_high', 'note'] as const;

export const rowCells = (r: FigureRow) => [r.unitKey, r.level, r.unit, r.parent, r.itemId, r.question, r.figure, r.label, r.value, r.n, r.low, r.high, r.note];

export function figureRows(collected: Collected, lang: Lang): FigureRow[] {
  const { results } = collected;
  const k = results.k;
  const names = new Map(results.units.map((u) => [u.key, u.name[lang]]));
  const rows: FigureRow[] = [];
  for (const unit of collected.units) {
    const base = { unitKey: unit.key, level: translate(lang, `reports.level.${unit.level}`), unit: unit.name[lang], parent: unit.parent ? (names.get(unit.parent) ?? '') : '' };
    const row = (itemId: string, question: string, figure: string, label: string, value: number | null, n: number | null, low: number | null = null, high: number | null = null, note = ''): void => {
      rows.push({ ...base, itemId, question, figure, label, value, n, low, high, note });
    };
    if (unit.suppressed) {
      row('', '', 'responses', translate(lang, 'reports.figure.responses'), null, null, null, null, hiddenTexts(unit.reason, k, lang).hiddenText);
      continue;
    }
    const late = unit.late ? translate(lang, 'results.late', { count: unit.late }) : '';
    row('', '', 'responses', translate(lang, 'reports.figure.responses'), unit.n, unit.n, null, null, late);
    if (unit.rate != null) row('', '', 'response_rate', translate(lang, 'reports.figure.rate', { target: unit.target ?? '' }), unit.rate, unit.n);
    const byItem = collected.figures.get(unit.key);
    for (const item of results.items) {
      if (item.type === 'text') continue;
      const f = byItem?.get(item.id);
      if (f) itemRows(item, f, lang, k, (figure, label, value, n, low, high) => row(item.id, itemText(item, lang), figure, label, value, n, low, high));
      else if (byItem) row(item.id, itemText(item, lang), 'all', translate(lang, 'reports.figure.all'), null, null, null, null, hiddenTexts(undefined, k, lang).hiddenText);
      if (f?.kind === 'suppressed') rows[rows.length - 1]!.note = hiddenTexts(f.reason, k, lang).hiddenText;
    }
    for (const scale of collected.scales.get(unit.key) ?? []) scaleRows(scale, lang, k, (figure, label, value, n, low, high, note) => row(`scale:${scale.id}`, scale.title[lang], figure, label, value, n, low, high, note));
  }
  return rows;
}

const itemText = (item: ItemView, lang: Lang) => (item.group ? `${item.group.text[lang]} — ${item.text[lang]}` : item.text[lang]);

type Emit = (figure: string, label: string, value: number | null, n: number | null, low?: number | null, high?: number | null) => void;

function itemRows(item: ItemView, f: GatedFigures, lang: Lang, _k: number, emit: Emit): void {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(lang, `reports.figure.${key}`, params);
  switch (f.kind) {
    case 'suppressed':
      return emit('all', t('all'), null, null);
    case 'scale':
    case 'rating': {
      const points = Object.keys(f.counts);
      const pointLabel = (p: string, i: number) => (item.labels?.[i] ? `${p} ${item.labels[i]![lang]}` : f.kind === 'scale' ? `${p} ${translate(lang, `respond.agree.${p}`)}` : p);
      points.forEach((p, i) => emit(`count:${p}`, t('count', { point: pointLabel(p, i) }), f.counts[p] ?? 0, f.n));
      points.forEach((p, i) => emit(`share:${p}`, t('share', { point: pointLabel(p, i) }), f.distribution[p] ?? 0, f.n));
      emit('not_applicable', t('na'), f.na, f.n);
      if (f.kind === 'scale') {
        emit('agree', t('agree'), f.agree?.p ?? null, f.n, f.agree?.low ?? null, f.agree?.high ?? null);
        emit('disagree', t('disagree'), f.disagree?.p ?? null, f.n, f.disagree?.low ?? null, f.disagree?.high ?? null);
      }
      emit('mean', t('mean'), f.mean?.mean ?? null, f.n, f.mean?.low ?? null, f.mean?.high ?? null);
      emit('sd', t('sd'), f.mean?.sd ?? null, f.n);
      return;
    }
    case 'nps':
      emit('nps', t('nps'), f.nps, f.n, f.low, f.high);
      emit('promoters', t('promoters'), f.promoters, f.n);
      emit('detractors', t('detractors'), f.detractors, f.n);
      for (const [p, count] of Object.entries(f.counts)) emit(`count:${p}`, t('count', { point: p }), count, f.n);
      return;
    case 'choice':
      for (const o of f.options) {
        const label = o.value === 'other' ? translate(lang, 'respond.other') : (item.options?.find((x) => x.value === o.value)?.label[lang] ?? o.value);
        emit(`count:${o.value}`, t('optionCount', { option: label }), o.count, f.n);
        emit(`share:${o.value}`, t('optionShare', { option: label }), o.share, f.n, o.low, o.high);
      }
      return;
    case 'number':
      emit('mean', t('mean'), f.mean?.mean ?? null, f.n, f.mean?.low ?? null, f.mean?.high ?? null);
      emit('sd', t('sd'), f.mean?.sd ?? null, f.n);
      return;
    case 'text':
      return emit('answers', t('answers'), f.n, f.n);
  }
}

function scaleRows(scale: ScaleView, lang: Lang, k: number, emit: (figure: string, label: string, value: number | null, n: number | null, low: number | null, high: number | null, note: string) => void): void {
  const t = (key: string) => translate(lang, `reports.figure.${key}`);
  if (!scale.index) return emit('index', t('index'), null, null, null, null, hiddenTexts(scale.reason, k, lang).hiddenText);
  emit('index', t('index'), scale.index.mean, scale.index.n, scale.index.low, scale.index.high, '');
  if (scale.alpha) emit('alpha', t('alpha'), scale.alpha.alpha, scale.alpha.n, null, null, scale.lowAlpha ? translate(lang, 'results.lowAlpha') : '');
  else emit('alpha', t('alpha'), null, null, null, null, translate(lang, 'reports.alphaHidden', { k }));
}

export type { UnitView };
