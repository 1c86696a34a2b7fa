// Shared by the campaigns tests: signed-in staff of each role, JSON calls, and form posts with CSRF.
import type { Role } from '../../server/accounts/actor.js';
import { csrfCookieName } from '../../server/accounts/csrf.js';
import type { CampaignInput } from '../../server/campaigns/service.js';
import { createUser, sessionCookie } from '../support/factories.js';
import type { TestServer } from '../support/server.js';

export interface Staff {
  id: string;
  cookie: string;
}

/** A user of `role` with a live session (factories: the session code has its own tests). */
export async function signIn(srv: TestServer, role: Role, scope: { faculties?: string[]; programmes?: string[] } = {}): Promise<Staff> {
  const user = await createUser({ role, ...scope });
  return { id: user._id, cookie: sessionCookie(srv.config, user) };
}

export async function api<T = Record<string, unknown>>(srv: TestServer, who: Staff | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { ...(who ? { cookie: who.cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a page or an image)
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export async function page(srv: TestServer, who: Staff | undefined, path: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(`${srv.url}${path}${path.includes('?') ? '&' : '?'}lang=en`, { headers: who ? { cookie: who.cookie } : {}, redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** Posts a form as a browser would: first a GET for the CSRF cookie and token, then the urlencoded body. */
export async function postForm(srv: TestServer, who: Staff, formPage: string, action: string, fields: [string, string][]): Promise<{ status: number; html: string; location: string | null; headers: Headers }> {
  const first = await fetch(`${srv.url}${formPage}`, { headers: { cookie: who.cookie }, redirect: 'manual' });
  const csrfCookie = (first.headers.getSetCookie().find((c) => c.startsWith(`${csrfCookieName(srv.config)}=`)) ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
  const body = new URLSearchParams([['_csrf', token], ...fields]);
  const res = await fetch(`${srv.url}${action}?lang=en`, {
    method: 'POST',
    headers: { cookie: `${who.cookie}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
}

const name = (en: string) => ({ kk: `${en} (kk)`, ru: `${en} (ru)`, en });

/** A valid API body; override what a test is about. */
export function campaignBody(overrides: Partial<Record<keyof CampaignInput, unknown>> = {}): Record<string, unknown> {
  return {
    title: name('Course feedback'),
    instrument: { id: 'student-satisfaction', version: 1 },
    audience: { kind: 'university', ids: [] },
    academicYear: '2025-2026',
    opensAt: '2025-10-01T00:00:00+05:00',
    closesAt: '2025-10-31T23:59:59+05:00',
    openLinkEnabled: true,
    openLinkCap: 0,
    ...overrides,
  };
}
