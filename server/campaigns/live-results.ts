// What a campaign's dashboards show while it is open: "counts" — responses and response rates per group
// move live, every figure waits for closing (the default for instruments with sensitive, integrity
// items) — or "figures" — live figures in cuts of at least k new responses per group, at the price of
// final figures that may leave out a few late responses where they cannot be shown apart (README).
import type { Definition } from '../instruments/schema.js';
import type { CampaignDoc } from './model.js';

export const LIVE_RESULTS = ['counts', 'figures'] as const;
export type LiveResults = (typeof LIVE_RESULTS)[number];

/** Does the instrument ask anything sensitive (academic integrity)? */
export function hasSensitiveItems(def: Definition): boolean {
  return def.pages.some((p) => p.items.some((i) => i.sensitive || (i.type === 'matrix' && i.rows.some((r) => r.sensitive))));
}

export const defaultLiveResults = (def: Definition): LiveResults => (hasSensitiveItems(def) ? 'counts' : 'figures');

/** The campaign's setting; campaigns created before it existed follow their instrument's default. */
export const liveResultsOf = (campaign: Pick<CampaignDoc, 'liveResults'>, def: Definition): LiveResults => campaign.liveResults ?? defaultLiveResults(def);
