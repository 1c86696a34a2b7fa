// The register of corrective and preventive actions: what, who, by when, its state, the evidence it was
// done (links and small files), the figures it means to move, and an optional public "you said, we did"
// text in kk/ru/en. Overdue = not done or cancelled and past its due day.
import { localDay } from '../lib/dates.js';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/service.js';
import { getCampaign } from '../campaigns/service.js';
import { AppError, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { localizedText } from '../instruments/schema.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { assertEditFaculty, assertReadFaculty, canEditFaculty, canReadAction, canReadFaculty } from './access.js';
import { forgetPublicActions } from './public-actions.js';
import { ACTION_KINDS, ACTION_STATUSES, Action, EvidenceFile, type ActionDoc, type ActionTarget, type EvidenceFileDoc } from './model.js';

const day = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });
const targetInput = z.strictObject({
  campaign: z.string().regex(/^c[0-9a-z]{14}$/, 'is not a campaign id'),
  unit: z.string().regex(/^(university|(faculty|programme|cohort|discipline)~[A-Za-z0-9_-]{1,60})$/),
  item: z.string().max(60).optional(),
  scale: z.string().max(60).optional(),
});

export const actionInput = z.strictObject({
  title: z.string().trim().min(1, 'is required').max(300),
  description: z.string().trim().max(5_000).default(''),
  kind: z.enum(ACTION_KINDS),
  programme: z.string().max(40).optional(),
  owner: z.string().min(1, 'is required').max(40),
  dueOn: day,
  status: z.enum(ACTION_STATUSES).default('planned'),
  meeting: z.string().max(40).optional(),
  agendaItem: z.string().max(40).optional(),
  targets: z.array(targetInput).max(10).default([]),
  esg: z.array(z.string().regex(/^1\.(10|[1-9])$/)).max(10).default([]),
  public: z.boolean().default(false),
  publicText: localizedText.optional(),
});
export type ActionInput = z.input<typeof actionInput>;

export const EVIDENCE_TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};
export const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;

/**
 * The browser's type is only a claim: the bytes must agree (a file's signature; text must be UTF-8 without
 * control bytes), so a download never hands colleagues something else under a harmless name.
 */
