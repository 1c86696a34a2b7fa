// Campaign titles by id, for pages that show what an id refers to (the audit log). One read for all ids.
import mongoose from 'mongoose';
import type { LocalizedText } from '../instruments/schema.js';
import { CAMPAIGN_ID } from '../lib/schemas.js';
import { Campaign } from './model.js';

export async function campaignNames(ids: readonly string[]): Promise<Map<string, LocalizedText>> {
  const wanted = ids.filter((id) => CAMPAIGN_ID.test(id));
  if (!wanted.length) return new Map();
  // Trusted: the operator is ours (sanitizeFilter would turn it into $eq), the ids were filtered by pattern.
  const docs = await Campaign.find({ _id: mongoose.trusted({ $in: wanted }) as unknown as string }, { title: 1 }).lean<{ _id: string; title: LocalizedText }[]>();
  return new Map(docs.map((d) => [d._id, d.title]));
}
