// Single sign-on pages: /login/sso leaves for the identity provider, /login/sso/callback comes back. The
// browser's state cookie binds the callback to the browser that started it (sso.ts); a failure shows the
// sign-in page with what went wrong, in the page's language.
import { Router, type Response } from 'express';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import type { UserChanges } from './changes.js';
import { renderLogin, loginErrorKey } from './routes.js';
import { issueSessionCookie, safeNext, useSessionSettings } from './session.js';
import type { SsoClient } from './sso.js';
import { accountForClaims } from './sso-service.js';

const stateCookie = (secure: boolean) => (secure ? '__Host-pikir_sso' : 'pikir_sso');

export function ssoPages(config: Config, sso: SsoClient, changes: UserChanges): Router {
  const router = Router();
  const cookieOptions = (res: Response) => ({ httpOnly: true, sameSite: 'lax' as const, secure: useSessionSettings(res).secure, path: '/' });

  const failed = (res: Response, err: unknown) => {
    if (!(err instanceof AppError) || (err.status >= 500 && err.code !== 'sso_unavailable')) throw err;
    res.clearCookie(stateCookie(config.secureCookies), cookieOptions(res));
    res.status(err.status);
    renderLogin(res, config, { errorKey: loginErrorKey(err).key });
  };

  router.get('/login/sso', async (req, res) => {
    try {
      const { url, state } = await sso.begin(safeNext(req.query.next));
      // Lax: the provider sends the browser back with a top-level GET, which carries it.
      res.cookie(stateCookie(config.secureCookies), state, { ...cookieOptions(res), maxAge: 10 * 60_000 });
      res.redirect(303, url);
    } catch (err) {
      failed(res, err);
    }
  });

  router.get('/login/sso/callback', async (req, res) => {
    try {
      const cookie = req.cookies?.[stateCookie(config.secureCookies)] as unknown;
      // The URL as the browser reached it at our public address (never built from the Host header).
      const callback = new URL(req.originalUrl, config.baseUrl);
      const { claims, issuer, next } = await sso.finish(callback, typeof cookie === 'string' ? cookie : undefined);
      res.clearCookie(stateCookie(config.secureCookies), cookieOptions(res));
      const { user, changed } = await accountForClaims(sso.settings.mapping, issuer, claims);
      if (changed) changes.changed(user._id);
      issueSessionCookie(res, user);
      res.redirect(303, safeNext(next));
    } catch (err) {
      failed(res, err);
    }
  });

  return router;
}
