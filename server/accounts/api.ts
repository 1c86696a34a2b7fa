// The accounts JSON API: sign in/out and "me" (/api/auth/*), one's own account (/api/account/*) and
// user administration (/api/users/*, admins only).
import type { UserChanges } from './changes.js';
import type { Router } from 'express';
import type { Config } from '../config.js';
import { recentBursts } from './bursts.js';
import { passwordSignIn } from './sign-in.js';
import { z } from 'zod';
import { apiRoute } from '../lib/api-route.js';
import type { Lang } from '../lib/i18n/index.js';
import { namedSchema } from '../lib/openapi.js';
import { langSchema } from '../lib/schemas.js';
import { ROLES } from './actor.js';
import type { LoginThrottle } from './login-throttle.js';
import { toPublicUser } from './model.js';
import * as accounts from './service.js';
import { actorOf, clearSessionCookie, issueSessionCookie, requireRole, requireUser } from './session.js';
import { isoDateTime } from '../lib/iso-date.js';

const publicUser = namedSchema(
  'User',
  z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    faculties: z.array(z.string()),
    programmes: z.array(z.string()),
    lang: langSchema,
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastActiveAt: isoDateTime.nullable(),
  }),
);
const userWithPassword = z.object({ user: publicUser, oneTimePassword: z.string().describe('Shown once; the user must change it at first sign-in') });
const invited = z.object({ user: publicUser, oneTimePassword: z.string().nullable().describe('Shown once; the user must change it at first sign-in. null when local passwords are turned off: the person signs in through single sign-on, matched by e-mail') });
const burst = namedSchema(
  'SignInBurst',
  z.object({
    id: z.string(),
    kind: z.enum(['account', 'client', 'device']).describe('account: its sign-ins from clients without a device cookie paused; client: one client paused; device: one trusted device paused'),
    account: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable().describe('null for a client, or when the address tried belongs to no account'),
    startedAt: isoDateTime,
    lastAt: isoDateTime,
    failures: z.number().int().describe('wrong passwords that started the pause'),
    refused: z.number().int().describe('attempts refused while paused'),
    accounts: z.number().int().describe('accounts a paused client tried (up to 100)'),
    pausedUntil: isoDateTime,
  }),
);
const idParams = z.object({ id: z.string().min(1).max(40) });
const ok = z.object({ ok: z.literal(true) });

