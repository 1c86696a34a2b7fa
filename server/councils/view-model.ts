// What the council pages show: frozen snapshots as rows of localised figures (each with its n, or the reason
// it is hidden), actions with their overdue flag and follow-up verdicts, indicators with formula and interval.
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import { figureRow, hiddenTexts } from '../analytics/view-model.js';
import { formatMean, formatP, formatPercent, formatPoints } from '../analytics/stats/index.js';
import type { GatedFigures } from '../analytics/figures.js';
import type { HiddenReason } from '../analytics/suppression.js';
import type { LocalizedText } from '../instruments/schema.js';
import type { EvidenceQuestion } from './evidence-map.js';
import type { FollowUp } from './follow-up.js';
import type { Indicator } from './indicators.js';
import type { ActionDoc, Snapshot } from './model.js';
import { isOverdue } from './actions-service.js';

type SnapshotFigures =
  | { kind: 'item'; type: string; options?: { value: string; label: LocalizedText }[]; rows: { key: string; name?: LocalizedText; figures: GatedFigures | undefined }[] }
  | { kind: 'scale'; index: { mean: number | null; low: number | null; high: number | null; n: number } | null; alpha: number | null; reason: HiddenReason | null }
  | { kind: 'overview'; responses: { n: number; target?: number | null; rate?: number | null }; units: { key: string; name: LocalizedText; n: number; rate: number | null; reason: HiddenReason | null }[] };

/** One line per group: its name, the headline figure with its interval, and n — or why it is hidden. */
export function snapshotRows(snapshot: Snapshot, lang: Lang): { name: string; value: string; detail: string; n?: number; hidden?: string }[] {
  const f = snapshot.figures as SnapshotFigures;
  const k = snapshot.k;
  if (f.kind === 'overview') {
    return f.units.map((u) => (u.reason ? { name: u.name[lang], value: '', detail: '', hidden: hiddenTexts(u.reason, k, lang).hiddenShort } : { name: u.name[lang], value: u.rate != null ? formatPercent(u.rate, lang) : '', detail: translate(lang, 'councils.snapshot.responseRate'), n: u.n }));
  }
  if (f.kind === 'scale') {
    const i = f.index;
    if (!i || i.mean === null) return [{ name: translate(lang, 'councils.snapshot.index'), value: '', detail: '', hidden: hiddenTexts(f.reason ?? 'small', k, lang).hiddenShort }];
    return [{ name: translate(lang, 'councils.snapshot.index'), value: formatMean(i.mean, lang), detail: `${formatMean(i.low, lang)}–${formatMean(i.high, lang)}${f.alpha !== null ? ` · α ${formatMean(f.alpha, lang)}` : ''}`, n: i.n }];
  }
  const label = (value: string) => f.options?.find((o) => o.value === value)?.label[lang] ?? value;
  return f.rows.map((r) => {
    const name = r.name?.[lang] ?? r.key;
    const row = figureRow(r.figures, lang, k) as Record<string, unknown>;
    if (row.suppressed) return { name, value: '', detail: '', hidden: String(row.hiddenShort) };
    const n = row.n as number;
    const g = r.figures as Exclude<GatedFigures, { kind: 'suppressed' }>;
    switch (g.kind) {
      case 'scale':
        return { name, value: `${String(row.agree)} ${translate(lang, 'councils.snapshot.agree')}`, detail: `${String(row.agreeCi)} · ${translate(lang, 'councils.snapshot.mean')} ${String(row.mean)}`, n };
      case 'rating':
      case 'number':
        return { name, value: String(row.mean), detail: String(row.meanCi), n };
      case 'nps':
        return { name, value: `NPS ${String(row.nps)}`, detail: String(row.npsCi), n };
      case 'choice':
        return { name, value: g.options.slice().sort((a, b) => b.share - a.share).slice(0, 3).map((o) => `${label(o.value)} ${formatPercent(o.share, lang)}`).join(' · '), detail: '', n };
      default:
        return { name, value: '', detail: '', n };
    }
  });
}

export function snapshotView(snapshot: Snapshot, lang: Lang) {
  return {
    campaign: snapshot.campaign,
    campaignTitle: snapshot.campaignTitle[lang],
    unitName: snapshot.unitName[lang],
    label: snapshot.label[lang],
    esg: snapshot.esg.join(', '),
    takenOn: snapshot.takenOn,
    interim: !snapshot.final,
    rows: snapshotRows(snapshot, lang),
  };
}

