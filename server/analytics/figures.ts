// Figures of a campaign's whole tree at one state — the released cut while open, the final counters once
// closed — with every unit and every item through the gate. Computed once per state (keyed by the stamp
// of what was read) and shared by every viewer, push and export: a viewer's results are a projection of
// this (results.ts), never a second computation.
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import type { OrgView } from '../campaigns/audience.js';
import { orgView } from '../campaigns/org-view.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { Definition } from '../instruments/schema.js';
import { safeKey, UNIVERSITY_UNIT } from '../responses/index.js';
import { readAggregates, readLiveTotals, type CampaignAggregates, type UnitCounters } from './aggregates/store.js';
import { analysableItems, itemFigures, type ItemFigures, type ItemMeta } from './item-figures.js';
import { readRelease, readReleaseStamp } from './releases.js';
import { gateItem, gateUnits } from './suppression.js';
import { campaignUnits, type ResultUnit } from './units.js';

export type GatedFigures = ItemFigures | { kind: 'suppressed' };

export interface TreeFigures {
  final: boolean;
  definition: Definition;
  units: ResultUnit[];
  /** Responses per unit key in these figures (released or final). */
  n: ReadonlyMap<string, number>;
  /** Units hidden by the unit gate (below k, or hidden so that no subtraction reveals a small group). */
  hidden: ReadonlySet<string>;
  items: { meta: ItemMeta; figures: ReadonlyMap<string, GatedFigures> }[];
}

export const countersOf = (agg: CampaignAggregates, unit: ResultUnit): UnitCounters | undefined => agg[unit.level][unit.level === 'university' ? UNIVERSITY_UNIT : safeKey(unit.id)];

/** Gates every unit and item of the tree: pure, from counters. */
export function gateTree(definition: Definition, units: ResultUnit[], agg: CampaignAggregates, k: number, final: boolean): TreeFigures {
  const n = new Map(units.map((u) => [u.key, countersOf(agg, u)?.n ?? 0]));
  const hidden = gateUnits(units, (key) => n.get(key) ?? 0, k);
  const items = analysableItems(definition).map((meta) => {
    const raw = new Map(units.map((u) => [u.key, itemFigures(meta, countersOf(agg, u))]));
    const visible = gateItem({ units, hidden, k, sensitive: Boolean(meta.sensitive), answered: (key) => raw.get(key)?.n ?? 0 });
    const figures = new Map<string, GatedFigures>(units.map((u) => [u.key, visible(u.key) ? raw.get(u.key)! : { kind: 'suppressed' }]));
    return { meta, figures };
  });
  return { final, definition, units, n, hidden, items };
}

/** What in a campaign document shapes its tree (audience, targets, pinned version), for the cache key. */
const shapeOf = (c: CampaignDoc) => JSON.stringify([c.instrument, c.audience, c.faculties, c.programmes, c.targetSize]);

const MAX_ENTRIES = 200;

/** Tree figures per campaign and k, reused while the state they were computed from is unchanged. */
export class FiguresCache {
  private entries = new Map<string, { key: string; org: OrgView; value: Promise<TreeFigures> }>();
  /** How many times a tree was computed (the rest were served from the cache). */
  computations = 0;

  async of(campaign: CampaignDoc, k: number): Promise<TreeFigures> {
    const final = effectiveStatus(campaign) === 'closed';
    const [org, stamp] = await Promise.all([orgView(), final ? readLiveTotals(campaign._id).then((t) => t.stamp) : readReleaseStamp(campaign._id)]);
    const slot = `${campaign._id}|${k}`;
    const key = `${final}|${stamp}|${shapeOf(campaign)}`;
    const hit = this.entries.get(slot);
    if (hit && hit.key === key && hit.org === org) {
      this.entries.delete(slot); // most recently used last
      this.entries.set(slot, hit);
      return hit.value;
    }
    const computing = this.compute(campaign, k, final, org);
    const value = computing.then((r) => r.figures);
    this.entries.set(slot, { key, org, value });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    computing.then(
      // The counters read may be newer than the stamp checked first: file them under their own stamp.
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

  private async compute(campaign: CampaignDoc, k: number, final: boolean, org: OrgView): Promise<{ figures: TreeFigures; stamp: string }> {
    this.computations++;
    const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
    const units = campaignUnits(campaign, org);
    if (!final) {
      const release = await readRelease(campaign._id);
      return { figures: gateTree(definition, units, release.aggregates, k, false), stamp: release.stamp };
    }
    // Final counters span five documents: read them between two identical stamps (a flush writes its stamp last).
    for (let attempt = 0; ; attempt++) {
      const before = (await readLiveTotals(campaign._id)).stamp;
      const aggregates = await readAggregates(campaign._id);
      const after = (await readLiveTotals(campaign._id)).stamp;
      if (before === after || attempt >= 3) return { figures: gateTree(definition, units, aggregates, k, true), stamp: after };
    }
  }
}
