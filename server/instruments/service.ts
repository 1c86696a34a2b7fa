// Instrument versions: list, read, drafts, publish (freezes), new versions, clone, import/export.
// Only admins (the QA department) change instruments; every signed-in user may read them.
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../lib/errors.js';
import { diffDefinitions, type DefinitionDiff } from './diff.js';
import { loadLibrary } from './library.js';
import { InstrumentVersion, versionKey, type InstrumentVersionDoc } from './model.js';
import type { Definition } from './schema.js';
import { parseDefinition } from './validate.js';
import { definitionWarnings } from './warnings.js';

export interface InstrumentSummary {
  id: string;
  title: Definition['title'];
  audience: Definition['audience'];
  latestVersion: number;
  publishedVersion: number | null;
  hasDraft: boolean;
  source: InstrumentVersionDoc['source'];
}

/** Throws 403 unless the actor may change instruments (admins only). */
export function assertCanEditInstruments(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('Only the quality-assurance department (admins) can change instruments.');
}
const requireEditor = assertCanEditInstruments;

/** Ids the instrument pages use as words (/instruments/new, /instruments/import). */
export const RESERVED_INSTRUMENT_IDS = ['new', 'import'];

const auditEntity = 'instruments';
const diffSummary = (d: DefinitionDiff) => ({ added: d.added, removed: d.removed, reworded: d.reworded.map((r) => r.id), replaced: d.replaced });

/** Published versions never change, so they are cached for the respondent path. */
const publishedCache = new Map<string, Definition>();

export async function getPublishedDefinition(id: string, version: number): Promise<Definition> {
  const key = versionKey(id, version);
  const cached = publishedCache.get(key);
  if (cached) return cached;
  const doc = await InstrumentVersion.findById(key).lean();
  if (!doc || doc.status !== 'published') throw notFound(`Instrument ${key} is not published.`);
  publishedCache.set(key, doc.definition);
  return doc.definition;
}

