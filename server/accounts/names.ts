// Staff names by user id, for pages that show who did something (the audit log). One read for all ids.
import mongoose from 'mongoose';
import { User } from './model.js';

export async function userNames(ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = ids.filter((id) => /^usr_[0-9a-z]{16}$/.test(id));
  if (!wanted.length) return new Map();
  // Trusted: the operator is ours (sanitizeFilter would turn it into $eq), the ids were filtered by pattern.
  const docs = await User.find({ _id: mongoose.trusted({ $in: wanted }) as unknown as string }, { name: 1 }).lean<{ _id: string; name: string }[]>();
  return new Map(docs.map((d) => [d._id, d.name]));
}
