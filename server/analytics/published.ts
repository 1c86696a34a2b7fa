// The public summary of a closed campaign: the dashboards' gated results, read across the whole
// university at the published threshold (PUBLISHED_K), plus two rules of publication practice (the UK
// NSS publishes only with n ≥ 10 and a response rate of at least 50 %): a group whose response rate is
// known and below 50 % is withheld, and nothing but counts and figures is public (no comments, no tests).
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { findPublishedCampaign } from '../campaigns/publishing.js';
import { resultsFor, type CampaignResults } from './service.js';

export const MIN_PUBLISHED_RATE = 0.5;

/** Results as the public may see them: the one gate at k, then low-response groups withheld. */
export async function publishedResults(campaignId: string, options: { unit?: string; k: number }): Promise<CampaignResults> {
  const campaign = await findPublishedCampaign(campaignId);
  // Public figures cover every unit of the structure: the scope is the whole university, the gate is k.
  const results = await resultsFor(SYSTEM_ACTOR, campaign, options);
  const withheld = new Set(results.units.filter((u) => !u.suppressed && u.rate != null && u.rate < MIN_PUBLISHED_RATE).map((u) => u.key));
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
        figures: Object.fromEntries(Object.entries(item.figures).map(([key, f]) => [key, withheld.has(key) ? { kind: 'suppressed' as const } : f])),
      })),
  };
}