export async function listInstruments(_actor: Actor): Promise<InstrumentSummary[]> {
  const docs = await InstrumentVersion.find({}, { definition: 1, instrumentId: 1, version: 1, status: 1, source: 1 }).lean();
  const byId = new Map<string, InstrumentVersionDoc[]>();
  for (const doc of docs) byId.set(doc.instrumentId, [...(byId.get(doc.instrumentId) ?? []), doc as InstrumentVersionDoc]);
  return [...byId.entries()]
    .map(([id, versions]) => {
      versions.sort((a, b) => b.version - a.version);
      const latest = versions[0]!;
      const published = versions.find((v) => v.status === 'published');
      return {
        id,
        title: latest.definition.title,
        audience: latest.definition.audience,
        latestVersion: latest.version,
        publishedVersion: published?.version ?? null,
        hasDraft: latest.status === 'draft',
        source: latest.source,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function listVersions(_actor: Actor, id: string): Promise<InstrumentVersionDoc[]> {
  const docs = await InstrumentVersion.find({ instrumentId: id }).lean();
  if (docs.length === 0) throw notFound(`There is no instrument "${id}".`);
  return (docs as InstrumentVersionDoc[]).sort((a, b) => b.version - a.version);
}

export async function getVersion(_actor: Actor, id: string, version: number): Promise<InstrumentVersionDoc> {
  const doc = await InstrumentVersion.findById(versionKey(id, version)).lean();
  if (!doc) throw notFound(`There is no version ${version} of instrument "${id}".`);
  return doc as InstrumentVersionDoc;
}

async function latestVersion(id: string): Promise<InstrumentVersionDoc | undefined> {
  const docs = (await InstrumentVersion.find({ instrumentId: id }).lean()) as InstrumentVersionDoc[];
  return docs.sort((a, b) => b.version - a.version)[0];
}

/** Creates a new instrument as a draft (version 1), or fails if the id is taken. */
export async function createInstrument(actor: Actor, input: unknown, source: InstrumentVersionDoc['source'] = 'user'): Promise<InstrumentVersionDoc> {
  requireEditor(actor);
  const definition = parseDefinition({ ...(input as object), version: 1 });
  if (RESERVED_INSTRUMENT_IDS.includes(definition.id)) throw new AppError(400, 'invalid_definition', `The id "${definition.id}" is reserved; choose another id.`, [{ path: 'id', message: 'reserved word' }]);
  if (await latestVersion(definition.id)) throw conflict(`An instrument with the id "${definition.id}" already exists; choose another id or edit it.`);
  const doc: InstrumentVersionDoc = {
    _id: versionKey(definition.id, 1),
    instrumentId: definition.id,
    version: 1,
    status: 'draft',
    source,
    definition,
    createdBy: actor.userId,
    createdAt: new Date(),
  };
  await insertUnique(doc);
  await recordAudit(actor, { action: source === 'user' ? 'create' : 'import', entity: auditEntity, entityId: doc._id, after: { title: definition.title, audience: definition.audience, source } });
  return doc;
}

async function insertUnique(doc: InstrumentVersionDoc): Promise<void> {
  try {
    await InstrumentVersion.create(doc);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw conflict(`Version ${doc.version} of "${doc.instrumentId}" already exists.`);
    throw err;
  }
}

/** Replaces the definition of a draft. A published version is refused: edit a new version instead. */
export async function updateDraft(actor: Actor, id: string, version: number, input: unknown): Promise<InstrumentVersionDoc> {
  requireEditor(actor);
  const current = await getVersion(actor, id, version);
  if (current.status === 'published') {
    throw new AppError(409, 'published_frozen', `Version ${version} of "${id}" is published and can no longer change. Create a new version to edit it.`);
  }
  const definition = parseDefinition({ ...(input as object), id, version });
  await InstrumentVersion.updateOne({ _id: current._id }, { $set: { definition } });
  await recordAudit(actor, { action: 'update', entity: auditEntity, entityId: current._id, after: diffSummary(diffDefinitions(current.definition, definition)) });
  return { ...current, definition };
}

/** Starts the next version as a draft copy of the latest one (items keep their ids). */
export async function newVersion(actor: Actor, id: string): Promise<InstrumentVersionDoc> {
  requireEditor(actor);
  const latest = await latestVersion(id);
  if (!latest) throw notFound(`There is no instrument "${id}".`);
  if (latest.status === 'draft') throw conflict(`Version ${latest.version} of "${id}" is already a draft; edit that one.`, 'draft_exists');
  const version = latest.version + 1;
  const doc: InstrumentVersionDoc = {
    _id: versionKey(id, version),
    instrumentId: id,
    version,
    status: 'draft',
    source: latest.source === 'library' ? 'user' : latest.source,
    definition: { ...latest.definition, version },
    createdBy: actor.userId,
    createdAt: new Date(),
  };
  await insertUnique(doc);
  await recordAudit(actor, { action: 'new_version', entity: auditEntity, entityId: doc._id, after: { from: latest._id } });
  return doc;
}

/** The diff shown before publishing, with the number of the published version it compares against. */
export async function diffForPublishing(actor: Actor, id: string, version: number): Promise<{ previousVersion: number | null; diff: DefinitionDiff | null }> {
  const current = await getVersion(actor, id, version);
  const previous = (await listVersions(actor, id)).find((v) => v.version < version && v.status === 'published');
  return { previousVersion: previous?.version ?? null, diff: previous ? diffDefinitions(previous.definition, current.definition) : null };
}

/**
 * Publishes a draft. While it has warnings (personal data asked in an anonymous survey, untranslated
 * copies) it is refused with 409 publish_warnings listing them, unless the caller confirms them.
 */
export async function publish(actor: Actor, id: string, version: number, options: { confirmWarnings?: boolean } = {}): Promise<InstrumentVersionDoc> {
  requireEditor(actor);
  const current = await getVersion(actor, id, version);
  if (current.status === 'published') throw conflict(`Version ${version} of "${id}" is already published.`, 'already_published');
  const definition = parseDefinition(current.definition);
  const warnings = definitionWarnings(definition);
  if (warnings.length && !options.confirmWarnings) {
    const kinds = [...new Set(warnings.map((w) => (w.kind === 'personal_data' ? 'asks for personal data' : 'has untranslated copies')))].join(' and ');
    throw new AppError(409, 'publish_warnings', `Version ${version} of "${id}" ${kinds} (${warnings.length} warnings); fix them, or confirm them to publish anyway.`, warnings);
  }
  const previous = (await listVersions(actor, id)).find((v) => v.version < version && v.status === 'published');
  const diff = previous ? diffDefinitions(previous.definition, definition) : undefined;
  if (previous && diff?.replacedUnknown.length) {
    throw badRequest(`These items say they replace items that version ${previous.version} does not have: ${diff.replacedUnknown.join(', ')}.`);
  }
  const publishedAt = new Date();
  await InstrumentVersion.updateOne({ _id: current._id, status: 'draft' }, { $set: { status: 'published', publishedAt } });
  await recordAudit(actor, { action: 'publish', entity: auditEntity, entityId: current._id, after: { previousVersion: previous?.version ?? null, ...(diff ? diffSummary(diff) : {}), ...(warnings.length ? { confirmedWarnings: warnings.length } : {}) } });
  return { ...current, status: 'published', publishedAt };
}

/** Copies an instrument under a new id as a draft. */
export async function cloneInstrument(actor: Actor, id: string, version: number, newId: string): Promise<InstrumentVersionDoc> {
  requireEditor(actor);
  const source = await getVersion(actor, id, version);
  return createInstrument(actor, { ...source.definition, id: newId });
}

/** Seeds the library (surveys/*.json) as published version 1 of each instrument, once. */
export async function seedLibrary(actor: Actor): Promise<number> {
  let added = 0;
  for (const definition of loadLibrary()) {
    const key = versionKey(definition.id, definition.version);
    if (await InstrumentVersion.exists({ _id: key })) continue;
    await insertUnique({
      _id: key,
      instrumentId: definition.id,
      version: definition.version,
      status: 'published',
      source: 'library',
      definition,
      createdBy: actor.userId,
      createdAt: new Date(),
      publishedAt: new Date(),
    });
    added++;
  }
  return added;
}
