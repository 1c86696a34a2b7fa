// Device cookies (OWASP, "Slow brute force protection using device cookies"): a browser that signed in to an
// account gets a signed cookie naming that account (as a keyed hash, not the address) and a random nonce.
// Sign-in throttling trusts it (login-throttle.ts): an attacker's failures for the account do not hold it back.
// Signed with a key derived from JWT_SECRET, so it survives restarts and works across processes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SessionSettings } from './session.js';

export const DEVICE_COOKIE_MAX_AGE_MS = 180 * 24 * 3600 * 1000;
const VALUE = /^v1\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

const cookieName = (settings: SessionSettings) => (settings.secure ? '__Host-pikir_device' : 'pikir_device');
const keyOf = (settings: SessionSettings) => createHmac('sha256', settings.secret).update('pikir device cookie v1').digest();
const accountTag = (key: Buffer, email: string) => createHmac('sha256', key).update(`account:${email.trim().toLowerCase()}`).digest('base64url').slice(0, 22);
const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url');

/** Gives the browser a fresh device cookie for this account (after a successful sign-in). */
export function issueDeviceCookie(res: Response, settings: SessionSettings, email: string, now = Date.now()): void {
  const key = keyOf(settings);
  const body = `v1.${accountTag(key, email)}.${randomBytes(16).toString('base64url')}.${now}`;
  res.cookie(cookieName(settings), `${body}.${mac(key, body)}`, { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/', maxAge: DEVICE_COOKIE_MAX_AGE_MS });
}

/** The nonce of the request's device cookie if it is ours, unexpired and names this account; else undefined. */
export function trustedDevice(req: Request, settings: SessionSettings, email: string, now = Date.now()): string | undefined {
  const value = req.cookies?.[cookieName(settings)] as unknown;
  if (typeof value !== 'string') return undefined;
  const m = VALUE.exec(value);
  if (!m) return undefined;
  const key = keyOf(settings);
  const body = value.slice(0, value.lastIndexOf('.'));
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(m[4]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (m[1] !== accountTag(key, email)) return undefined;
  const issued = Number(m[3]);
  if (!(issued <= now + 60_000 && now - issued < DEVICE_COOKIE_MAX_AGE_MS)) return undefined;
  return m[2];
}
