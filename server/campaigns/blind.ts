// Whether a campaign's responses need a blind-signed credential (RFC 9474, server/credentials/) instead
// of a token at submission: "anonymity against the operator". On by default for instruments with
// sensitive (integrity) items, like the counts-only dashboards; fixed once the campaign has opened, because
// responses given with tokens and with credentials must not share one campaign.
import type { Definition } from '../instruments/schema.js';
import { hasSensitiveItems } from './live-results.js';
import type { CampaignDoc } from './model.js';

export const defaultBlindCredentials = (def: Definition): boolean => hasSensitiveItems(def);

/** Campaigns created before the option existed have none: off. */
export const usesBlindCredentials = (campaign: Pick<CampaignDoc, 'blindCredentials'>): boolean => campaign.blindCredentials === true;
