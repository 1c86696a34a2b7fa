// Accounts: signing in and out, one's own password and language, and the admin's user management.
// Services take plain data and an actor; they never see req (the client key for throttling is passed in).
import { z } from 'zod';
import { recordAudit, changedFields } from '../audit/service.js';
import { AppError, conflict, forbidden, notFound } from '../lib/errors.js';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import { parseOrThrow } from '../lib/validate.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { ROLES, type Actor } from './actor.js';
import type { LoginThrottle } from './login-throttle.js';
import { User, toPublicUser, type PublicUser, type UserDoc } from './model.js';
import { generateOneTimePassword, hashPassword, verifyPassword } from './password.js';
import { PASSWORD_MESSAGES, passwordProblem } from './password-policy.js';

/** The stored "hash" of an account without a password (made by or for single sign-on): never verifies. */
export const NO_PASSWORD = 'none';

const email = z.string().trim().toLowerCase().pipe(z.email({ message: 'must be an email address' })).pipe(z.string().max(254));
const scopeIds = z.array(z.string().min(1).max(40)).max(200);

export const loginSchema = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(1024),
});

export const userInputSchema = z.strictObject({
  email,
  name: z.string().max(200).trim().min(1, 'must not be empty'),
  role: z.enum(ROLES),
  faculties: scopeIds.default([]),
  programmes: scopeIds.default([]),
  lang: z.enum(LANGUAGES).default('kk'),
});
export type UserInput = z.input<typeof userInputSchema>;

/** The API's body: the address exactly as the OpenAPI document states it (format and pattern), lower-cased. */
export const userInputBody = userInputSchema.extend({ email: z.email({ message: 'must be an email address' }).max(254).transform((e) => e.toLowerCase()) });

export const userPatchSchema = z.strictObject({
  name: z.string().max(200).trim().min(1, 'must not be empty').optional(),
  role: z.enum(ROLES).optional(),
  faculties: scopeIds.optional(),
  programmes: scopeIds.optional(),
  lang: z.enum(LANGUAGES).optional(),
});
export type UserPatch = z.input<typeof userPatchSchema>;

export function invalidCredentials(): AppError {
  return new AppError(401, 'invalid_credentials', 'The email or password is not correct.');
}

function rateLimited(reason: 'account' | 'client' | 'device', retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const message =
    reason === 'client'
      ? `Too many failed sign-in attempts from this device. Try again in ${minutes} min.`
      : `Too many failed attempts for this account. Try again in ${minutes} min, or from a device you have signed in with before.`;
  return new AppError(429, 'rate_limited', message, { reason, retryAfterSeconds }, retryAfterSeconds);
}

/** Local passwords are turned off (LOCAL_PASSWORDS=false): staff sign in through the identity provider. */
export function localPasswordsOff(): AppError {
  return new AppError(403, 'local_passwords_off', 'Passwords are turned off here: sign in through the university’s single sign-on.');
}

/** A throwaway hash, so an unknown email costs the same time as a wrong password. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks the credentials under the throttle. Returns the user (lastActiveAt set to now) or throws:
 * 429 rate_limited (paused for untrusted clients, this client or this device), 401 invalid_credentials,
 * 403 account_disabled. `device` is the nonce of a device cookie that vouches for this account, if any.
 */
export async function login(input: { email: string; password: string; client: string; device?: string }, throttle: LoginThrottle): Promise<UserDoc> {
  const address = input.email.trim().toLowerCase();
  const verdict = throttle.check(address, input.client, input.device);
  if (!verdict.ok) throw rateLimited(verdict.reason, verdict.retryAfterSeconds);
  const user = address ? await User.findOne({ email: address }).lean<UserDoc>() : null;
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
  // An account made by single sign-on has no password: it costs the same time and fails the same way.
  const stored = user?.passwordHash.startsWith('scrypt$') ? user.passwordHash : await dummyHash;
  const ok = (await verifyPassword(input.password, stored)) && stored === user?.passwordHash;
  if (!user || !ok) {
    throttle.fail(address, input.client, input.device);
    throw invalidCredentials();
  }
  if (user.disabled) throw new AppError(403, 'account_disabled', 'This account is disabled. Ask the quality assurance department to enable it.');
  throttle.succeed(address, input.device);
  const now = new Date();
  await User.updateOne({ _id: user._id }, { $set: { lastActiveAt: now } });
  return { ...user, lastActiveAt: now };
}

/** Ends every session of the user (all devices): older tokens carry an older tokenVersion. */
export async function logout(actor: Actor): Promise<void> {
  await User.updateOne({ _id: actor.userId }, { $inc: { tokenVersion: 1 } });
}

export async function getSelf(actor: Actor): Promise<PublicUser> {
  const user = await User.findById(actor.userId).lean<UserDoc>();
  if (!user) throw notFound('This account no longer exists.');
  return toPublicUser(user);
}

