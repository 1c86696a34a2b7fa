// Figures of a campaign's whole tree at one state, with every unit, item and scale through the gate:
//  - open, "counts only": live response counts per unit, no figure;
//  - open, "live figures": the current cut (cuts.ts), every unit's figures from the same cut;
//  - closed: the final view, gated against every cut released before it (cuts.ts finalView).
// Computed once per state (keyed by the stamps of what was read) and shared by every viewer, push and
// export: a viewer's results are a projection of this (results.ts), never a second computation.
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import type { OrgView } from '../campaigns/audience.js';
import { orgView } from '../campaigns/org-view.js';
import { targetFrom, unitTargets } from '../campaigns/target.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { Definition } from '../instruments/schema.js';
import { readAggregates, readLiveTotals, type UnitCounters } from './aggregates/store.js';
import { finalView, ownCounters, unitCells } from './cuts.js';
import { analysableItems, itemFigures, scaleKey, scaleMembers, type ItemFigures, type ItemMeta } from './item-figures.js';
import { liveResultsOf, type LiveResults } from '../campaigns/live-results.js';
import { readRelease, readReleaseStamp } from './releases.js';
import { ScaleAccumulator, type AlphaResult, type MeanInterval } from './stats/index.js';
import { gateItem, gateScale, gateUnits, hiddenReason, type HiddenReason } from './suppression.js';
import { campaignUnits, countersByKey, type ResultUnit } from './units.js';

export type { HiddenReason } from './suppression.js';
export type GatedFigures = ItemFigures | { kind: 'suppressed'; reason: HiddenReason };

export interface ScaleCell {
  index: MeanInterval | null;
  alpha: AlphaResult | null;
}

export interface TreeFigures {
  final: boolean;
  mode: LiveResults;
  definition: Definition;
  units: ResultUnit[];
  /** Responses per unit key in these figures (live counts, the cut, or the final view). */
  n: ReadonlyMap<string, number>;
  /** Units hidden by the unit gate (below k, or hidden so that no subtraction reveals a small group). */
  hidden: ReadonlyMap<string, HiddenReason>;
  /** Final view: responses of a unit left out because they came after its last cut and are too few to show apart. */
  late: ReadonlyMap<string, number>;
  /** Per item: its figures per unit, and how many answered it per unit (for the scope rule; never sent). */
  items: { meta: ItemMeta; figures: ReadonlyMap<string, GatedFigures>; answered: ReadonlyMap<string, number> }[];
  scales: { id: string; cells: ReadonlyMap<string, ScaleCell | { suppressed: HiddenReason }> }[];
}

/**
 * Gates every unit, item and scale of the tree: pure, from each unit's counters. With `countsOnly`, units
 * carry their counts and every figure is withheld until the campaign closes.
 */
export function gateTree(
  definition: Definition,
  units: ResultUnit[],
  cells: ReadonlyMap<string, UnitCounters>,
  k: number,
  state: { final: boolean; mode: LiveResults; countsOnly: boolean; late?: ReadonlyMap<string, number>; forced?: (unit: string, figure: string) => HiddenReason | undefined },
): TreeFigures {
  const nOf = (key: string) => cells.get(key)?.n ?? 0;
  const n = new Map(units.map((u) => [u.key, nOf(u.key)]));
  const forcedOf = (figure: string) => new Map(units.flatMap((u) => {
    const reason = state.forced?.(u.key, figure);
    return reason ? [[u.key, reason] as const] : [];
  }));
  const forcedUnits = forcedOf('n');
  const hiddenSet = gateUnits(units, nOf, k, forcedUnits.keys());
  const hidden = new Map([...hiddenSet].map((key) => [key, forcedUnits.get(key) ?? hiddenReason(nOf(key), k)]));
  const withheld = (key: string): HiddenReason => hidden.get(key) ?? (state.countsOnly ? 'counts-only' : 'small');
  const items = analysableItems(definition).map((meta) => {
    const raw = new Map(units.map((u) => [u.key, itemFigures(meta, cells.get(u.key))]));
    const answered = (key: string) => raw.get(key)?.n ?? 0;
    const forcedHere = forcedOf(meta.id);
    const visible = gateItem({ units, hidden: new Set([...hiddenSet, ...forcedHere.keys()]), k, sensitive: Boolean(meta.sensitive), answered });
    const figures = new Map<string, GatedFigures>(
      units.map((u) => {
        if (state.countsOnly || hidden.has(u.key)) return [u.key, { kind: 'suppressed', reason: withheld(u.key) }];
        if (!visible(u.key)) return [u.key, { kind: 'suppressed', reason: forcedHere.get(u.key) ?? (meta.sensitive && u.level !== 'university' && u.level !== 'faculty' ? 'sensitive' : hiddenReason(answered(u.key), k)) }];
        return [u.key, raw.get(u.key)!];
      }),
    );
    return { meta, figures, answered: new Map(units.map((u) => [u.key, answered(u.key)])) };
  });
  const scales = scaleMembers(definition).map((scale) => {
    const sensitive = scale.members.some((m) => m.sensitive);
    const accOf = (key: string) => ScaleAccumulator.fromCounters(scale.members.length, cells.get(key)?.items[scaleKey(scale.id)] ?? {});
    const accs = new Map(units.map((u) => [u.key, accOf(u.key)]));
    const forcedHere = forcedOf(scaleKey(scale.id));
    const gate = gateScale({ units, hidden: new Set([...hiddenSet, ...forcedHere.keys()]), k, sensitive, indexN: (key) => accs.get(key)!.index().n, alphaN: (key) => accs.get(key)!.alpha().n });
    const cellsOut = new Map<string, ScaleCell | { suppressed: HiddenReason }>(
      units.map((u) => {
        const g = gate(u.key);
        if (state.countsOnly || hidden.has(u.key)) return [u.key, { suppressed: withheld(u.key) }];
        if (!g.index) return [u.key, { suppressed: forcedHere.get(u.key) ?? (sensitive && u.level !== 'university' && u.level !== 'faculty' ? 'sensitive' : hiddenReason(accs.get(u.key)!.index().n, k)) }];
        const acc = accs.get(u.key)!;
        return [u.key, { index: acc.index(), alpha: g.alpha ? acc.alpha() : null }];
      }),
    );
    return { id: scale.id, cells: cellsOut };
  });
  return { final: state.final, mode: state.mode, definition, units, n, hidden, late: state.late ?? new Map(), items, scales };
}

