// A faculty's council: its members (the groups order No. 595 names) and its quorum rule.
import mongoose from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/service.js';
import { newId } from '../lib/ids.js';
import { notFound } from '../lib/errors.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { assertEditFaculty, assertReadFaculty, canReadFaculty } from './access.js';
import type { LocalizedText } from '../instruments/schema.js';
import { User, type UserDoc } from '../accounts/model.js';
import { Council, MEMBER_GROUPS, MEMBER_ROLES, type CouncilDoc, type CouncilMember } from './model.js';

export const memberInput = z.strictObject({
  id: z.string().regex(/^m[0-9a-z]{14}$/).optional(),
  name: z.string().trim().min(1, 'is required').max(200),
  userId: z.string().max(40).optional(),
  group: z.enum(MEMBER_GROUPS),
  role: z.enum(MEMBER_ROLES).default('member'),
});
export const councilInput = z.strictObject({
  members: z.array(memberInput).max(100),
  quorum: z.number().min(0.3, 'must be at least 0.3').max(0.9, 'must be at most 0.9').default(0.5),
});
export type CouncilInput = z.input<typeof councilInput>;

async function assertFaculty(faculty: string): Promise<void> {
  const org = await loadOrgSnapshot();
  if (!org.faculty.has(faculty)) throw notFound('There is no such council, or it is outside your scope.');
}

/** The council of a faculty (an empty one until members are recorded). */
export async function getCouncil(actor: Actor, faculty: string): Promise<CouncilDoc> {
  assertReadFaculty(actor, faculty);
  await assertFaculty(faculty);
  return ((await Council.findById(faculty).lean()) as CouncilDoc | null) ?? { _id: faculty, members: [], quorum: 0.5 };
}

/** The faculties whose councils the actor may open. */
export async function listCouncilFaculties(actor: Actor): Promise<{ id: string; code: string; name: LocalizedText }[]> {
  const org = await loadOrgSnapshot();
  return org.faculties.filter((f) => !f.archived && canReadFaculty(actor, f.id)).map((f) => ({ id: f.id, code: f.code, name: f.name }));
}

export async function saveCouncil(actor: Actor, faculty: string, input: CouncilInput): Promise<CouncilDoc> {
  assertEditFaculty(actor, faculty);
  const before = await getCouncil(actor, faculty);
  const parsed = councilInput.parse(input);
  const members: CouncilMember[] = parsed.members.map((m) => ({ ...m, id: m.id ?? newId('m') }));
  const doc: CouncilDoc = { _id: faculty, members, quorum: parsed.quorum };
  await Council.replaceOne({ _id: faculty }, doc, { upsert: true });
  const diff = changedFields({ members: before.members, quorum: before.quorum }, { members, quorum: doc.quorum });
  if (Object.keys(diff.after).length) await recordAudit(actor, { action: 'update', entity: 'councils', entityId: faculty, ...diff });
  return doc;
}

/** Voting members (administrators attend without a vote), and whether those present make a quorum. */
export function quorumOf(council: CouncilDoc, attendance: readonly string[]): { voting: number; present: number; needed: number; reached: boolean } {
  const voting = council.members.filter((m) => m.group !== 'administrator');
  const present = voting.filter((m) => attendance.includes(m.id)).length;
  const needed = Math.floor(voting.length * council.quorum) + 1;
  return { voting: voting.length, present, needed, reached: voting.length > 0 && present >= needed };
}

/**
 * Accounts that may sit on or act for a faculty's council: its council members and viewers, the leaders of
 * its programmes, and the quality department. Shown to those who edit the council (member and owner lists).
 */
export async function accountChoices(actor: Actor, faculty: string): Promise<{ id: string; name: string; role: string }[]> {
  assertReadFaculty(actor, faculty);
  const org = await loadOrgSnapshot();
  const programmes = new Set(org.programmes.filter((p) => p.faculty === faculty).map((p) => p.id));
  // Staff accounts number in the tens to hundreds; scanned off any hot path.
  const users = await User.find({}).lean<UserDoc[]>();
  return users
    .filter((u) => !u.disabled && (u.role === 'admin' || u.faculties.includes(faculty) || u.programmes.some((p) => programmes.has(p))))
    .map((u) => ({ id: u._id, name: u.name, role: u.role }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Names of accounts by id, for owners and members (no scope: a name is not a secret among staff). */
export async function accountNames(ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter(Boolean);
  if (!wanted.length) return new Map();
  const users = await User.find({ _id: mongoose.trusted({ $in: wanted }) as unknown as string }).lean<UserDoc[]>();
  return new Map(users.map((u) => [u._id, u.name]));
}
