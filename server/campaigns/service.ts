// Campaign lifecycle and access: create, edit, open, close, list by scope. Scope is checked here, from
// the actor, for every campaign (a council member sees campaigns that touch their faculties).
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/service.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../lib/errors.js';
import { newId, randomBase32 } from '../lib/ids.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { idSchema, localizedText } from '../instruments/schema.js';
import { dateTimeInput } from '../lib/iso-date.js';
import { academicYearSchema } from './dates.js';
import { audienceScope } from './audience.js';
import { defaultLiveResults, LIVE_RESULTS } from './live-results.js';
import { defaultBlindCredentials } from './blind.js';
import { orgView } from './org-view.js';
import { targetFrom } from './target.js';
import { Campaign, CampaignLink, effectiveStatus, AUDIENCE_KINDS, type CampaignDoc } from './model.js';

/** The API's campaign body: strict JSON (no coercion: "12" or null is not a number, a date has a timezone). */
export const campaignInput = z.strictObject({
  title: localizedText,
  instrument: z.strictObject({ id: idSchema, version: z.number().int().min(1).max(100_000) }),
  audience: z.strictObject({ kind: z.enum(AUDIENCE_KINDS), ids: z.array(z.string().min(1).max(60)).max(200).default([]) }),
  academicYear: academicYearSchema,
  opensAt: dateTimeInput,
  closesAt: dateTimeInput.describe('after opensAt'),
  targetSize: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1_000_000)
    .optional()
    .describe('only for audiences without enrolment in the structure (contacts, disciplines, or an instrument for employers, alumni, staff or external reviewers): the number of people asked. Students of the university, faculties, programmes or cohorts are counted by the cohorts\u2019 sizes: leave it out'),
  openLinkEnabled: z.boolean().default(true),
  openLinkCap: z.number().int().min(0).max(10_000_000).default(0).describe('responses through the open link; 0 = no cap'),
  /** What dashboards show while it is open; omitted: counts only for instruments with sensitive items, else live figures. */
  liveResults: z.enum(LIVE_RESULTS).optional(),
  /** Responses need a blind-signed credential, not a token; omitted: on for instruments with sensitive items. Fixed once opened. */
  blindCredentials: z.boolean().optional(),
});
export type CampaignInput = z.infer<typeof campaignInput>;

const targetError = (code: 'target_from_enrolment' | 'target_required', message: string) => new AppError(400, code, message, [{ path: 'targetSize', message }]);

/** A short cache of campaigns by id for the respondent path (reads by _id only). */
const cache = new Map<string, { doc: CampaignDoc; at: number }>();
const CACHE_MS = 5_000;

export function forgetCampaign(id: string): void {
  cache.delete(id);
}

export async function findCampaign(id: string): Promise<CampaignDoc | null> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.doc;
  const doc = (await Campaign.findById(id).lean()) as CampaignDoc | null;
  if (doc) cache.set(id, { doc, at: Date.now() });
  return doc;
}

/** Link slugs never change their campaign, so they are remembered once found. */
const linkCache = new Map<string, string>();

export async function findCampaignByLink(linkId: string): Promise<CampaignDoc | null> {
  if (!/^[0-9a-z]{6,40}$/.test(linkId)) return null;
  let campaignId = linkCache.get(linkId);
  if (!campaignId) {
    const link = await CampaignLink.findById(linkId).lean();
    if (!link) return null;
    campaignId = link.campaign;
    if (linkCache.size < 100_000) linkCache.set(linkId, campaignId);
  }
  return findCampaign(campaignId);
}

/** May the actor see this campaign (and its results within their scope)? */
export function canSeeCampaign(actor: Actor, c: Pick<CampaignDoc, 'faculties' | 'programmes'>): boolean {
  if (actor.role === 'admin') return true;
  if (actor.faculties.some((f) => c.faculties.includes(f))) return true;
  if (actor.programmes.some((p) => c.programmes.includes(p))) return true;
  return false;
}

export function requireManager(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('Only the quality-assurance department (admins) can create or change campaigns.');
}

export async function getCampaign(actor: Actor, id: string): Promise<CampaignDoc> {
  const doc = await findCampaign(id);
  if (!doc || !canSeeCampaign(actor, doc)) throw notFound('There is no such campaign, or it is outside your scope.');
  return doc;
}

export async function listCampaigns(actor: Actor, filter: { academicYear?: string } = {}): Promise<CampaignDoc[]> {
  const docs = (await Campaign.find(filter.academicYear ? { academicYear: filter.academicYear } : {}).lean()) as CampaignDoc[];
  return docs.filter((c) => canSeeCampaign(actor, c)).sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime());
}

/** A 400 that names the field it is about (details[].path), so a form can show it next to that field. */
const fieldError = (path: string, message: string) => badRequest(message, [{ path, message }]);

/** Which units of the structure an audience kind names (contacts may name programmes). */
const UNIT_LIST = { faculty: 'faculties', programme: 'programmes', cohort: 'cohorts', discipline: 'disciplines', contacts: 'programmes' } as const;

