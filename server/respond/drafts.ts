// Partial answers for save-and-resume. A draft holds no more than the response will (answers, segment)
// plus the random submission id; it is found by the hash of a key kept only in the
// respondent's cookie, deleted on submit, and swept once its campaign has closed.
import mongoose, { Schema } from 'mongoose';
import { randomBase32, sha256 } from '../lib/ids.js';
import type { StoredAnswers } from '../responses/answers.js';
import type { Segment } from '../responses/segment.js';

export interface DraftDoc {
  _id: string;
  campaign: string;
  answers: StoredAnswers;
  segment: Segment;
  submissionId: string;
  expiresAt: Date;
}

export const Draft = mongoose.model<DraftDoc>(
  'Draft',
  new Schema<DraftDoc>(
    { _id: String, campaign: String, answers: { type: Schema.Types.Mixed, default: {} }, segment: { type: Schema.Types.Mixed, default: {} }, submissionId: String, expiresAt: Date },
    { versionKey: false, minimize: false },
  ),
  'drafts',
);

const draftId = (key: string) => sha256('draft:' + key);

export async function createDraft(campaign: string, expiresAt: Date, segment: Segment): Promise<{ key: string; draft: DraftDoc }> {
  const key = randomBase32(26);
  const draft: DraftDoc = { _id: draftId(key), campaign, answers: {}, segment, submissionId: randomBase32(26), expiresAt };
  await Draft.create(draft);
  return { key, draft };
}

export async function loadDraft(key: string | undefined, campaign: string): Promise<DraftDoc | null> {
  if (!key || !/^[0-9a-z]{26}$/.test(key)) return null;
  const draft = (await Draft.findById(draftId(key)).lean()) as DraftDoc | null;
  return draft && draft.campaign === campaign ? draft : null;
}

export async function saveDraft(draft: DraftDoc): Promise<void> {
  await Draft.updateOne({ _id: draft._id }, { $set: { answers: draft.answers, segment: draft.segment } });
}

export async function deleteDraft(draft: DraftDoc): Promise<void> {
  await Draft.deleteOne({ _id: draft._id });
}

/** Removes drafts whose campaign has closed (a scan of a small collection, run by a timer, never per request). */
export async function sweepExpiredDrafts(now = new Date()): Promise<number> {
  const result = await Draft.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
