// Everything a report or an export of one campaign at one group shows, asked from the analytics service
// (results, scales and comments, trends) for one viewer — never computed here. The group's own view (itself,
// its ancestors as context, its visible children, with its comparisons), and the same view of each visible
// group below it, so an export covers the whole part of the tree the viewer chose. Every figure is the one
// the dashboard shows for that group: they come from one gated computation of the campaign's state.
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import type { CampaignResults, GatedFigures, UnitView } from '../analytics/results.js';
import type { ScalesAndComments } from '../analytics/scales-comments.js';
import type { Trends } from '../analytics/trends.js';
import { treeOrder } from '../analytics/units.js';

export interface Collected {
  /** The chosen group's results, as the dashboard shows them. */
  results: CampaignResults;
  /** The chosen group's scales and comments, trends. */
  extras: ScalesAndComments;
  trends: Trends;
  /** Units covered: the chosen group's ancestors, itself and every group below it the viewer may see (tree order). */
  units: UnitView[];
  /** Per unit key (visible units only): per item id, the gated figures. */
  figures: Map<string, Map<string, GatedFigures>>;
  /** Per visible unit key: its scales (index, alpha, or why hidden). */
  scales: Map<string, ScalesAndComments['scales']>;
  /** Per unit whose own view was read (the chosen group and the visible groups under it): its comparisons. */
  views: CampaignResults[];
}

/** The chosen group's ancestors, itself and its descendants, from one results' list of units. */
export function subtreeWithContext(results: CampaignResults): UnitView[] {
  const byKey = new Map(results.units.map((u) => [u.key, u]));
  const under = (u: UnitView): boolean => {
    for (let p: UnitView | undefined = u; p; p = p.parent ? byKey.get(p.parent) : undefined) if (p.key === results.selected) return true;
    return false;
  };
  const ancestors = ancestorsOf(results);
  return treeOrder(results.units.filter((u) => ancestors.has(u.key) || under(u)));
}

export async function collectCampaign(analytics: Analytics, actor: Actor, campaignId: string, unit?: string): Promise<Collected> {
  // One state for the whole export: every group's view is projected from the same gated figures.
  const snapshot = await analytics.snapshot(actor, campaignId);
  const results = snapshot.results(unit);
  const extras = snapshot.scalesAndComments(results);
  const trends = await analytics.trends(actor, campaignId, { unit: results.selected }, results);
  const units = subtreeWithContext(results);
  const figures = new Map<string, Map<string, GatedFigures>>();
  const scales = new Map<string, ScalesAndComments['scales']>([[results.selected, extras.scales]]);
  const views: CampaignResults[] = [results];
  const take = (r: CampaignResults) => {
    for (const key of r.shown) {
      const byItem = figures.get(key) ?? new Map<string, GatedFigures>();
      for (const item of r.items) byItem.set(item.id, item.figures[key]!);
      figures.set(key, byItem);
    }
  };
  take(results);
  const ancestors = ancestorsOf(results);
  for (const u of units.filter((x) => !x.suppressed && x.key !== results.selected)) {
    const view = snapshot.results(u.key);
    // Each visible group below the chosen one: its own view gives its children's figures and its comparisons.
    if (!ancestors.has(u.key)) {
      views.push(view);
      take(view);
    }
    // Every visible group's scales (the ancestors' as context rows), as its own view shows them.
    scales.set(u.key, snapshot.scales(view));
  }
  return { results, extras, trends, units, figures, scales, views };
}

function ancestorsOf(results: CampaignResults): Set<string> {
  const byKey = new Map(results.units.map((u) => [u.key, u]));
  const out = new Set<string>();
  for (let p = byKey.get(results.selected)?.parent; p; p = byKey.get(p)?.parent) out.add(p);
  return out;
}
