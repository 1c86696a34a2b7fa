// Which campaigns have a public verification page: those with blind credentials that have been opened (a
// draft is nobody's business yet). The same rule for the page and its JSON.
import type { CampaignDoc } from '../campaigns/model.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { findCampaign } from '../campaigns/service.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import { notFound } from '../lib/errors.js';

export async function verifiableCampaign(id: string): Promise<CampaignDoc> {
  const campaign = CAMPAIGN_ID.test(id) ? await findCampaign(id) : null;
  if (!campaign || !usesBlindCredentials(campaign) || campaign.status === 'draft') throw notFound('There is no survey with blind credentials at this address.');
  return campaign;
}
