// Account pages: sign in and out, and each user's own account (language, password). They work without
// JavaScript: forms post, then redirect (or re-render with the errors next to the fields).
import { Router, type RequestHandler, type Response } from 'express';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { LANG_COOKIE, LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { expectedFormError, formErrors, formRoute, formSchema, setFieldError, textField } from '../lib/forms.js';
import { langSchema } from '../lib/schemas.js';
import type { LoginThrottle } from './login-throttle.js';
import { MIN_PASSWORD_LENGTH } from './password-policy.js';
import * as accounts from './service.js';
import { passwordSignIn } from './sign-in.js';
import { actorOf, clearSessionCookie, issueSessionCookie, requireUser, safeNext, useSessionSettings } from './session.js';

function lang(res: Response): Lang {
  return res.locals.lang as Lang;
}

const loginForm = formSchema({ email: textField(320), password: textField(1_000), next: textField(2_000) });
const languageForm = formSchema({ lang: langSchema });
const passwordForm = formSchema({ currentPassword: textField(1_000), newPassword: textField(1_000), confirmPassword: textField(1_000) });

export function loginErrorKey(err: AppError): { key: string; minutes?: number } {
  if (err.code === 'rate_limited') {
    const details = err.details as { reason?: string; retryAfterSeconds?: number } | undefined;
    const minutes = Math.max(1, Math.ceil((details?.retryAfterSeconds ?? 60) / 60));
    return { key: details?.reason === 'client' ? 'accounts.login.too_many' : 'accounts.login.locked', minutes };
  }
  if (err.code === 'account_disabled') return { key: 'accounts.login.disabled' };
  if (err.code === 'local_passwords_off') return { key: 'accounts.login.passwords_off' };
  if (err.code.startsWith('sso_')) return { key: `accounts.sso.${err.code.slice(4)}` };
  return { key: 'accounts.login.invalid' };
}

/** The sign-in page: the password form (unless turned off) and the single sign-on button (when set up). */
export function renderLogin(res: Response, config: Config, extra: { next?: string; email?: string; errorKey?: string; minutes?: number } = {}): void {
  const next = extra.next && extra.next !== '/' ? extra.next : '';
  res.render('accounts/login', { titleKey: 'accounts.login.title', ...extra, next, passwords: config.localPasswords, sso: Boolean(config.oidc), ssoHref: next ? `/login/sso?next=${encodeURIComponent(next)}` : '/login/sso' });
}

export function accountPages(config: Config, throttle: LoginThrottle): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    const next = safeNext(req.query.next);
    if (res.locals.actor) return res.redirect(303, next);
    renderLogin(res, config, { next });
  });

  formRoute(router, { path: '/login', schema: loginForm }, async (req, res, form) => {
    const { email } = form;
    const next = safeNext(form.next);
    try {
      const user = await passwordSignIn(req, res, config, throttle, { email, password: form.password });
      await accounts.adoptSignInLanguage(user, lang(res));
      res.redirect(303, user.mustChangePassword ? '/account/password' : next);
    } catch (err) {
      if (!(err instanceof AppError) || ![401, 403, 429].includes(err.status)) throw err;
      if (err.retryAfter) res.set('Retry-After', String(err.retryAfter));
      const { key, minutes } = loginErrorKey(err);
      res.status(err.status);
      renderLogin(res, config, { next, email, errorKey: key, minutes });
    }
  });

  formRoute(router, { path: '/logout', schema: formSchema({}) }, async (_req, res) => {
    const actor = res.locals.actor;
    if (actor) await accounts.logout(actor);
    clearSessionCookie(res);
    res.redirect(303, '/');
  });

  router.get('/account', requireUser, async (req, res) => {
    const me = await accounts.getSelf(actorOf(res));
    const org = await loadOrgSnapshot();
    const l = lang(res);
    res.render('accounts/account', {
      titleKey: 'accounts.account.title',
      me,
      passwords: config.localPasswords,
      faculties: me.faculties.map((id) => org.faculty.get(id)?.name[l] ?? id),
      programmes: me.programmes.map((id) => {
        const p = org.programme.get(id);
        return p ? `${p.code} ${p.name[l]}` : id;
      }),
      languages: LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value], selected: me.lang === value })),
      savedKey: req.query.saved === 'password' ? 'accounts.account.password_saved' : req.query.saved === 'language' ? 'accounts.account.language_saved' : undefined,
    });
  });

  formRoute(router, { path: '/account/language', schema: languageForm, before: [requireUser] }, async (_req, res, { lang: chosen }) => {
    await accounts.setOwnLanguage(actorOf(res), chosen);
    // The cookie makes the choice win over an earlier choice made in this browser.
    res.cookie(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', secure: useSessionSettings(res).secure, maxAge: 365 * 24 * 3600 * 1000, path: '/' });
    res.redirect(303, '/account?saved=language');
  });

  const passwordPage = (res: Response, extra: Record<string, unknown> = {}) =>
    res.render('accounts/password', { titleKey: 'accounts.password.title', forced: Boolean(res.locals.mustChangePassword), minLength: MIN_PASSWORD_LENGTH, ...extra });

  // With local passwords turned off there is no password to change.
  const passwordsOn: RequestHandler = (_req, _res, next) => next(config.localPasswords ? undefined : accounts.localPasswordsOff());
  router.get('/account/password', requireUser, passwordsOn, (_req, res) => {
    passwordPage(res);
  });

  formRoute(router, { path: '/account/password', schema: passwordForm, before: [requireUser, passwordsOn] }, async (_req, res, { currentPassword, newPassword, confirmPassword }) => {
    const forced = Boolean(res.locals.mustChangePassword);
    try {
      if (newPassword !== confirmPassword) {
        throw new AppError(400, 'mismatch', 'The two new passwords differ.', [{ path: 'confirmPassword', message: 'differs' }]);
      }
      const user = await accounts.changeOwnPassword(actorOf(res), { currentPassword, newPassword });
      issueSessionCookie(res, user);
      res.redirect(303, forced ? '/' : '/account?saved=password');
    } catch (err) {
      const e = expectedFormError(err);
      const errors = formErrors(e, lang(res), 'accounts', (p) => p);
      if (e instanceof accounts.PasswordRuleError) setFieldError(errors, 'newPassword', translate(lang(res), `accounts.password.${e.problem}`));
      res.status(e.status);
      passwordPage(res, { errors });
    }
  });

  return router;
}
