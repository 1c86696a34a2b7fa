// Admin pages for accounts: list, invite (the one-time password is shown once, in the response to the
// form, never stored in clear or put in a URL), edit role and scope, disable/enable, reset the password.
import { Router, type Response } from 'express';
import { formatWhen } from '../audit/format.js';
import { AppError } from '../lib/errors.js';
import { LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { expectedFormError, formErrors, formRoute, formSchema, listField, textField, type FormErrors } from '../lib/forms.js';
import type { OrgSnapshot } from '../org/snapshot.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { ROLES, type Role } from './actor.js';
import type { Config } from '../config.js';
import type { UserChanges } from './changes.js';
import { recentBursts } from './bursts.js';
import type { PublicUser } from './model.js';
import * as accounts from './service.js';
import { actorOf, requireRole } from './session.js';

/** The invite and edit forms (the service checks role, scope and e-mail; the form only reads them). */
const userForm = formSchema({ email: textField(320), name: textField(200), role: textField(40), faculties: listField(), programmes: listField(), lang: textField(10) });
type UserFormValues = ReturnType<typeof userForm.parse>;

function lang(res: Response): Lang {
  return res.locals.lang as Lang;
}

const withDefaults = (v: UserFormValues): UserFormValues => ({ ...v, lang: v.lang || 'kk' });

/** What the user form needs: options with their selected state, programmes grouped by faculty. */
function formModel(org: OrgSnapshot, l: Lang, v: UserFormValues) {
  return {
    values: v,
    roles: ROLES.map((r) => ({ value: r, label: translate(l, `accounts.roles.${r}`), selected: v.role === r })),
    languages: LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value], selected: v.lang === value })),
    faculties: org.faculties.filter((f) => !f.archived || v.faculties.includes(f.id)).map((f) => ({ id: f.id, label: `${f.code} — ${f.name[l]}`, checked: v.faculties.includes(f.id) })),
    programmeGroups: org.faculties
      .map((f) => ({
        label: f.name[l],
        items: org.programmes.filter((p) => p.faculty === f.id && (!p.archived || v.programmes.includes(p.id))).map((p) => ({ id: p.id, label: `${p.code} — ${p.name[l]}`, checked: v.programmes.includes(p.id) })),
      }))
      .filter((g) => g.items.length),
  };
}

function scopeText(org: OrgSnapshot, l: Lang, u: PublicUser): string {
  if (u.role === 'admin') return translate(l, 'admin.users.scope_all');
  const names = [...u.faculties.map((id) => org.faculty.get(id)?.code ?? id), ...u.programmes.map((id) => org.programme.get(id)?.code ?? id)];
  return names.join(', ');
}

function userFields(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

export function adminUserPages(config: Config, changes: UserChanges): Router {
  const router = Router();
  router.use('/admin/users', requireRole('admin'));

  router.get('/admin/users', async (req, res) => {
    const l = lang(res);
    const [users, org, bursts] = await Promise.all([accounts.listUsers(actorOf(res)), loadOrgSnapshot(), recentBursts()]);
    res.render('admin/users', {
      titleKey: 'admin.users.title',
      bursts: bursts.map((b) => ({
        ...b,
        when: formatWhen(b.startedAt, l),
        until: formatWhen(b.pausedUntil, l),
        what: translate(l, `admin.bursts.kind_${b.kind}`, { accounts: b.accounts }),
        who: b.account ? `${b.account.name} <${b.account.email}>` : translate(l, b.kind === 'client' ? 'admin.bursts.one_client' : 'admin.bursts.no_account'),
      })),
      users: users.map((u) => ({
        ...u,
        roleLabel: translate(l, `accounts.roles.${u.role}`),
        scope: scopeText(org, l, u),
        lastActive: u.lastActiveAt ? formatWhen(u.lastActiveAt, l) : '—',
      })),
      savedKey: typeof req.query.saved === 'string' && ['disabled', 'enabled'].includes(req.query.saved) ? `admin.users.${req.query.saved}` : undefined,
    });
  });

  const renderForm = async (res: Response, mode: 'new' | 'edit', v: UserFormValues, extra: { user?: PublicUser; errors?: FormErrors; savedKey?: string; problemKey?: string } = {}) => {
    const org = await loadOrgSnapshot();
    res.render('admin/user-form', { titleKey: mode === 'new' ? 'admin.users.invite_title' : 'admin.users.edit_title', isNew: mode === 'new', passwords: config.localPasswords, ...formModel(org, lang(res), v), ...extra });
  };

  router.get('/admin/users/new', async (_req, res) => {
    await renderForm(res, 'new', { email: '', name: '', role: 'council', faculties: [], programmes: [], lang: 'kk' });
  });

  formRoute(router, { path: '/admin/users', schema: userForm }, async (_req, res, form) => {
    const v = withDefaults(form);
    try {
      const { user, oneTimePassword } = await accounts.inviteUser(actorOf(res), { ...v, role: v.role as Role, lang: v.lang as Lang }, { passwords: config.localPasswords });
      res.set('Cache-Control', 'no-store');
      res.status(201).render('admin/user-password', { titleKey: 'admin.users.created_title', user, oneTimePassword, created: true });
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await renderForm(res, 'new', v, { errors: formErrors(e, lang(res), 'admin', userFields) });
    }
  });

  router.get('/admin/users/:id', async (req, res) => {
    const user = await accounts.getUser(actorOf(res), req.params.id);
    const problem = typeof req.query.error === 'string' && ['self_disable', 'last_admin'].includes(req.query.error) ? req.query.error : undefined;
    await renderForm(res, 'edit', { ...user }, { user, savedKey: req.query.saved === '1' ? 'admin.users.saved' : undefined, problemKey: problem && `admin.errors.${problem}` });
  });

  formRoute(router, { path: '/admin/users/:id', schema: userForm }, async (req, res, form) => {
    const v = withDefaults(form);
    const user = await accounts.getUser(actorOf(res), req.params.id);
    try {
      await accounts.updateUser(actorOf(res), user.id, { name: v.name, role: v.role as Role, faculties: v.faculties, programmes: v.programmes, lang: v.lang as Lang });
      changes.changed(user.id);
      res.redirect(303, `/admin/users/${encodeURIComponent(user.id)}?saved=1`);
    } catch (err) {
      const e = expectedFormError(err);
      res.status(e.status);
      await renderForm(res, 'edit', { ...v, email: user.email }, { user, errors: formErrors(e, lang(res), 'admin', userFields) });
    }
  });

  for (const action of ['disable', 'enable'] as const) {
    formRoute(router, { path: `/admin/users/:id/${action}`, schema: formSchema({}) }, async (req, res) => {
      try {
        await accounts.setUserDisabled(actorOf(res), req.params.id, action === 'disable');
        changes.changed(req.params.id);
      } catch (err) {
        // "not yourself", "not the last admin": shown on the user's page
        if (!(err instanceof AppError) || err.status !== 409) throw err;
        return res.redirect(303, `/admin/users/${encodeURIComponent(req.params.id)}?error=${encodeURIComponent(err.code)}`);
      }
      res.redirect(303, `/admin/users?saved=${action}d`);
    });
  }

  formRoute(router, { path: '/admin/users/:id/reset-password', schema: formSchema({}) }, async (req, res) => {
    if (!config.localPasswords) throw accounts.localPasswordsOff();
    const { user, oneTimePassword } = await accounts.resetUserPassword(actorOf(res), req.params.id);
    changes.changed(user.id);
    res.set('Cache-Control', 'no-store');
    res.render('admin/user-password', { titleKey: 'admin.users.reset_title', user, oneTimePassword, created: false });
  });

  return router;
}
