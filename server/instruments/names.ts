// Instrument versions by id ("student-satisfaction@2"), named "Title · v2", for pages that show what an id
// refers to (the audit log, a campaign's "instrument" field). One read for all ids.
import mongoose from 'mongoose';
import type { LocalizedText } from './schema.js';
import { InstrumentVersion } from './model.js';

const VERSION_ID = /^[a-z][a-z0-9_-]{0,47}@\d{1,6}$/;

export async function instrumentNames(ids: readonly string[]): Promise<Map<string, LocalizedText>> {
  const wanted = ids.filter((id) => VERSION_ID.test(id));
  if (!wanted.length) return new Map();
  // Trusted: the operator is ours (sanitizeFilter would turn it into $eq), the ids were filtered by pattern.
  const docs = await InstrumentVersion.find({ _id: mongoose.trusted({ $in: wanted }) as unknown as string }, { version: 1, 'definition.title': 1 }).lean<{ _id: string; version: number; definition: { title: LocalizedText } }[]>();
  const named = (d: (typeof docs)[number]) => {
    const v = ` · v${d.version}`;
    return { kk: d.definition.title.kk + v, ru: d.definition.title.ru + v, en: d.definition.title.en + v };
  };
  return new Map(docs.map((d) => [d._id, named(d)]));
}
