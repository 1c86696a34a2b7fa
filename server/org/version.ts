// Which version of the structure a cached snapshot reflects. The version lives in one document read by _id
// (the fast path), so every process notices a change made by another, and a test that empties the
// collections (deleting this document too) never sees a stale snapshot.
import mongoose, { Schema } from 'mongoose';
import { randomBytes } from 'node:crypto';

interface VersionDoc {
  _id: string;
  value: string;
}

const OrgVersion = mongoose.model<VersionDoc>('OrgVersion', new Schema<VersionDoc>({ _id: String, value: String }, { versionKey: false, collection: 'org_meta' }));
const VERSION_ID = 'structure-version';

let localDirty = true;
const listeners = new Set<() => void>();

/** Reads the current version ("" when there is none yet). */
export async function currentOrgVersion(): Promise<string> {
  const doc = await OrgVersion.findById(VERSION_ID).lean<VersionDoc>();
  return doc?.value ?? '';
}

/** Marks the cache stale here at once and, in the database, for every other process. */
export function markOrgChanged(): Promise<void> {
  localDirty = true;
  for (const listener of listeners) listener();
  const write = OrgVersion.updateOne({ _id: VERSION_ID }, { $set: { value: randomBytes(8).toString('hex') } }, { upsert: true })
    .then(() => undefined)
    .catch(() => undefined); // a racing upsert (E11000) still leaves a new version
  return write;
}

export function takeLocalDirty(): boolean {
  const was = localDirty;
  localDirty = false;
  return was;
}

export function onOrgChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
