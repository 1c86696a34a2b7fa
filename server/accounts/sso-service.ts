// The account behind a single sign-on: found by the provider's subject (a link kept by _id), else by the
// e-mail address the provider asserts; created on first sign-in, and its name, role and scope updated at
// every sign-in when the mapping lets the provider manage roles (OIDC_MAPPING: claims.roles and roles).
// Without that, only existing accounts sign in, with the role Pikir gives them.
import mongoose, { Schema } from 'mongoose';
import { changedFields, recordAudit } from '../audit/service.js';
import { AppError } from '../lib/errors.js';
import { sha256 } from '../lib/ids.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { SYSTEM_ACTOR, type Actor, type Role } from './actor.js';
import { User, toPublicUser, type UserDoc } from './model.js';
import { NO_PASSWORD } from './service.js';
import { readSsoClaims, type SsoMapping } from './sso-mapping.js';
import { ssoError } from './sso.js';

/** The audit log's actor for changes the identity provider's claims made. */
const SSO_ACTOR: Actor = { ...SYSTEM_ACTOR, userId: 'sso', email: 'single sign-on', name: 'Single sign-on' };

/** Provider subject → account, by _id (the hash of issuer and subject): one read, and a unique insert links once. */
export const SsoLink = mongoose.model<{ _id: string; user: string }>('SsoLink', new Schema<{ _id: string; user: string }>({ _id: String, user: { type: String, required: true } }, { versionKey: false }), 'sso_links');

/** Faculty and programme codes (or ids) from the claims → the units' ids, under the role's scope rules. */
async function scopeFor(role: Role, faculties: string[], programmes: string[]): Promise<{ faculties: string[]; programmes: string[] } | null> {
  if (role === 'admin') return { faculties: [], programmes: [] };
  const org = await loadOrgSnapshot();
  const pick = <T extends { id: string; code: string; archived: boolean }>(units: readonly T[], values: string[]) => {
    const wanted = new Set(values.map((v) => v.trim().toLowerCase()));
    return units.filter((u) => !u.archived && (wanted.has(u.code.toLowerCase()) || wanted.has(u.id.toLowerCase()))).map((u) => u.id).sort();
  };
  const f = role === 'programme_leader' ? [] : pick(org.faculties, faculties);
  const p = role === 'council' ? [] : pick(org.programmes, programmes);
  if ((role === 'council' && !f.length) || (role === 'programme_leader' && !p.length) || (role === 'viewer' && !f.length && !p.length)) return null;
  return { faculties: f, programmes: p };
}

const auditView = (u: UserDoc) => {
  const { id: _id, lastActiveAt: _last, mustChangePassword: _m, ...rest } = toPublicUser(u);
  return rest;
};

/**
 * The account for these verified claims (created or updated), or an error saying why there is none.
 * Returns whether role or scope changed, so open dashboards can be told.
 */
export async function accountForClaims(mapping: SsoMapping, issuer: string, claims: Record<string, unknown>): Promise<{ user: UserDoc; changed: boolean }> {
  const subject = claims.sub;
  if (typeof subject !== 'string' || !subject) throw ssoError('failed');
  const said = readSsoClaims(mapping, claims);
  const linkId = sha256(`sso:${issuer}\n${subject}`);
  const link = await SsoLink.findById(linkId).lean();
  let user = link ? await User.findById(link.user).lean<UserDoc>() : null;
  if (!user) {
    if (!said.email) throw ssoError('no_email');
    // A provider that says the address is unverified cannot claim an account by it.
    if (claims.email_verified === false) throw ssoError('unverified');
    user = await User.findOne({ email: said.email }).lean<UserDoc>();
  }
  if (said.role === undefined && !user) throw ssoError('no_account');
  if (said.role === null) throw ssoError('no_role');

  let changed = false;
  if (said.role) {
    const scope = await scopeFor(said.role, said.faculties, said.programmes);
    if (!scope) throw ssoError('no_scope');
    if (!user) {
      user = await createAccount({ email: said.email!, name: said.name ?? said.email!, role: said.role, ...scope });
    } else {
      const next: UserDoc = { ...user, name: said.name ?? user.name, role: said.role, ...scope };
      const diff = changedFields(auditView(user), auditView(next));
      if (Object.keys(diff.after).length) {
        await User.updateOne({ _id: user._id }, { $set: { name: next.name, role: next.role, faculties: next.faculties, programmes: next.programmes } });
        await recordAudit(SSO_ACTOR, { action: 'update', entity: 'users', entityId: user._id, ...diff });
        changed = user.role !== next.role || String(user.faculties) !== String(next.faculties) || String(user.programmes) !== String(next.programmes);
        user = next;
      }
    }
  }
  if (!user) throw ssoError('no_account');
  if (user.disabled) throw new AppError(403, 'account_disabled', 'This account is disabled. Ask the quality assurance department to enable it.');
  if (!link) {
    try {
      await SsoLink.create({ _id: linkId, user: user._id });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // linked a moment ago by a parallel sign-in
    }
  }
  // Signing in through the provider: no one-time password to change.
  const now = new Date();
  await User.updateOne({ _id: user._id }, { $set: { lastActiveAt: now, mustChangePassword: false } });
  return { user: { ...user, lastActiveAt: now, mustChangePassword: false }, changed };
}

async function createAccount(input: { email: string; name: string; role: Role; faculties: string[]; programmes: string[] }): Promise<UserDoc> {
  try {
    const created = (await User.create({ ...input, lang: 'kk', passwordHash: NO_PASSWORD, mustChangePassword: false })).toObject();
    await recordAudit(SSO_ACTOR, { action: 'create', entity: 'users', entityId: created._id, after: auditView(created) });
    return created;
  } catch (err) {
    // Two first sign-ins at once: the other one created it.
    if ((err as { code?: number }).code !== 11000) throw err;
    const existing = await User.findOne({ email: input.email }).lean<UserDoc>();
    if (!existing) throw err;
    return existing;
  }
}
