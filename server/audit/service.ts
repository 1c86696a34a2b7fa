// recordAudit() is how any feature writes the audit log; listAudit() reads it for admins, newest first.
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { forbidden } from '../lib/errors.js';
import { AuditEntry } from './model.js';

/** Which page of the log, filtered by entity (the page and the API read the same query). */
export const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  entity: z.string().regex(/^[a-z_]{1,40}$/).optional(),
  entityId: z.string().min(1).max(80).optional(),
});

export interface AuditInput {
  /** What was done: "create", "update", "archive", "disable", "import", … */
  action: string;
  /** The collection, e.g. "users", "programmes", "campaigns". */
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditView {
  id: string;
  at: string;
  actorId: string;
  actorEmail: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Keys whose values must never reach the log, at any depth. */
const SECRET_KEY = /pass(word)?|hash|secret|token|salt|answers?$|responses?$/i;
const MAX_DEPTH = 6;

/** A copy that is safe to store: secret-looking keys dropped, dates kept, keys MongoDB refuses ($x, a.b) renamed. */
export function redactForAudit(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value;
  if (typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 500).map((v) => redactForAudit(v, depth + 1));
  const source = typeof (value as { toObject?: unknown }).toObject === 'function' ? (value as { toObject(): object }).toObject() : value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(source)) {
    if (SECRET_KEY.test(key) || key === '__v' || v === undefined) continue;
    out[key.replace(/^\$/, '_').replace(/\./g, '_')] = redactForAudit(v, depth + 1);
  }
  return out;
}

/** Only the keys that changed, so an entry shows what an edit did. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/** Records who did what to which object. Await it: an administrative change without its entry is a bug. */
export async function recordAudit(actor: Pick<Actor, 'userId' | 'email'>, input: AuditInput): Promise<void> {
  await recordAuditMany(actor, [input]);
}

/** Many entries in one insert (a CSV import records one entry per created unit). */
export async function recordAuditMany(actor: Pick<Actor, 'userId' | 'email'>, inputs: AuditInput[]): Promise<void> {
  if (!inputs.length) return;
  const at = new Date();
  await AuditEntry.insertMany(
    inputs.map((input) => ({
      at,
      actorId: actor.userId,
      actorEmail: actor.email,
      action: input.action,
      entity: input.entity,
      entityId: input.entityId,
      ...(input.before === undefined ? {} : { before: redactForAudit(input.before) }),
      ...(input.after === undefined ? {} : { after: redactForAudit(input.after) }),
    })),
  );
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  entity?: string;
  entityId?: string;
}

export interface AuditPage {
  items: AuditView[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

/** Admins only. The log is read rarely and by few people, so the scan this costs is acceptable. */
export async function listAudit(actor: Actor, query: AuditQuery): Promise<AuditPage> {
  if (actor.role !== 'admin') throw forbidden('Only the quality assurance department can read the audit log.');
  const filter: Record<string, string> = {};
  if (query.entity) filter.entity = query.entity;
  if (query.entityId) filter.entityId = query.entityId;
  const total = await AuditEntry.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(Math.max(1, query.page), pages);
  const docs = await AuditEntry.find(filter)
    .sort({ at: -1, _id: -1 })
    .skip((page - 1) * query.pageSize)
    .limit(query.pageSize)
    .lean();
  const items = docs.map((d) => ({
    id: String(d._id),
    at: d.at.toISOString(),
    actorId: d.actorId,
    actorEmail: d.actorEmail,
    action: d.action,
    entity: d.entity,
    entityId: d.entityId,
    ...(d.before === undefined ? {} : { before: d.before }),
    ...(d.after === undefined ? {} : { after: d.after }),
  }));
  return { items, page, pageSize: query.pageSize, total, pages };
}
