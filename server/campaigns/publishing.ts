// Public summaries (ESG 1.8, public information): once a campaign has closed, the quality department may
// make its figures public at /published/<id>. What is public is decided by the analytics feature at the
// published threshold; this file only keeps the switch, who may turn it, and the audit trail.
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import { conflict, notFound } from '../lib/errors.js';
import { Campaign, effectiveStatus, type CampaignDoc } from './model.js';
import { findCampaign, forgetCampaign, getCampaign, requireManager } from './service.js';

export async function setSummaryPublished(actor: Actor, id: string, published: boolean): Promise<CampaignDoc> {
  requireManager(actor);
  const current = await getCampaign(actor, id);
  if (published && effectiveStatus(current) !== 'closed') {
    throw conflict('Publish the summary once the campaign has closed: while it is open its figures still change.');
  }
  if (Boolean(current.publishedAt) === published) return current;
  const publishedAt = published ? new Date() : null;
  await Campaign.updateOne({ _id: id }, { $set: { publishedAt } });
  forgetCampaign(id);
  listCache = undefined;
  await recordAudit(actor, { action: published ? 'publish' : 'unpublish', entity: 'campaigns', entityId: id, before: { publishedAt: current.publishedAt ?? null }, after: { publishedAt } });
  return { ...current, publishedAt };
}

// The public list is read by anyone, so it is kept in memory for a minute (and dropped when this process
// publishes or unpublishes): a stranger reloading /published does not scan the campaigns collection
// through the connection the submissions use.
const LIST_CACHE_MS = 60_000;
let listCache: { at: number; docs: CampaignDoc[] } | undefined;

/** The campaigns whose summaries are public, newest first. */
export async function listPublishedCampaigns(): Promise<CampaignDoc[]> {
  if (listCache && Date.now() - listCache.at < LIST_CACHE_MS) return listCache.docs;
  const docs = ((await Campaign.find({}).lean()) as CampaignDoc[]).filter((c) => c.publishedAt && effectiveStatus(c) === 'closed').sort((a, b) => b.closesAt.getTime() - a.closesAt.getTime());
  listCache = { at: Date.now(), docs };
  return docs;
}

/** A campaign whose summary is public; anything else is "not found" (unpublished ones do not exist here). */
export async function findPublishedCampaign(id: string): Promise<CampaignDoc> {
  const doc = await findCampaign(id);
  if (!doc?.publishedAt || effectiveStatus(doc) !== 'closed') throw notFound('There is no published summary with this address.');
  return doc;
}
