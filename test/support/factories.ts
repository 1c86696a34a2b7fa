// Test data: users with a known password, a session cookie for each role, and a small university in two
// faculties (A and B). Everything is inserted directly through the models (fast); the org snapshot notices
// through the models' hooks. Call inside a test: the integration hooks empty the collections before each.
import type { Config } from '../../server/config.js';
import type { Role } from '../../server/accounts/actor.js';
import { User, type UserDoc } from '../../server/accounts/model.js';
import { hashPassword } from '../../server/accounts/password.js';
import { signSessionToken } from '../../server/accounts/tokens.js';
import { sessionCookieName } from '../../server/accounts/session.js';
import { newId } from '../../server/org/ids.js';
import { Cohort, Department, Discipline, Faculty, Programme } from '../../server/org/models.js';
import type { Lang } from '../../server/lib/i18n/index.js';

/** Every factory user has this password (it passes the password rules). */
export const TEST_PASSWORD = 'quiet meadow lantern 47';

let knownHash: Promise<string> | undefined;
/** The hash of TEST_PASSWORD, computed once per run (scrypt is deliberately slow). */
export function testPasswordHash(): Promise<string> {
  knownHash ??= hashPassword(TEST_PASSWORD);
  return knownHash;
}

let counter = 0;
/** A number unique within the run, for emails and codes. */
export function seq(): number {
  counter += 1;
  return counter;
}

export interface UserOptions {
  role?: Role;
  email?: string;
  name?: string;
  faculties?: string[];
  programmes?: string[];
  lang?: Lang;
  disabled?: boolean;
  mustChangePassword?: boolean;
  /** Another password than TEST_PASSWORD (hashed for this user). */
  password?: string;
}

export async function createUser(options: UserOptions = {}): Promise<UserDoc> {
  const role = options.role ?? 'admin';
  const n = seq();
  const doc = await User.create({
    email: options.email ?? `${role}.${n}@test.pikir.kz`,
    name: options.name ?? `Test ${role} ${n}`,
    role,
    faculties: options.faculties ?? [],
    programmes: options.programmes ?? [],
    lang: options.lang ?? 'en',
    passwordHash: options.password ? await hashPassword(options.password) : await testPasswordHash(),
    disabled: options.disabled ?? false,
    mustChangePassword: options.mustChangePassword ?? false,
    lastActiveAt: new Date(),
  });
  return doc.toObject();
}

/** A Cookie header value with a valid session for the user (as if they had just signed in). */
export function sessionCookie(config: Config, user: Pick<UserDoc, '_id' | 'tokenVersion'>): string {
  return `${sessionCookieName(config)}=${signSessionToken({ sub: user._id, ver: user.tokenVersion }, config.jwtSecret)}`;
}

const name = (en: string, kk = `${en} (kk)`) => ({ kk, ru: `${en} (ru)`, en });

export interface FacultyWorld {
  faculty: string;
  department: string;
  /** The programme a programme leader of this faculty leads. */
  programme: string;
  /** A second programme of the faculty, outside the programme leader's scope. */
  programme2: string;
  cohort: string;
  /** A cohort of programme2. */
  cohort2: string;
  /** A discipline of `programme`. */
  discipline: string;
  /** A discipline of programme2 only. */
  discipline2: string;
  /** Every id of this faculty's units. */
  ids: string[];
}