export function actionRow(a: ActionDoc, lang: Lang, owners: Map<string, string>) {
  return {
    id: a._id,
    title: a.title,
    kind: translate(lang, `councils.actionKind.${a.kind}`),
    owner: owners.get(a.owner) ?? translate(lang, 'councils.unknownOwner'),
    dueOn: a.dueOn,
    status: a.status,
    statusText: translate(lang, `councils.status.${a.status}`),
    overdue: isOverdue(a),
    public: a.public,
    evidence: a.evidence.length,
  };
}

const pct = (x: number | null, lang: Lang) => (x === null ? '—' : formatPercent(x, lang));

export function followUpView(f: FollowUp, lang: Lang, label: string) {
  if (f.state === 'no_next_wave') return { label, state: f.state, text: translate(lang, 'councils.followUp.noNextWave') };
  if (f.state === 'not_comparable') return { label, state: f.state, text: translate(lang, 'councils.followUp.notComparable', { reason: f.reason }) };
  const show = f.measure === 'agree' ? (x: number) => formatPercent(x, lang) : (x: number) => formatMean(x, lang);
  const diff = f.measure === 'agree' ? (x: number) => `${x >= 0 ? '+' : ''}${formatPoints(x * 100, lang)}` : (x: number) => `${x >= 0 ? '+' : ''}${formatMean(x, lang)}`;
  return {
    label,
    state: f.state,
    interim: f.interim,
    verdict: f.verdict,
    verdictText: translate(lang, `councils.verdict.${f.verdict}`),
    measure: translate(lang, `councils.followUp.measure.${f.measure}`),
    test: translate(lang, `councils.followUp.test.${f.test}`),
    before: { year: f.before.academicYear, value: show(f.before.value), ci: `${show(f.before.low)}–${show(f.before.high)}`, n: f.before.n },
    after: { year: f.after.academicYear, value: show(f.after.value), ci: `${show(f.after.low)}–${show(f.after.high)}`, n: f.after.n },
    difference: { value: diff(f.difference.value), ci: `${diff(f.difference.low)} … ${diff(f.difference.high)}`, unit: f.measure === 'agree' ? translate(lang, 'councils.followUp.points') : '' },
    p: formatP(f.p, lang),
  };
}

export function indicatorView(i: Indicator, lang: Lang, k: number) {
  const census = i.key === 'response_rate';
  return {
    key: i.key,
    name: translate(lang, `councils.indicator.${i.key}.name`),
    formula: translate(lang, `councils.indicator.${i.key}.formula`),
    value: pct(i.value, lang),
    ci: i.low !== null && i.high !== null ? `${pct(i.low, lang)}–${pct(i.high, lang)}` : census && i.value !== null ? translate(lang, 'councils.indicators.census') : '',
    n: i.n,
    missing: i.missing === 'no_data' ? translate(lang, 'councils.indicators.noData') : i.missing === 'hidden' ? hiddenTexts((i.reason ?? 'small') as HiddenReason, k, lang).hiddenShort : undefined,
    target: i.target !== undefined ? pct(i.target, lang) : '',
    targetValue: i.target !== undefined ? Math.round(i.target * 1000) / 10 : '',
    belowTarget: i.belowTarget,
    campaign: i.campaign,
  };
}

/** The evidence map's questions of one standard as one table per instrument: questions as rows, the
 *  groups (faculty and programmes, or university and faculties) as columns — every question of an
 *  instrument shares the same groups, so the page stays a page rather than one table per question. */
export function evidenceTables(questions: readonly EvidenceQuestion[], lang: Lang, k: number) {
  const byInstrument = new Map<string, EvidenceQuestion[]>();
  for (const q of questions) byInstrument.set(q.instrument, [...(byInstrument.get(q.instrument) ?? []), q]);
  return [...byInstrument.values()].map((qs) => {
    const first = qs[0]!;
    const withFigures = qs.find((q) => q.campaign);
    return {
      title: first.instrumentTitle[lang],
      year: withFigures?.campaign?.academicYear,
      columns: withFigures?.campaign?.cells.map((c) => c.name[lang]) ?? [],
      rows: qs.map((q) => ({
        text: q.text[lang],
        item: q.item,
        cells: (q.campaign?.cells ?? []).map((c) =>
          c.agree !== null
            ? { value: formatPercent(c.agree, lang), n: c.n }
            : { hidden: c.n === null ? translate(lang, `results.reasonShort.${c.reason ?? 'small'}`, { k }) : translate(lang, 'councils.esgMap.notAgreement') },
        ),
      })),
    };
  });
}