async function checkInput(input: CampaignInput): Promise<{ faculties: string[]; programmes: string[]; liveResults: 'counts' | 'figures'; blindCredentials: boolean; targetSize: number }> {
  if (input.closesAt <= input.opensAt) throw fieldError('closesAt', 'The closing date must be after the opening date.');
  const definition = await getPublishedDefinition(input.instrument.id, input.instrument.version).catch(() => {
    throw fieldError('instrument', `Instrument ${input.instrument.id} version ${input.instrument.version} is not published; publish it first.`);
  });
  const { kind, ids } = input.audience;
  if (kind !== 'university' && kind !== 'contacts' && ids.length === 0) {
    throw fieldError('audience.ids', `Choose at least one ${kind} for the audience.`);
  }
  if (kind === 'university' && ids.length) throw fieldError('audience.ids', 'A university-wide audience names no units; leave audience.ids empty.');
  if (kind !== 'university') {
    const known = new Set((await orgView())[UNIT_LIST[kind]].map((u) => u.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) {
      const noun = kind === 'contacts' ? 'programme' : kind;
      throw fieldError('audience.ids', `Unknown ${noun}${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}. Choose units of the university structure that are not archived.`);
    }
  }
  // One notion of the target (target.ts): enrolment where the structure has it, stated where it has none.
  if (targetFrom(kind, definition.audience) === 'enrolment') {
    if (input.targetSize !== undefined) throw targetError('target_from_enrolment', 'The target of a student survey of the university, faculties, programmes or cohorts is their enrolment (the cohorts\u2019 sizes in the structure): leave targetSize out, and keep the cohort sizes up to date.');
  } else if (input.targetSize === undefined) {
    throw targetError('target_required', 'This audience has no enrolment in the structure (invited contacts, a course evaluation, or employers, alumni, staff or external reviewers): give targetSize, the number of people you ask.');
  }
  return {
    ...(await audienceScope(input.audience)),
    liveResults: input.liveResults ?? defaultLiveResults(definition),
    blindCredentials: input.blindCredentials ?? defaultBlindCredentials(definition),
    targetSize: input.targetSize ?? 0,
  };
}

/** What the audit log keeps of a campaign (no link slug: it is the campaign's public address). */
function auditView(c: CampaignDoc): Record<string, unknown> {
  return {
    title: c.title,
    instrument: `${c.instrument.id}@${c.instrument.version}`,
    audience: c.audience,
    academicYear: c.academicYear,
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    status: c.status,
    targetSize: c.targetSize,
    openLinkEnabled: c.openLinkEnabled,
    openLinkCap: c.openLinkCap,
    liveResults: c.liveResults,
    blindCredentials: c.blindCredentials === true,
  };
}

export async function createCampaign(actor: Actor, input: CampaignInput, status: 'draft' | 'open' = 'draft'): Promise<CampaignDoc> {
  requireManager(actor);
  const scope = await checkInput(input);
  const doc: CampaignDoc = {
    _id: newId('c'),
    ...input,
    ...scope,
    status,
    ownerId: actor.userId,
    linkId: randomBase32(10),
    createdAt: new Date(),
  };
  await CampaignLink.create({ _id: doc.linkId, campaign: doc._id });
  await Campaign.create(doc);
  await recordAudit(actor, { action: 'create', entity: 'campaigns', entityId: doc._id, after: auditView(doc) });
  return doc;
}

export async function updateCampaign(actor: Actor, id: string, input: CampaignInput): Promise<CampaignDoc> {
  requireManager(actor);
  const current = await getCampaign(actor, id);
  if (current.publishedAt) throw conflict('The summary of this campaign is public: take it down before changing the campaign, so the public figures never change unseen.');
  if (current.status !== 'draft' && (current.instrument.id !== input.instrument.id || current.instrument.version !== input.instrument.version)) {
    throw conflict('The instrument of a campaign that has opened cannot change: its responses answer that version.');
  }
  // A campaign that has closed stays closed: a new window would add cuts after its final view was seen.
  if (effectiveStatus(current) === 'closed' && effectiveStatus({ ...current, ...input }) !== 'closed') throw conflict('A closed campaign cannot be reopened; create a new campaign.');
  // Responses given with tokens and with blind credentials must not share a campaign.
  const blind = input.blindCredentials ?? (current.status === 'draft' ? undefined : current.blindCredentials === true);
  if (current.status !== 'draft' && blind !== (current.blindCredentials === true)) {
    throw new AppError(409, 'credentials_locked', 'Whether responses need blind credentials cannot change once the campaign has opened.', [{ path: 'blindCredentials', message: 'fixed once the campaign has opened' }]);
  }
  const scope = await checkInput({ ...input, liveResults: input.liveResults ?? current.liveResults, blindCredentials: blind });
  await Campaign.updateOne({ _id: id }, { $set: { ...input, ...scope } });
  forgetCampaign(id);
  const updated = { ...current, ...input, ...scope };
  const diff = changedFields(auditView(current), auditView(updated));
  if (Object.keys(diff.after).length) await recordAudit(actor, { action: 'update', entity: 'campaigns', entityId: id, ...diff });
  return updated;
}

export async function setCampaignStatus(actor: Actor, id: string, status: 'open' | 'closed'): Promise<CampaignDoc> {
  requireManager(actor);
  const current = await getCampaign(actor, id);
  if (current.status === 'closed' && status === 'open') throw conflict('A closed campaign cannot be reopened; create a new campaign.');
  if (current.status === status) return current;
  await Campaign.updateOne({ _id: id }, { $set: { status } });
  forgetCampaign(id);
  await recordAudit(actor, { action: status === 'open' ? 'open' : 'close', entity: 'campaigns', entityId: id, before: { status: current.status }, after: { status } });
  return { ...current, status };
}

export { effectiveStatus };
