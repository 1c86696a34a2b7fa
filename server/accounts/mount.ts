// Mounts the accounts feature: the CSRF and session middleware before every feature route, then its
// pages (/login, /login/sso, /logout, /account, /admin/users) and its API (/api/auth, /api/account,
// /api/users, /api/sign-in-bursts).
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { accountsApi } from './api.js';
import { BurstLog } from './bursts.js';
import type { UserChanges } from './changes.js';
import { adminUserPages } from './admin-routes.js';
import { csrfProtection } from './csrf.js';
import { LoginThrottle } from './login-throttle.js';
import { accountPages } from './routes.js';
import { authenticate, passwordChangeGate, sessionSettings } from './session.js';
import { SsoClient } from './sso.js';
import { ssoPages } from './sso-routes.js';

/** Before every feature route: CSRF checks, then the session (res.locals.actor), then the one-time-password gate. */
export function mountAccountsMiddleware(app: Express, config: Config): void {
  app.locals.sessionSettings = sessionSettings(config);
  app.use(csrfProtection(config));
  app.use(authenticate);
  // Without local passwords there is no one-time password to change (single sign-on only).
  if (config.localPasswords) app.use(passwordChangeGate);
}

export function mountAccounts(app: Express, api: Router, deps: { config: Config; logger: Logger; users: UserChanges }): void {
  const { config, logger, users } = deps;
  // One throttle per app: its counters are in memory (see login-throttle.ts); its pauses are logged and kept.
  const bursts = new BurstLog(logger);
  const throttle = new LoginThrottle({ onBurst: bursts.report });
  if (config.oidc) app.use(ssoPages(config, new SsoClient(config.oidc, config.baseUrl, logger), users));
  app.use(accountPages(config, throttle));
  app.use(adminUserPages(config, users));
  accountsApi(api, config, throttle, users);
}
