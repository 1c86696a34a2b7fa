// The public summary of a closed campaign: the dashboards' gated results, read across the whole
// university at the published threshold (PUBLISHED_K), then the gate's publication rule (a group whose
// response rate is known and below 50 % is withheld); nothing but counts and figures is public (no
// comments, no tests, no daily counts).
import type { CampaignResults } from './results.js';
import { withheldForPublication } from './suppression.js';

export { MIN_PUBLISHED_RATE } from './suppression.js';

/** Results as the public may see them, from results computed at PUBLISHED_K over the whole university. */
export function publicSummary(results: CampaignResults): CampaignResults {
  const withheld = withheldForPublication(results.units);
  return {
    ...results,
    responses: { ...results.responses, daily: {} },
    units: results.units.map((u) => (withheld.has(u.key) ? { ...u, withheld: true } : u)),
    shown: results.shown.filter((key) => !withheld.has(key) || key === results.selected),
    items: results.items
      .filter((item) => item.type !== 'text')
      .map((item) => ({
        ...item,
        comparisons: [],
        figures: Object.fromEntries(Object.entries(item.figures).map(([key, f]) => [key, withheld.has(key) ? { kind: 'suppressed' as const, reason: 'low-rate' as const } : f])),
      })),
  };
}
