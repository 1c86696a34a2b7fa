// Sessions: the signed cookie, the per-request user check and the guards other features import.
// Every authenticated request loads the user by _id (the one fast query on the embedded store) and checks
// disabled, tokenVersion and idle time, so logout, a password change or disabling take effect at once.
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.js';
import { AppError, forbidden, unauthorized } from '../lib/errors.js';
import { isApiRequest } from '../lib/error-handler.js';
import { fromAcceptLanguage, isLang, LANG_COOKIE } from '../lib/i18n/index.js';
import type { Actor, Role } from './actor.js';
import { User, type UserDoc } from './model.js';
import { SESSION_TTL_SECONDS, signSessionToken, verifySessionToken } from './tokens.js';

/** A session with no request for this long is over (the user signs in again). */
export const IDLE_TIMEOUT_MS = 60 * 60_000;
/** lastActiveAt is written at most this often per user, to spare writes. */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export interface SessionSettings {
  cookieName: string;
  secure: boolean;
  secret: string;
}

export function sessionCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-pikir_session' : 'pikir_session';
}

/** The session settings of an app (its cookie name and signing key), from its configuration. */
export function sessionSettings(config: Pick<Config, 'secureCookies' | 'jwtSecret'>): SessionSettings {
  return { cookieName: sessionCookieName(config), secure: config.secureCookies, secret: config.jwtSecret };
}

function settingsFor(res: Response): SessionSettings {
  const s = res.app.locals.sessionSettings as SessionSettings | undefined;
  if (!s) throw new Error('the app has no session settings (mountAccountsMiddleware sets them)');
  return s;
}

export function actorFromUser(u: Pick<UserDoc, '_id' | 'role' | 'email' | 'name' | 'lang' | 'faculties' | 'programmes'>): Actor {
  return {
    userId: u._id,
    role: u.role,
    email: u.email,
    name: u.name,
    lang: isLang(u.lang) ? u.lang : 'kk',
    faculties: u.role === 'admin' ? [] : [...(u.faculties ?? [])],
    programmes: u.role === 'admin' ? [] : [...(u.programmes ?? [])],
  };
}

export function issueSessionCookie(res: Response, user: Pick<UserDoc, '_id' | 'tokenVersion'>): void {
  const settings = settingsFor(res);
  const token = signSessionToken({ sub: user._id, ver: user.tokenVersion }, settings.secret);
  res.cookie(settings.cookieName, token, { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/', maxAge: SESSION_TTL_SECONDS * 1000 });
}

export function clearSessionCookie(res: Response): void {
  const settings = settingsFor(res);
  res.clearCookie(settings.cookieName, { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/' });
}

/** The user behind a token if the session is still good; records activity at most once a minute. */
async function userFromToken(token: string | undefined, secret: string, now = Date.now()): Promise<UserDoc | null> {
  if (!token) return null;
  const claims = verifySessionToken(token, secret);
  if (!claims) return null;
  const user = await User.findById(claims.sub).lean<UserDoc>();
  if (!user || user.disabled || user.tokenVersion !== claims.ver) return null;
  const last = user.lastActiveAt ? new Date(user.lastActiveAt).getTime() : 0;
  if (now - last > IDLE_TIMEOUT_MS) return null;
  if (now - last > ACTIVITY_WRITE_INTERVAL_MS) {
    await User.updateOne({ _id: user._id }, { $set: { lastActiveAt: new Date(now) } });
  }
  return user;
}

function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      if (!(name in out)) out[name] = decodeURIComponent(value);
    } catch {
      // a malformed cookie is ignored, as cookie-parser does
    }
  }
  return out;
}

/** For the Socket.IO handshake: the same checks as authenticate, from a raw Cookie header. */
export async function actorFromCookieHeader(cookieHeader: string | undefined, settings: SessionSettings): Promise<Actor | null> {
  const token = parseCookieHeader(cookieHeader)[settings.cookieName];
  const user = await userFromToken(token, settings.secret);
  return user ? actorFromUser(user) : null;
}

/**
 * Sets res.locals.actor (Actor | undefined) and res.locals.user ({name, email, role}) for views.
 * A cookie that no longer names a good session is cleared. Mounted once for the whole app.
 */
export const authenticate: RequestHandler = async (req, res, next) => {
  try {
    const settings = settingsFor(res);
    const token = req.cookies?.[settings.cookieName] as unknown;
    res.locals.actor = undefined;
    if (typeof token !== 'string') return next();
    const user = await userFromToken(token, settings.secret);
    if (!user) {
      clearSessionCookie(res);
      return next();
    }
    const actor = actorFromUser(user);
    res.locals.actor = actor;
    res.locals.user = { name: user.name, email: user.email, role: user.role };
    res.locals.mustChangePassword = Boolean(user.mustChangePassword);
    // The account's language applies unless this browser chose one (?lang=, the cookie) — and, until the
    // person chooses one on their account page, unless the browser states one (Accept-Language): an
    // English-speaking admin is not switched to the default Kazakh (adoptSignInLanguage keeps the account in step).
    const browserChose = isLang(req.query.lang) || isLang(req.cookies?.[LANG_COOKIE]);
    if (!browserChose && (user.langChosen || !fromAcceptLanguage(req.get('accept-language')))) {
      res.locals.lang = actor.lang;
      res.set('Content-Language', actor.lang);
    }
    next();
  } catch (err) {
    next(err);
  }
};

function wantsJson(req: Request): boolean {
  return isApiRequest(req.baseUrl + req.path) || isApiRequest(req.originalUrl.split('?')[0] ?? '');
}

/** A same-site path to come back to after signing in, or "/". */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\r\n\t]/.test(value) || value.length > 500) return '/';
  return value;
}

function toLogin(req: Request, res: Response): void {
  const next = safeNext(req.originalUrl);
  res.redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
}

/** Pages redirect to /login?next=…; /api answers 401 JSON. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.actor) return next();
  if (wantsJson(req)) return next(unauthorized('Please sign in.'));
  toLogin(req, res);
};

/** requireUser, then the role: 403 (the error view for pages, JSON for /api) for any other role. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (!actor) return requireUser(req, res, next);
    if (!roles.includes(actor.role)) return next(forbidden());
    next();
  };
}

/** The actor of a request that passed requireUser. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw unauthorized();
  return actor;
}

const OPEN_WHILE_PASSWORD_MUST_CHANGE = ['/account/password', '/logout', '/api/auth/logout', '/api/auth/me', '/api/account/password'];

/** A user with a one-time password reaches nothing but the password page until it is changed. */
export const passwordChangeGate: RequestHandler = (req, res, next) => {
  if (!res.locals.mustChangePassword || OPEN_WHILE_PASSWORD_MUST_CHANGE.includes(req.path)) return next();
  if (wantsJson(req)) return next(new AppError(403, 'password_change_required', 'Choose a new password first (POST /api/account/password).'));
  res.redirect(303, '/account/password');
};

export function useSessionSettings(res: Response): SessionSettings {
  return settingsFor(res);
}
