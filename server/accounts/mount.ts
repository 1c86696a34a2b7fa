// Mounts the accounts feature: the CSRF and session middleware before every feature route, then its
// pages (/login, /logout, /account, /admin/users) and its API (/api/auth, /api/account, /api/users).
import type { Express, Router } from 'express';
import type { Config } from '../config.js';
import { accountsApi } from './api.js';
import type { UserChanges } from './changes.js';
import { adminUserPages } from './admin-routes.js';
import { csrfProtection } from './csrf.js';
import { LoginThrottle } from './login-throttle.js';
import { accountPages } from './routes.js';
import { authenticate, passwordChangeGate, sessionSettings } from './session.js';

/** Before every feature route: CSRF checks, then the session (res.locals.actor), then the one-time-password gate. */
export function mountAccountsMiddleware(app: Express, config: Config): void {
  app.locals.sessionSettings = sessionSettings(config);
  app.use(csrfProtection(config));
  app.use(authenticate);
  app.use(passwordChangeGate);
}

export function mountAccounts(app: Express, api: Router, changes: UserChanges): void {
  // One throttle per app: its counters are in memory (see login-throttle.ts).
  const throttle = new LoginThrottle();
  app.use(accountPages(throttle));
  app.use(adminUserPages(changes));
  accountsApi(api, throttle, changes);
}
