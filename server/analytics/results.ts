// A viewer's results: the campaign's gated tree figures (figures.ts), cut to the viewer's scope and the
// group they chose — the group, its ancestors as context, its visible children — with comparisons. Pure
// and cheap: every viewer, push and export of one state shares one computation of the figures.
import type { Actor } from '../accounts/actor.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import type { LocalizedText } from '../instruments/schema.js';
import { canSeeUnit } from '../org/scope.js';
import { notFound } from '../lib/errors.js';
import type { LiveTotals } from './aggregates/store.js';
import type { GatedFigures, HiddenReason, TreeFigures } from './figures.js';
import type { ItemMeta } from './item-figures.js';
import type { ResultUnit } from './units.js';
import { laggingUnits } from './lagging.js';
import { chiSquareIndependence, kruskalWallisFromCounts, mannWhitneyFromCounts } from './stats/index.js';

export type { GatedFigures } from './figures.js';

export const SIGNIFICANCE = 0.05;

export interface UnitView {
  key: string;
  level: ResultUnit['level'];
  name: LocalizedText;
  parent?: string;
  /** null when suppressed: below k, or hidden so that subtraction cannot reveal a small group. */
  n: number | null;
  suppressed: boolean;
  /** Why it is suppressed (translated by the pages). */
  reason?: HiddenReason;
  /** Final view: responses left out of its figures (after its last live cut, too few to show apart). */
  late?: number;
  /** Public summaries only: n is large enough, but the response rate is too low to publish (see published.ts). */
  withheld?: boolean;
  target?: number;
  rate?: number | null;
  /** Its response rate lags behind its surroundings' (lagging.ts). */
  lagging?: boolean;
}

export interface Comparison {
  test: 'mann-whitney' | 'kruskal-wallis' | 'chi-square';
  against: string;
  p: number | null;
  effect: number | null;
  effectName: 'r' | 'ε²' | 'Cramér V';
  significant: boolean;
}

export interface ItemView extends Omit<ItemMeta, 'page'> {
  page: number;
  figures: Record<string, GatedFigures>;
  comparisons: Comparison[];
}

export interface CampaignResults {
  campaign: { id: string; title: LocalizedText; status: string; academicYear: string; instrument: { id: string; version: number; title: LocalizedText }; opensAt: string; closesAt: string };
  k: number;
  final: boolean;
  /** What the dashboards show while the campaign is open: counts only, or live figures in cuts. */
  liveResults: 'counts' | 'figures';
  /** Responses stored but not yet in the figures (live figures move in cuts of at least k per group). */
  held: number;
  /** The campaign's target is its units' (enrolment), or the stated one for audiences without enrolment (0 = unknown). */
  responses: { n: number; target: number; rate: number; daily: Record<string, number> };
  units: UnitView[];
  selected: string;
  /** Units whose figures are included: the selected one, its ancestors and its visible children. */
  shown: string[];
  items: ItemView[];
}

/** May the actor see this unit's figures? Ancestors of a unit in scope are shown as context. */
function inScope(actor: Actor, unit: ResultUnit, all: ResultUnit[]): boolean {
  if (actor.role === 'admin') return true;
  if (unit.level === 'university') return true;
  if (canSeeUnit(actor, { faculty: unit.faculty, programme: unit.programme })) return true;
  // A faculty is context for a programme leader whose programme lies in it.
  return unit.level === 'faculty' && all.some((u) => u.parent === unit.key && canSeeUnit(actor, { programme: u.programme }));
}

/** The results one viewer may see of one campaign state, for the group they chose (default: their own). */
/**
 * Levels above a viewer's scope (the university for a faculty council, the faculty and the university for
 * a programme leader) are context, shown only where what lies outside the scope under them is not one group
 * the viewer may not see: either nothing, or at least two groups of k or more. Otherwise "level minus the
 * viewer's units" would be that group's figures (THREATS.md A2, scope complements).
 */
export function scopeBlocked(context: readonly ResultUnit[], scoped: ReadonlySet<string>, all: readonly ResultUnit[], size: (key: string) => number, k: number): Set<string> {
  const blocked = new Set<string>();
  for (const a of context) {
    const children = all.filter((u) => u.parent === a.key);
    const outside = children.filter((c) => !scoped.has(c.key)).map((c) => size(c.key));
    const residue = size(a.key) - children.reduce((s, c) => s + size(c.key), 0);
    const groups = [...outside, residue].filter((n) => n > 0);
    if (groups.length === 1 || groups.some((n) => n < k)) blocked.add(a.key);
  }
  return blocked;
}