export function accountsApi(api: Router, config: Config, throttle: LoginThrottle, changes: UserChanges): void {
  const tags = ['accounts'];
  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/auth/login',
      tags,
      summary: 'Sign in; sets the session cookie and a device cookie (both httpOnly)',
      description:
        '401 wrong credentials; 429 with Retry-After when throttled: after 5 failures for one account, clients without a device cookie for it are paused 15 min (a client that signed in to it before keeps its own count), and a client with 20 failures is paused for its window. 403 local_passwords_off when staff sign in through single sign-on only.',
      access: 'anyone',
      body: accounts.loginSchema,
      response: z.object({ user: publicUser }),
    },
    async (req, res) => {
      const user = await passwordSignIn(req, res, config, throttle, res.locals.body as z.infer<typeof accounts.loginSchema>);
      res.json({ user: toPublicUser(user) });
    },
  );
  apiRoute(api, { method: 'post', path: '/api/auth/logout', tags, summary: 'Sign out everywhere (every session of this user ends)', access: 'anyone', response: ok }, async (_req, res) => {
    const actor = res.locals.actor;
    if (actor) await accounts.logout(actor);
    clearSessionCookie(res);
    res.json({ ok: true });
  });
  apiRoute(api, { method: 'get', path: '/api/auth/me', tags, summary: 'The signed-in user', access: 'signed-in users', response: z.object({ user: publicUser }) }, requireUser, async (_req, res) => {
    res.json({ user: await accounts.getSelf(actorOf(res)) });
  });

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/account/password',
      tags,
      summary: 'Change one’s own password (at least 12 characters, not a common one, not the email); other sessions end',
      access: 'signed-in users',
      body: z.strictObject({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }),
      response: ok,
    },
    requireUser,
    async (_req, res) => {
      if (!config.localPasswords) throw accounts.localPasswordsOff();
      const user = await accounts.changeOwnPassword(actorOf(res), res.locals.body as { currentPassword: string; newPassword: string });
      issueSessionCookie(res, user);
      res.json({ ok: true });
    },
  );
  apiRoute(api, { method: 'patch', path: '/api/account', tags, summary: 'Change one’s own interface language', access: 'signed-in users', body: z.strictObject({ lang: langSchema }), response: ok }, requireUser, async (_req, res) => {
    await accounts.setOwnLanguage(actorOf(res), (res.locals.body as { lang: Lang }).lang);
    res.json({ ok: true });
  });

  const admin = requireRole('admin');
  const adminTags = ['users'];
  apiRoute(api, { method: 'get', path: '/api/users', tags: adminTags, summary: 'All users', access: 'admin', response: z.object({ items: z.array(publicUser) }) }, admin, async (_req, res) => {
    res.json({ items: await accounts.listUsers(actorOf(res)) });
  });
  apiRoute(api, { method: 'get', path: '/api/sign-in-bursts', tags: adminTags, summary: 'Failed sign-in bursts of the last 30 days, newest first', access: 'admin', response: z.object({ items: z.array(burst) }) }, admin, async (_req, res) => {
    res.json({ items: await recentBursts() });
  });
  apiRoute(api, { method: 'post', path: '/api/users', tags: adminTags, summary: 'Invite a user: creates the account with a one-time password, returned once', access: 'admin', body: accounts.userInputBody, response: invited, status: 201 }, admin, async (_req, res) => {
    res.status(201).json(await accounts.inviteUser(actorOf(res), res.locals.body as accounts.UserInput, { passwords: config.localPasswords }));
  });
  apiRoute(api, { method: 'get', path: '/api/users/:id', tags: adminTags, summary: 'One user', access: 'admin', params: idParams, response: publicUser }, admin, async (_req, res) => {
    res.json(await accounts.getUser(actorOf(res), (res.locals.params as { id: string }).id));
  });
  apiRoute(api, { method: 'patch', path: '/api/users/:id', tags: adminTags, summary: 'Change a user’s name, language, role or scope', access: 'admin', params: idParams, body: accounts.userPatchSchema, response: publicUser }, admin, async (_req, res) => {
    const { id } = res.locals.params as { id: string };
    res.json(await accounts.updateUser(actorOf(res), id, res.locals.body as accounts.UserPatch));
    changes.changed(id);
  });
  apiRoute(api, { method: 'post', path: '/api/users/:id/disable', tags: adminTags, summary: 'Disable a user (their sessions end at once)', access: 'admin', params: idParams, response: publicUser }, admin, async (_req, res) => {
    const { id } = res.locals.params as { id: string };
    res.json(await accounts.setUserDisabled(actorOf(res), id, true));
    changes.changed(id);
  });
  apiRoute(api, { method: 'post', path: '/api/users/:id/enable', tags: adminTags, summary: 'Enable a disabled user', access: 'admin', params: idParams, response: publicUser }, admin, async (_req, res) => {
    const { id } = res.locals.params as { id: string };
    res.json(await accounts.setUserDisabled(actorOf(res), id, false));
    changes.changed(id);
  });
  apiRoute(api, { method: 'post', path: '/api/users/:id/reset-password', tags: adminTags, summary: 'Give a user a new one-time password (returned once); their sessions end. 403 local_passwords_off when staff sign in through single sign-on only', access: 'admin', params: idParams, response: userWithPassword }, admin, async (_req, res) => {
    if (!config.localPasswords) throw accounts.localPasswordsOff();
    const { id } = res.locals.params as { id: string };
    res.json(await accounts.resetUserPassword(actorOf(res), id));
    changes.changed(id);
  });
}