function contentMatches(type: string, data: Buffer): boolean {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  switch (EVIDENCE_TYPES[type]) {
    case 'pdf':
      return starts(0x25, 0x50, 0x44, 0x46, 0x2d);
    case 'png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'jpg':
      return starts(0xff, 0xd8, 0xff);
    case 'docx':
    case 'xlsx':
      return starts(0x50, 0x4b, 0x03, 0x04);
    case 'txt':
    case 'csv':
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
        // eslint-disable-next-line no-control-regex -- rejecting control bytes is the point
        return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

const today = () => localDay(new Date());
export const isOverdue = (a: Pick<ActionDoc, 'status' | 'dueOn'>, on = today()) => (a.status === 'planned' || a.status === 'in_progress') && a.dueOn < on;

async function checkInput(actor: Actor, faculty: string, input: ActionInput) {
  const parsed = actionInput.parse(input);
  if (parsed.public && !parsed.publicText) throw new AppError(400, 'validation_failed', 'A public action needs its "you said, we did" text in kk, ru and en.', [{ path: 'publicText', message: 'is required for a public action' }]);
  const org = await loadOrgSnapshot();
  if (parsed.programme && org.programme.get(parsed.programme)?.faculty !== faculty) throw new AppError(400, 'validation_failed', 'The programme is not one of this faculty.', [{ path: 'programme', message: 'is not a programme of this faculty' }]);
  const targets: ActionTarget[] = [];
  for (const t of parsed.targets) {
    const campaign = await getCampaign(actor, t.campaign);
    targets.push({ ...t, instrument: campaign.instrument.id });
  }
  return { ...parsed, targets };
}

export async function listActions(actor: Actor, filter: { faculty?: string } = {}): Promise<ActionDoc[]> {
  if (filter.faculty) assertReadFaculty(actor, filter.faculty);
  // A small collection (tens of actions a year per faculty); scanned, then filtered by scope.
  const docs = (await Action.find(filter.faculty ? { faculty: filter.faculty } : {}).lean()) as ActionDoc[];
  return docs.filter((a) => canReadAction(actor, a)).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}

export async function getAction(actor: Actor, id: string): Promise<ActionDoc> {
  const doc = (await Action.findById(id).lean()) as ActionDoc | null;
  if (!doc || !canReadAction(actor, doc)) throw notFound('There is no such action, or it is outside your scope.');
  return doc;
}

export async function createAction(actor: Actor, faculty: string, input: ActionInput): Promise<ActionDoc> {
  assertEditFaculty(actor, faculty);
  const parsed = await checkInput(actor, faculty, input);
  const doc: ActionDoc = { _id: newId('act'), faculty, ...parsed, evidence: [], ...(parsed.status === 'done' ? { doneOn: today() } : {}), createdAt: new Date() };
  await Action.create(doc);
  forgetPublicActions();
  await recordAudit(actor, { action: 'create', entity: 'council_actions', entityId: doc._id, after: { title: doc.title, owner: doc.owner, dueOn: doc.dueOn, status: doc.status } });
  return doc;
}

async function editable(actor: Actor, id: string): Promise<ActionDoc> {
  const action = await getAction(actor, id);
  if (!canEditFaculty(actor, action.faculty)) assertEditFaculty(actor, action.faculty);
  return action;
}

async function save(actor: Actor, before: ActionDoc, after: ActionDoc): Promise<ActionDoc> {
  await Action.replaceOne({ _id: after._id }, after);
  forgetPublicActions();
  const diff = changedFields(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
  if (Object.keys(diff.after).length) await recordAudit(actor, { action: 'update', entity: 'council_actions', entityId: after._id, ...diff });
  return after;
}

export async function updateAction(actor: Actor, id: string, input: ActionInput): Promise<ActionDoc> {
  const before = await editable(actor, id);
  const parsed = await checkInput(actor, before.faculty, input);
  const doneOn = parsed.status === 'done' ? (before.doneOn ?? today()) : undefined;
  const after: ActionDoc = { ...before, ...parsed, doneOn };
  if (!doneOn) delete after.doneOn;
  if (!parsed.publicText) delete after.publicText;
  return save(actor, before, after);
}

export const linkInput = z.strictObject({ url: z.url({ protocol: /^https?$/, message: 'must be an http(s) address' }).max(2_000), label: z.string().trim().min(1, 'is required').max(300) });

export async function addEvidenceLink(actor: Actor, id: string, input: z.input<typeof linkInput>): Promise<ActionDoc> {
  const before = await editable(actor, id);
  const link = linkInput.parse(input);
  return save(actor, before, { ...before, evidence: [...before.evidence, { id: newId('ev'), kind: 'link', ...link }] });
}

export async function addEvidenceFile(actor: Actor, id: string, file: { name: string; type: string; data: Buffer }): Promise<ActionDoc> {
  const before = await editable(actor, id);
  if (!EVIDENCE_TYPES[file.type]) throw new AppError(415, 'unsupported_type', `Evidence files may be PDF, PNG, JPEG, TXT, CSV, DOCX or XLSX (this one is ${file.type || 'of an unknown type'}).`);
  if (file.data.length > MAX_EVIDENCE_BYTES) throw new AppError(413, 'payload_too_large', 'The file is larger than 2 MB.');
  if (!file.data.length) throw new AppError(400, 'validation_failed', 'The file is empty.');
  if (!contentMatches(file.type, file.data)) throw new AppError(415, 'unsupported_type', `The file's content is not ${EVIDENCE_TYPES[file.type]!.toUpperCase()}, whatever its name says.`);
  const name = file.name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || `evidence.${EVIDENCE_TYPES[file.type]}`;
  const fileId = newId('evf');
  await EvidenceFile.create({ _id: fileId, action: id, name, type: file.type, size: file.data.length, data: file.data });
  return save(actor, before, { ...before, evidence: [...before.evidence, { id: newId('ev'), kind: 'file', fileId, name, type: file.type, size: file.data.length }] });
}

export async function removeEvidence(actor: Actor, id: string, evidenceId: string): Promise<ActionDoc> {
  const before = await editable(actor, id);
  const gone = before.evidence.find((e) => e.id === evidenceId);
  if (!gone) throw notFound('There is no such evidence.');
  if (gone.kind === 'file') await EvidenceFile.deleteOne({ _id: gone.fileId });
  return save(actor, before, { ...before, evidence: before.evidence.filter((e) => e.id !== evidenceId) });
}

export async function evidenceFile(actor: Actor, id: string, fileId: string): Promise<EvidenceFileDoc> {
  const action = await getAction(actor, id);
  if (!action.evidence.some((e) => e.kind === 'file' && e.fileId === fileId)) throw notFound('There is no such file.');
  // Not lean: a lean read hands back the driver's Binary, which Express would send as JSON.
  const doc = await EvidenceFile.findById(fileId);
  if (!doc) throw notFound('There is no such file.');
  return { ...doc.toObject(), data: Buffer.from(doc.data) };
}

/** Overdue actions the actor may see (admin home, faculty and programme pages). */
export async function overdueActions(actor: Actor, filter: { faculty?: string; programme?: string } = {}): Promise<ActionDoc[]> {
  const all = await listActions(actor, filter.faculty && canReadFaculty(actor, filter.faculty) ? { faculty: filter.faculty } : {});
  return all.filter((a) => isOverdue(a) && (!filter.programme || a.programme === filter.programme) && (!filter.faculty || a.faculty === filter.faculty));
}