async function buildFaculty(code: string, progBase: number): Promise<FacultyWorld> {
  const faculty = newId('fac');
  const department = newId('dep');
  const programme = newId('prg');
  const programme2 = newId('prg');
  const cohort = newId('coh');
  const cohort2 = newId('coh');
  const discipline = newId('dis');
  const discipline2 = newId('dis');
  await Faculty.create({ _id: faculty, code, name: name(`Faculty ${code}`) });
  await Department.create({ _id: department, faculty, code: `${code}-D`, name: name(`Department ${code}`) });
  await Programme.insertMany([
    { _id: programme, code: `6B0${progBase}01`, name: name(`Programme ${code}1`), level: 'bachelor', faculty, department },
    { _id: programme2, code: `6B0${progBase}02`, name: name(`Programme ${code}2`), level: 'bachelor', faculty, department },
  ]);
  await Cohort.insertMany([
    { _id: cohort, programme, entryYear: 2024, size: 40, label: `${code}1-24` },
    { _id: cohort2, programme: programme2, entryYear: 2024, size: 30, label: `${code}2-24` },
  ]);
  await Discipline.insertMany([
    { _id: discipline, code: `${code}-101`, name: name(`Discipline ${code}1`), department, programmes: [programme] },
    { _id: discipline2, code: `${code}-102`, name: name(`Discipline ${code}2`), department, programmes: [programme2] },
  ]);
  return { faculty, department, programme, programme2, cohort, cohort2, discipline, discipline2, ids: [faculty, department, programme, programme2, cohort, cohort2, discipline, discipline2] };
}

/** Two faculties, A and B, each with a department, two programmes, a cohort and a discipline per programme. */
export async function buildOrg(): Promise<{ a: FacultyWorld; b: FacultyWorld }> {
  return { a: await buildFaculty('FA', 61), b: await buildFaculty('FB', 11) };
}

export const MATRIX_ROLES = ['anonymous', 'viewerA', 'leaderA', 'councilA', 'admin'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export interface World {
  a: FacultyWorld;
  b: FacultyWorld;
  users: Record<Exclude<MatrixRole, 'anonymous'>, UserDoc>;
  /** Cookie header per role ("" for anonymous). */
  cookies: Record<MatrixRole, string>;
}

/**
 * The org in two faculties and one user per role: admin; council member of faculty A; programme leader of
 * A's first programme; viewer of faculty A. All sign in with TEST_PASSWORD.
 */
export async function buildWorld(config: Config): Promise<World> {
  const { a, b } = await buildOrg();
  const admin = await createUser({ role: 'admin', email: 'admin@test.pikir.kz' });
  const councilA = await createUser({ role: 'council', email: 'council.a@test.pikir.kz', faculties: [a.faculty] });
  const leaderA = await createUser({ role: 'programme_leader', email: 'leader.a@test.pikir.kz', programmes: [a.programme] });
  const viewerA = await createUser({ role: 'viewer', email: 'viewer.a@test.pikir.kz', faculties: [a.faculty] });
  const users = { admin, councilA, leaderA, viewerA };
  return {
    a,
    b,
    users,
    cookies: {
      anonymous: '',
      admin: sessionCookie(config, admin),
      councilA: sessionCookie(config, councilA),
      leaderA: sessionCookie(config, leaderA),
      viewerA: sessionCookie(config, viewerA),
    },
  };
}

export interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/** A JSON API call with an optional cookie. */
export async function call(baseUrl: string, method: string, path: string, options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, redirect: 'manual', ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/** Merges Set-Cookie answers into a Cookie header (later values win; cleared cookies are dropped). */
export function mergeCookies(cookie: string, setCookies: string[]): string {
  const jar = new Map<string, string>();
  for (const part of cookie.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    jar.set(part.slice(0, eq), part.slice(eq + 1));
  }
  for (const sc of setCookies) {
    const [pair = ''] = sc.split(';');
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!value || /expires=Thu, 01 Jan 1970/i.test(sc)) jar.delete(key);
    else jar.set(key, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Loads a page and returns its CSRF form token with the cookies needed to post a form from it. */
export async function formContext(baseUrl: string, path: string, cookie = ''): Promise<{ cookie: string; token: string; html: string; status: number }> {
  const res = await fetch(baseUrl + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { cookie: mergeCookies(cookie, res.headers.getSetCookie()), token, html, status: res.status };
}

/** Posts an urlencoded form (as a browser would, same-origin). */
export async function postForm(baseUrl: string, path: string, cookie: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return fetch(baseUrl + path, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, 'sec-fetch-site': 'same-origin' },
    body,
    redirect: 'manual',
  });
}