export class PasswordRuleError extends AppError {
  constructor(readonly problem: keyof typeof PASSWORD_MESSAGES) {
    super(400, 'weak_password', PASSWORD_MESSAGES[problem], [{ path: 'newPassword', message: PASSWORD_MESSAGES[problem] }]);
  }
}

export function assertPasswordAllowed(password: string, email: string): void {
  const problem = passwordProblem(password, { email });
  if (problem) throw new PasswordRuleError(problem);
}

/**
 * Changes one's own password (the current one is required, also after a one-time password). Raises the
 * token version, so other sessions end; returns the user so the caller can issue a fresh cookie.
 */
export async function changeOwnPassword(actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<UserDoc> {
  const user = await User.findById(actor.userId).lean<UserDoc>();
  if (!user || user.disabled) throw notFound('This account no longer exists.');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError(400, 'wrong_password', 'The current password is not correct.', [{ path: 'currentPassword', message: 'not correct' }]);
  }
  assertPasswordAllowed(input.newPassword, user.email);
  if (input.newPassword === input.currentPassword) {
    throw new AppError(400, 'weak_password', 'Choose a password different from the current one.', [{ path: 'newPassword', message: 'same as the current one' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const tokenVersion = user.tokenVersion + 1;
  await User.updateOne({ _id: user._id }, { $set: { passwordHash, tokenVersion, mustChangePassword: false, lastActiveAt: new Date() } });
  await recordAudit(actor, { action: 'change_password', entity: 'users', entityId: user._id });
  return { ...user, passwordHash, tokenVersion, mustChangePassword: false };
}

export async function setOwnLanguage(actor: Actor, lang: Lang): Promise<void> {
  await User.updateOne({ _id: actor.userId }, { $set: { lang, langChosen: true } });
}

/**
 * At sign-in through the form: a person who never chose a language keeps the one the sign-in page was shown
 * in (their link, their earlier choice in this browser, or their browser's Accept-Language), and the account
 * remembers it. An English-speaking admin is not switched to the default Kazakh by signing in.
 */
export async function adoptSignInLanguage(user: Pick<UserDoc, '_id' | 'lang' | 'langChosen'>, lang: Lang): Promise<void> {
  if (user.langChosen || user.lang === lang) return;
  await User.updateOne({ _id: user._id }, { $set: { lang } });
}

// ---- administration (admins only) ----

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('Only the quality assurance department manages accounts.');
}

/** Checks the scope fits the role and names existing units; admins carry no scope. */
async function checkedScope(role: UserDoc['role'], faculties: string[], programmes: string[]): Promise<{ faculties: string[]; programmes: string[] }> {
  if (role === 'admin') return { faculties: [], programmes: [] };
  const org = await loadOrgSnapshot();
  const f = [...new Set(faculties)];
  const p = [...new Set(programmes)];
  const unknownF = f.filter((id) => !org.faculty.get(id));
  const unknownP = p.filter((id) => !org.programme.get(id));
  if (unknownF.length) throw new AppError(400, 'validation_failed', `Unknown faculty: ${unknownF.join(', ')}.`, [{ path: 'faculties', message: 'unknown faculty' }]);
  if (unknownP.length) throw new AppError(400, 'validation_failed', `Unknown programme: ${unknownP.join(', ')}.`, [{ path: 'programmes', message: 'unknown programme' }]);
  if (role === 'council' && !f.length) throw new AppError(400, 'validation_failed', 'A council member needs at least one faculty.', [{ path: 'faculties', message: 'choose at least one faculty' }]);
  if (role === 'programme_leader' && !p.length) throw new AppError(400, 'validation_failed', 'A programme leader needs at least one programme.', [{ path: 'programmes', message: 'choose at least one programme' }]);
  if (role === 'viewer' && !f.length && !p.length) throw new AppError(400, 'validation_failed', 'A viewer needs at least one faculty or programme.', [{ path: 'faculties', message: 'choose a faculty or a programme' }]);
  // A council member is scoped to faculties only, a programme leader to programmes only.
  return { faculties: role === 'programme_leader' ? [] : f, programmes: role === 'council' ? [] : p };
}

function auditView(u: UserDoc): Record<string, unknown> {
  const { id: _id, lastActiveAt: _last, ...rest } = toPublicUser(u);
  return rest;
}

export async function listUsers(actor: Actor): Promise<PublicUser[]> {
  assertAdmin(actor);
  const users = await User.find({}).lean<UserDoc[]>();
  return users.map(toPublicUser).sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
}

export async function getUser(actor: Actor, id: string): Promise<PublicUser> {
  assertAdmin(actor);
  const user = await User.findById(id).lean<UserDoc>();
  if (!user) throw notFound('No such user.');
  return toPublicUser(user);
}

function emailTakenError(): AppError {
  return new AppError(409, 'email_taken', 'A user with this email already exists.', [{ path: 'email', message: 'already used' }]);
}

async function emailTaken(address: string): Promise<boolean> {
  return Boolean(await User.exists({ email: address }));
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * Creates an account with a one-time password, returned once and never stored in clear. With local passwords
 * turned off (`passwords: false`) the account has none: the person signs in through single sign-on, matched by
 * e-mail, and oneTimePassword is null.
 */
export async function inviteUser(actor: Actor, input: UserInput, options: { passwords?: boolean } = {}): Promise<{ user: PublicUser; oneTimePassword: string | null }> {
  assertAdmin(actor);
  const data = parseOrThrow(userInputSchema, input, 'user');
  if (await emailTaken(data.email)) throw emailTakenError();
  const scope = await checkedScope(data.role, data.faculties, data.programmes);
  const oneTimePassword = options.passwords === false ? null : generateOneTimePassword();
  let created: UserDoc;
  try {
    const doc = await User.create({ ...data, ...scope, passwordHash: oneTimePassword === null ? NO_PASSWORD : await hashPassword(oneTimePassword), mustChangePassword: oneTimePassword !== null });
    created = doc.toObject();
  } catch (err) {
    if (isDuplicateKey(err)) throw emailTakenError();
    throw err;
  }
  await recordAudit(actor, { action: 'create', entity: 'users', entityId: created._id, after: auditView(created) });
  return { user: toPublicUser(created), oneTimePassword };
}

async function activeAdminCount(exceptId: string): Promise<number> {
  const admins = await User.find({ role: 'admin', disabled: false }).lean<UserDoc[]>();
  return admins.filter((a) => a._id !== exceptId).length;
}

export async function updateUser(actor: Actor, id: string, patch: UserPatch): Promise<PublicUser> {
  assertAdmin(actor);
  const data = parseOrThrow(userPatchSchema, patch, 'user');
  const user = await User.findById(id).lean<UserDoc>();
  if (!user) throw notFound('No such user.');
  const role = data.role ?? user.role;
  if (user.role === 'admin' && role !== 'admin' && !user.disabled && (await activeAdminCount(user._id)) === 0) {
    throw conflict('This is the only active admin; make another user an admin first.', 'last_admin');
  }
  const scope = await checkedScope(role, data.faculties ?? user.faculties, data.programmes ?? user.programmes);
  const next: UserDoc = { ...user, ...(data.name ? { name: data.name } : {}), ...(data.lang ? { lang: data.lang } : {}), role, ...scope };
  // A change of role or scope takes effect on the next request anyway (each request reloads the user).
  await User.updateOne({ _id: id }, { $set: { name: next.name, lang: next.lang, role: next.role, faculties: next.faculties, programmes: next.programmes } });
  const diff = changedFields(auditView(user), auditView(next));
  if (Object.keys(diff.after).length) await recordAudit(actor, { action: 'update', entity: 'users', entityId: id, ...diff });
  return toPublicUser(next);
}

export async function setUserDisabled(actor: Actor, id: string, disabled: boolean): Promise<PublicUser> {
  assertAdmin(actor);
  const user = await User.findById(id).lean<UserDoc>();
  if (!user) throw notFound('No such user.');
  if (disabled && user._id === actor.userId) throw conflict('You cannot disable your own account.', 'self_disable');
  if (disabled && user.role === 'admin' && !user.disabled && (await activeAdminCount(user._id)) === 0) {
    throw conflict('This is the only active admin; it cannot be disabled.', 'last_admin');
  }
  if (user.disabled === disabled) return toPublicUser(user);
  await User.updateOne({ _id: id }, { $set: { disabled }, ...(disabled ? { $inc: { tokenVersion: 1 } } : {}) });
  await recordAudit(actor, { action: disabled ? 'disable' : 'enable', entity: 'users', entityId: id, before: { disabled: user.disabled }, after: { disabled } });
  return toPublicUser({ ...user, disabled });
}

/** A new one-time password (shown once); the user's sessions end and a change is forced at next sign-in. */
export async function resetUserPassword(actor: Actor, id: string): Promise<{ user: PublicUser; oneTimePassword: string }> {
  assertAdmin(actor);
  const user = await User.findById(id).lean<UserDoc>();
  if (!user) throw notFound('No such user.');
  const oneTimePassword = generateOneTimePassword();
  await User.updateOne({ _id: id }, { $set: { passwordHash: await hashPassword(oneTimePassword), mustChangePassword: true }, $inc: { tokenVersion: 1 } });
  await recordAudit(actor, { action: 'reset_password', entity: 'users', entityId: id });
  return { user: toPublicUser({ ...user, mustChangePassword: true }), oneTimePassword };
}
