// Accounts: users, roles, sessions, CSRF. What other features import comes from here.
import type { Express, Router } from 'express';
import type { Config } from '../config.js';
import { accountsApi } from './api.js';
import type { UserChanges } from './changes.js';
import { adminUserPages } from './admin-routes.js';
import { csrfProtection } from './csrf.js';
import { LoginThrottle } from './login-throttle.js';
import { accountPages } from './routes.js';
import { authenticate, passwordChangeGate, sessionSettings } from './session.js';

export { ROLES, SYSTEM_ACTOR, type Actor, type Role } from './actor.js';
export { authenticate, requireUser, requireRole, actorFromCookieHeader, actorOf, safeNext, sessionSettings, IDLE_TIMEOUT_MS } from './session.js';
export { checkCsrfToken, refuseCrossSite, CSRF_FIELD } from './csrf.js';
export { ensureAdmin } from './seed.js';
export { User, type UserDoc, type PublicUser } from './model.js';

/** Before every feature route: CSRF checks, then the session (res.locals.actor), then the one-time-password gate. */
export function mountAccountsMiddleware(app: Express, config: Config): void {
  app.locals.sessionSettings = sessionSettings(config);
  app.use(csrfProtection(config));
  app.use(authenticate);
  app.use(passwordChangeGate);
}

/** Pages (/login, /logout, /account, /admin/users) and the API (/api/auth, /api/account, /api/users). */
export function mountAccounts(app: Express, api: Router, changes: UserChanges): void {
  // One throttle per app: its counters are in memory (see login-throttle.ts).
  const throttle = new LoginThrottle();
  app.use(accountPages(throttle));
  app.use(adminUserPages(changes));
  accountsApi(api, throttle, changes);
}
