// CSRF protection for every state-changing request a browser makes, applied once before all feature routes:
// 1. Sec-Fetch-Site, when sent, must be same-origin or none; Origin, when sent, must be BASE_URL's origin.
// 2. Form posts (urlencoded) must carry a _csrf field matching the csrf cookie (signed double submit).
// Requests with neither header nor a form body (API clients, tests) pass step 1 and skip step 2.
// Multipart bodies are parsed later, by the route's upload parser (csrfMultipart), which checks the token
// then; until it has, formRoute refuses the request. Other bodies (text/plain, JSON) are refused on pages.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.js';
import { csrfError, type AppError } from '../lib/errors.js';
import { isApiRequest } from '../lib/error-handler.js';
import { multipartBody, type UploadSpec } from '../lib/upload.js';

export const CSRF_FIELD = '_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export function csrfCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-pikir_csrf' : 'pikir_csrf';
}

interface CsrfSettings {
  cookieName: string;
  secure: boolean;
  secret: string;
  origins: Set<string>;
}

function formToken(settings: CsrfSettings, cookieValue: string): string {
  return createHmac('sha256', settings.secret).update(`csrf:${cookieValue}`).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function settingsOf(res: Response): CsrfSettings {
  const s = res.app.locals.csrfSettings as CsrfSettings | undefined;
  if (!s) throw new Error('csrfProtection() is not mounted');
  return s;
}

/** Throws the csrf error unless `token` is the form token for this request's csrf cookie. */
export function checkCsrfToken(req: Request, res: Response, token: unknown): void {
  const settings = settingsOf(res);
  const cookie = req.cookies?.[settings.cookieName];
  if (typeof token !== 'string' || typeof cookie !== 'string' || !COOKIE_VALUE.test(cookie)) throw csrfError();
  if (!sameText(token, formToken(settings, cookie))) throw csrfError();
}

/** Refuses a state-changing request a browser sends from another site (Sec-Fetch-Site, then Origin). */
function crossSiteError(req: Request, settings: CsrfSettings): AppError | undefined {
  if (!UNSAFE.has(req.method)) return undefined;
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return csrfError();
  const origin = req.get('origin');
  // BASE_URL's origin only: the Host header is the client's to choose (and a proxy's to rewrite), so an
  // Origin that merely equals it proves nothing about which site sent the form.
  if (origin !== undefined && !settings.origins.has(origin)) return csrfError();
  return undefined;
}

function settingsFrom(config: Config): CsrfSettings {
  return {
    cookieName: csrfCookieName(config),
    secure: config.secureCookies,
    secret: config.jwtSecret,
    origins: new Set([new URL(config.baseUrl).origin]),
  };
}

/**
 * Step 1 alone, for the anonymous JSON API that is mounted before cookies and sessions (it has no
 * forms and reads no cookie, so there is no form token to check).
 */
export function refuseCrossSite(config: Config): RequestHandler {
  const settings = settingsFrom(config);
  return (req, _res, next) => next(crossSiteError(req, settings));
}

export function csrfProtection(config: Config): RequestHandler {
  const settings = settingsFrom(config);
  return (req, res, next) => {
    res.app.locals.csrfSettings ??= settings;
    const refused = crossSiteError(req, settings);
    if (refused) return next(refused);
    const api = isApiRequest(req.path);
    if (UNSAFE.has(req.method) && (req.is('application/x-www-form-urlencoded') || (!api && !req.is('multipart/form-data')))) {
      try {
        checkCsrfToken(req, res, (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]);
      } catch (err) {
        return next(err);
      }
    }
    if (UNSAFE.has(req.method) && !api && req.is('multipart/form-data')) res.locals.csrfUnverified = true;
    // API clients never see forms: no cookie, no form token (and no random bytes or HMAC per request).
    if (api) return next();
    let cookie = req.cookies?.[settings.cookieName] as unknown;
    // The browser's own cookie, for the respondent flood limits (lib/client-key.ts): one per browser, so the
    // browsers of a lecture hall behind one address are told apart. Only one the browser sent counts.
    if (typeof cookie === 'string' && COOKIE_VALUE.test(cookie)) res.locals.browserCookie = cookie;
    if (typeof cookie !== 'string' || !COOKIE_VALUE.test(cookie)) {
      cookie = randomBytes(32).toString('base64url');
      res.cookie(settings.cookieName, cookie, { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/' });
    }
    res.locals.csrfToken = formToken(settings, cookie as string);
    next();
  };
}

/** A multipart form's parser (lib/upload.ts) that checks the form's CSRF token once the body is read. */
export function csrfMultipart(spec: UploadSpec): RequestHandler {
  return multipartBody(spec, (req, res) => {
    checkCsrfToken(req, res, (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]);
    res.locals.csrfUnverified = false;
  });
}