/** The results one viewer may see of one campaign state, for the group they chose (default: their own). */
export function projectResults(tree: TreeFigures, live: LiveTotals, actor: Actor, campaign: CampaignDoc, options: { unit?: string; k: number }): CampaignResults {
  const { k } = options;
  const { units, hidden, definition } = tree;
  const nOf = (u: ResultUnit) => tree.n.get(u.key) ?? 0;
  const scoped = units.filter((u) => inScope(actor, u, units));
  const selectedKey = options.unit ?? defaultUnit(actor, scoped);
  const selected = scoped.find((u) => u.key === selectedKey);
  if (!selected) throw notFound('There are no results for this group, or it is outside your scope.');
  const scopedKeys = new Set(scoped.map((u) => u.key));
  const context = actor.role === 'admin' ? [] : scoped.filter((u) => !canSeeUnit(actor, { faculty: u.faculty, programme: u.programme }) || u.level === 'university');
  const blockedUnits = scopeBlocked(context, scopedKeys, units, (key) => tree.n.get(key) ?? 0, k);

  const unitViews: UnitView[] = scoped.map((u) => {
    const n = nOf(u);
    const reason: HiddenReason | undefined = hidden.get(u.key) ?? (blockedUnits.has(u.key) ? 'scope' : n === 0 ? 'small' : undefined);
    const suppressed = reason !== undefined;
    const late = tree.late.get(u.key);
    return { key: u.key, level: u.level, name: u.name, parent: u.parent, n: suppressed ? null : n, suppressed, ...(suppressed ? { reason } : {}), ...(late && !suppressed ? { late } : {}), target: u.target, rate: !suppressed && u.target ? n / u.target : null };
  });
  const lagging = laggingUnits(unitViews, k);
  for (const u of unitViews) u.lagging = lagging.has(u.key);
  const ancestors: ResultUnit[] = [];
  for (let p = selected.parent; p; p = scoped.find((u) => u.key === p)?.parent) {
    const unit = scoped.find((u) => u.key === p);
    if (unit) ancestors.unshift(unit);
  }
  const children = scoped.filter((u) => u.parent === selected.key && !hidden.has(u.key) && nOf(u) > 0);
  const shown = [...ancestors, selected, ...children];

  const items = tree.items.map(({ meta, figures: all, answered }) => {
    const blocked = context.length ? scopeBlocked(context, scopedKeys, units, (key) => answered.get(key) ?? 0, k) : new Set<string>();
    const gated = (unit: ResultUnit): GatedFigures => (blockedUnits.has(unit.key) || blocked.has(unit.key) ? { kind: 'suppressed', reason: 'scope' } : (all.get(unit.key) ?? { kind: 'suppressed', reason: 'small' }));
    const figures: Record<string, GatedFigures> = {};
    for (const unit of shown) figures[unit.key] = gated(unit);
    return { ...meta, figures, comparisons: compare(meta, selected, ancestors.at(-1), children, gated, k) };
  });

  const inFigures = tree.n.get('university') ?? 0;
  const target = units[0]?.target ?? 0;
  return {
    campaign: {
      id: campaign._id,
      title: campaign.title,
      status: effectiveStatus(campaign),
      academicYear: campaign.academicYear,
      instrument: { id: definition.id, version: definition.version, title: definition.title },
      opensAt: campaign.opensAt.toISOString(),
      closesAt: campaign.closesAt.toISOString(),
    },
    k,
    final: tree.final,
    liveResults: tree.mode,
    held: !tree.final && tree.mode === 'figures' ? Math.max(0, live.n - inFigures) : 0,
    responses: { n: live.n, target, rate: target ? live.n / target : 0, daily: live.days },
    units: unitViews,
    selected: selected.key,
    shown: shown.map((u) => u.key),
    items,
  };
}

function defaultUnit(actor: Actor, scoped: ResultUnit[]): string {
  if (actor.role === 'admin') return 'university';
  const own = scoped.find((u) => (u.level === 'faculty' && actor.faculties.includes(u.id)) || (u.level === 'programme' && actor.programmes.includes(u.id)));
  return own?.key ?? 'university';
}

/** Answer counts in scale order, for the rank tests (Likert 1–5, a rating's points min…max). */
const scaleCounts = (f: GatedFigures) =>
  f.kind === 'scale' ? [1, 2, 3, 4, 5].map((l) => f.counts[String(l)] ?? 0) : f.kind === 'rating' ? Array.from({ length: f.max - f.min + 1 }, (_, i) => f.counts[String(f.min + i)] ?? 0) : null;
const ordinal = (f: GatedFigures) => f.kind === 'scale' || f.kind === 'rating';

/** Selected unit vs the rest of its parent (Mann–Whitney), and between its visible children (Kruskal–Wallis or chi-square). */
function compare(meta: ItemMeta, selected: ResultUnit, parent: ResultUnit | undefined, children: ResultUnit[], gated: (unit: ResultUnit) => GatedFigures, k: number): Comparison[] {
  const out: Comparison[] = [];
  const mine = gated(selected);
  if (parent && ordinal(mine)) {
    const whole = gated(parent);
    const a = scaleCounts(mine);
    const b = scaleCounts(whole)?.map((c, i) => c - (a?.[i] ?? 0));
    if (a && b && b.reduce((s, x) => s + x, 0) >= k) {
      const r = mannWhitneyFromCounts(a, b);
      if (r) out.push({ test: 'mann-whitney', against: `rest of ${parent.key}`, p: r.p, effect: r.r, effectName: 'r', significant: r.p !== null && r.p < SIGNIFICANCE });
    }
  }
  const groups = children.map((c) => gated(c)).filter((f) => f.kind !== 'suppressed');
  if (groups.length >= 2 && ordinal(groups[0]!)) {
    const r = kruskalWallisFromCounts(groups.map((g) => scaleCounts(g)!));
    if (r) out.push({ test: 'kruskal-wallis', against: 'children', p: r.p, effect: r.epsilonSquared, effectName: 'ε²', significant: r.p !== null && r.p < SIGNIFICANCE });
  } else if (groups.length >= 2 && groups[0]!.kind === 'choice' && meta.type === 'single') {
    const table = groups.map((g) => (g.kind === 'choice' ? g.options.map((o) => o.count) : []));
    const r = chiSquareIndependence(table);
    if (r) out.push({ test: 'chi-square', against: 'children', p: r.p, effect: r.cramersV, effectName: 'Cramér V', significant: r.p !== null && r.p < SIGNIFICANCE });
  }
  return out;
}