/** What in a campaign document shapes its tree (audience, targets, pinned version, live setting), for the cache key. */
const shapeOf = (c: CampaignDoc) => JSON.stringify([c.instrument, c.audience, c.faculties, c.programmes, c.targetSize, c.liveResults ?? null]);

const MAX_ENTRIES = 200;

/** Tree figures per campaign and k, reused while the state they were computed from is unchanged. */
export class FiguresCache {
  private entries = new Map<string, { key: string; org: OrgView; value: Promise<TreeFigures> }>();
  /** How many times a tree was computed (the rest were served from the cache). */
  computations = 0;

  /**
   * The tree at the suppression threshold `k`; with `publishK`, the same view (cuts and final view made at
   * `k`, as staff saw them) re-gated at the higher public threshold, so nothing public differs from what
   * staff could already see. `countersStamp`: the counters' stamp the caller has just read (with the live
   * count), which spares a lookup of the campaign's largest document on every read.
   */
  async of(campaign: CampaignDoc, k: number, publishK?: number, countersStamp?: string): Promise<TreeFigures> {
    const final = effectiveStatus(campaign) === 'closed';
    const [org, stamp] = await Promise.all([orgView(), this.stampOf(campaign._id, countersStamp)]);
    const slot = `${campaign._id}|${k}|${publishK ?? ''}`;
    const key = `${final}|${stamp}|${shapeOf(campaign)}`;
    const hit = this.entries.get(slot);
    if (hit && hit.key === key && hit.org === org) {
      this.entries.delete(slot); // most recently used last
      this.entries.set(slot, hit);
      return hit.value;
    }
    const computing = this.compute(campaign, k, publishK, final, org, stamp);
    const value = computing.then((r) => r.figures);
    this.entries.set(slot, { key, org, value });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    computing.then(
      // The counters read may be newer than the stamps checked first: file them under their own.
      (r) => {
        const entry = this.entries.get(slot);
        if (entry?.value === value) entry.key = `${final}|${r.stamp}|${shapeOf(campaign)}`;
      },
      () => {
        if (this.entries.get(slot)?.value === value) this.entries.delete(slot);
      },
    );
    return value;
  }

  /** Changes whenever the campaign's counters or its released cut do. */
  private async stampOf(campaignId: string, countersStamp?: string): Promise<string> {
    const [counters, release] = await Promise.all([countersStamp ?? readLiveTotals(campaignId).then((t) => t.stamp), readReleaseStamp(campaignId)]);
    return `${counters}/${release}`;
  }

  /** `checked`: the stamps just read by of(), the "before" of the first attempt (each stamp read costs a lookup of a large document). */
  private async compute(campaign: CampaignDoc, k: number, publishK: number | undefined, final: boolean, org: OrgView, checked: string): Promise<{ figures: TreeFigures; stamp: string }> {
    this.computations++;
    const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
    const units = campaignUnits(campaign, org, unitTargets(campaign, targetFrom(campaign.audience.kind, definition.audience), org));
    const mode = liveResultsOf(campaign, definition);
    const gateK = publishK ?? k;
    // The counters span five documents and the cut one: read them between two identical stamps.
    for (let attempt = 0; ; attempt++) {
      const before = attempt === 0 ? checked : await this.stampOf(campaign._id);
      const [aggregates, release] = await Promise.all([readAggregates(campaign._id), readRelease(campaign._id)]);
      const after = await this.stampOf(campaign._id);
      if (before !== after && attempt < 3) continue;
      const counters = countersByKey(aggregates, units);
      const included = new Map(units.map((u) => [u.key, release.regions[u.key] ?? { n: 0, items: {} }]));
      if (final) {
        const view = finalView(units, ownCounters(units, counters), included, k);
        const late = new Map(units.map((u) => [u.key, view.figures.get(u.key)?.get('n')?.late ?? 0]));
        const forced = (unit: string, figure: string) => view.figures.get(unit)?.get(figure)?.hidden;
        return { figures: gateTree(definition, units, view.cells, gateK, { final, mode, countsOnly: false, late, forced }), stamp: after };
      }
      if (mode === 'counts') {
        const cells = new Map(units.map((u) => [u.key, { n: counters(u.key)?.n ?? 0, items: {} }]));
        return { figures: gateTree(definition, units, cells, gateK, { final, mode, countsOnly: true }), stamp: after };
      }
      return { figures: gateTree(definition, units, unitCells(units, included), gateK, { final, mode, countsOnly: false }), stamp: after };
    }
  }
}
