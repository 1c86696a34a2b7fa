// Signing in with a password, shared by the sign-in page and POST /api/auth/login: the throttle (a device
// cookie for this account makes the client trusted, login-throttle.ts), then a fresh device cookie and the
// session cookie. Refused outright when local passwords are turned off (LOCAL_PASSWORDS=false).
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import { clientKey } from '../lib/client-key.js';
import { issueDeviceCookie, trustedDevice } from './device-cookie.js';
import type { LoginThrottle } from './login-throttle.js';
import type { UserDoc } from './model.js';
import * as accounts from './service.js';
import { issueSessionCookie, useSessionSettings } from './session.js';

export async function passwordSignIn(req: Request, res: Response, config: Pick<Config, 'localPasswords'>, throttle: LoginThrottle, credentials: { email: string; password: string }): Promise<UserDoc> {
  if (!config.localPasswords) throw accounts.localPasswordsOff();
  const settings = useSessionSettings(res);
  const device = trustedDevice(req, settings, credentials.email);
  const user = await accounts.login({ ...credentials, client: clientKey(req), device }, throttle);
  issueDeviceCookie(res, settings, user.email);
  issueSessionCookie(res, user);
  return user;
}
