// The authorisation matrix: ONE table of resources × actions × roles with the expected HTTP status.
// test/integration/auth-matrix.test.ts runs every row against a fresh world (factories.buildWorld): two
// faculties A and B; an admin, a council member of A, a programme leader of A's first programme, a viewer
// of A, and an anonymous caller. Roles run in MATRIX_ROLES order, admin last, so a row whose only
// successful caller is the admin may change data; set `fresh: true` when several roles may succeed at a
// mutating action (the world is then rebuilt before each role).
//
// To cover a new resource: add rows (with `route` = the documented "METHOD /api/path" it exercises) and
// add its OpenAPI tag to COVERED_TAGS, so the test fails when a route of that tag has no row.
import { seq, type MatrixRole, type World } from './factories.js';

export interface MatrixRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface MatrixRow {
  /** The documented operation this row exercises, e.g. "GET /api/programmes/:id". */
  route: string;
  /** What is tried, in words: "read a programme of faculty B". */
  action: string;
  request: (w: World) => MatrixRequest;
  expect: Record<MatrixRole, number>;
  /** Ids that must not appear in a successful answer to this role (scope leaks). */
  hidden?: (w: World, role: MatrixRole) => string[];
  fresh?: boolean;
}

/** Operations with these tags must each have at least one row. */
export const COVERED_TAGS = ['org', 'users', 'accounts', 'audit', 'campaigns', 'invitations', 'reports'];

const ok = (status = 200): Record<MatrixRole, number> => ({ anonymous: 401, viewerA: status, leaderA: status, councilA: status, admin: status });
/** The smallest LimeSurvey survey structure: one group with one short-text question, in one language. */
const LSS = `<?xml version="1.0" encoding="UTF-8"?><document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>366</DBVersion><languages><language>en</language></languages>
<groups><rows><row><gid>1</gid><group_name>Page</group_name><group_order>1</group_order><language>en</language></row></rows></groups>
<questions><rows><row><qid>1</qid><parent_qid>0</parent_qid><gid>1</gid><type>S</type><title>Q1</title><question>Comment?</question><question_order>1</question_order><language>en</language></row></rows></questions>
<surveys><rows><row><sid>1</sid><language>en</language></row></rows></surveys></document>`;
const adminOnly = (status = 200): Record<MatrixRole, number> => ({ anonymous: 401, viewerA: 403, leaderA: 403, councilA: 403, admin: status });
/** Readable by admin; out of scope (404, like a missing unit) for everyone else. */
const adminSees = (): Record<MatrixRole, number> => ({ anonymous: 401, viewerA: 404, leaderA: 404, councilA: 404, admin: 200 });
const all = (status: number): Record<MatrixRole, number> => ({ anonymous: status, viewerA: status, leaderA: status, councilA: status, admin: status });

/** Everything of faculty B; for the programme leader also A's units outside their programme. */
const outOfScope = (w: World, role: MatrixRole) => [...w.b.ids, ...(role === 'leaderA' ? [w.a.programme2, w.a.cohort2, w.a.discipline2] : [])];

const name = (en: string) => ({ kk: `${en} қазақша`, ru: `${en} по-русски`, en });

const readMissing: Record<MatrixRole, number> = { anonymous: 401, viewerA: 404, leaderA: 404, councilA: 404, admin: 404 };
const changeMissing: Record<MatrixRole, number> = { anonymous: 401, viewerA: 403, leaderA: 403, councilA: 403, admin: 404 };
/** A minimal valid instrument definition. */
const instrument = (id: string) => ({
  id,
  title: name('Matrix survey'),
  description: name('A survey made by the matrix test'),
  audience: 'student',
  estimatedMinutes: 2,
  pages: [{ id: 'p', title: name('Page'), items: [{ id: 'q', type: 'text', text: name('Question') }] }],
});

/** A well-formed campaign id that names no campaign. */
const NO_CAMPAIGN = 'c00000000000000';
const campaign = (w: World) => ({
  title: name('Campaign'),
  instrument: { id: 'student-satisfaction', version: 1 },
  audience: { kind: 'faculty', ids: [w.a.faculty] },
  academicYear: '2025-2026',
  opensAt: '2025-10-01T00:00:00+05:00',
  closesAt: '2025-10-31T23:59:59+05:00',
});

export const MATRIX: MatrixRow[] = [
  // ---- faculties ----
  { route: 'GET /api/faculties', action: 'list faculties (B is hidden)', request: () => ({ method: 'GET', path: '/api/faculties' }), expect: ok(), hidden: (w) => [w.b.faculty] },
  { route: 'GET /api/faculties/:id', action: 'read faculty A', request: (w) => ({ method: 'GET', path: `/api/faculties/${w.a.faculty}` }), expect: ok() },
  { route: 'GET /api/faculties/:id', action: 'read faculty B', request: (w) => ({ method: 'GET', path: `/api/faculties/${w.b.faculty}` }), expect: adminSees() },
  { route: 'POST /api/faculties', action: 'create a faculty', request: () => ({ method: 'POST', path: '/api/faculties', body: { code: `NF${seq()}`, name: name('New faculty') } }), expect: adminOnly(201) },
  { route: 'PATCH /api/faculties/:id', action: 'rename faculty A (own faculty)', request: (w) => ({ method: 'PATCH', path: `/api/faculties/${w.a.faculty}`, body: { name: name('Renamed') } }), expect: adminOnly() },
  { route: 'PATCH /api/faculties/:id', action: 'rename faculty B', request: (w) => ({ method: 'PATCH', path: `/api/faculties/${w.b.faculty}`, body: { name: name('Renamed') } }), expect: adminOnly() },
  { route: 'POST /api/faculties/:id/archive', action: 'archive faculty B', request: (w) => ({ method: 'POST', path: `/api/faculties/${w.b.faculty}/archive` }), expect: adminOnly() },
  { route: 'POST /api/faculties/:id/restore', action: 'restore faculty B', request: (w) => ({ method: 'POST', path: `/api/faculties/${w.b.faculty}/restore` }), expect: adminOnly() },

  // ---- departments ----
  { route: 'GET /api/departments', action: 'list departments (B is hidden)', request: () => ({ method: 'GET', path: '/api/departments' }), expect: ok(), hidden: (w) => [w.b.department] },
  { route: 'GET /api/departments', action: 'list departments filtered to faculty B', request: (w) => ({ method: 'GET', path: `/api/departments?faculty=${w.b.faculty}` }), expect: ok(), hidden: (w) => [w.b.department] },
  { route: 'GET /api/departments/:id', action: 'read the department of A', request: (w) => ({ method: 'GET', path: `/api/departments/${w.a.department}` }), expect: ok() },
  { route: 'GET /api/departments/:id', action: 'read the department of B', request: (w) => ({ method: 'GET', path: `/api/departments/${w.b.department}` }), expect: adminSees() },
  { route: 'POST /api/departments', action: 'create a department in B', request: (w) => ({ method: 'POST', path: '/api/departments', body: { faculty: w.b.faculty, code: `ND${seq()}`, name: name('New department') } }), expect: adminOnly(201) },
  { route: 'PATCH /api/departments/:id', action: 'change the department of B', request: (w) => ({ method: 'PATCH', path: `/api/departments/${w.b.department}`, body: { code: `CH${seq()}` } }), expect: adminOnly() },
  { route: 'POST /api/departments/:id/archive', action: 'archive the department of B', request: (w) => ({ method: 'POST', path: `/api/departments/${w.b.department}/archive` }), expect: adminOnly() },
  { route: 'POST /api/departments/:id/restore', action: 'restore the department of B', request: (w) => ({ method: 'POST', path: `/api/departments/${w.b.department}/restore` }), expect: adminOnly() },

  // ---- programmes ----
  { route: 'GET /api/programmes', action: 'list programmes (B hidden; a leader sees only theirs)', request: () => ({ method: 'GET', path: '/api/programmes' }), expect: ok(), hidden: outOfScope },
  { route: 'GET /api/programmes', action: 'list programmes with a NoSQL operator in the filter', request: () => ({ method: 'GET', path: '/api/programmes?faculty[$ne]=x&faculty=%7B%22%24ne%22%3A%22x%22%7D' }), expect: ok(), hidden: (w) => [w.b.programme, w.b.programme2, w.a.programme, w.a.programme2] },
  { route: 'GET /api/programmes/:id', action: 'read the led programme of A', request: (w) => ({ method: 'GET', path: `/api/programmes/${w.a.programme}` }), expect: ok() },
  { route: 'GET /api/programmes/:id', action: 'read the other programme of A', request: (w) => ({ method: 'GET', path: `/api/programmes/${w.a.programme2}` }), expect: { ...ok(), leaderA: 404 } },
  { route: 'GET /api/programmes/:id', action: 'read a programme of B', request: (w) => ({ method: 'GET', path: `/api/programmes/${w.b.programme}` }), expect: adminSees() },
  { route: 'POST /api/programmes', action: 'create a programme in B', request: (w) => ({ method: 'POST', path: '/api/programmes', body: { code: `7M0${String(1000 + seq()).slice(-4)}`, name: name('New programme'), level: 'master', faculty: w.b.faculty, department: w.b.department } }), expect: adminOnly(201) },
  { route: 'POST /api/programmes', action: 'create a programme in A (own faculty)', request: (w) => ({ method: 'POST', path: '/api/programmes', body: { code: `8D0${String(1000 + seq()).slice(-4)}`, name: name('New programme'), level: 'doctoral', faculty: w.a.faculty, department: w.a.department } }), expect: adminOnly(201) },
  { route: 'PATCH /api/programmes/:id', action: 'change a programme of B', request: (w) => ({ method: 'PATCH', path: `/api/programmes/${w.b.programme}`, body: { name: name('Changed') } }), expect: adminOnly() },
  { route: 'PATCH /api/programmes/:id', action: 'change the led programme of A', request: (w) => ({ method: 'PATCH', path: `/api/programmes/${w.a.programme}`, body: { name: name('Changed') } }), expect: adminOnly() },
  { route: 'POST /api/programmes/:id/archive', action: 'archive a programme of B', request: (w) => ({ method: 'POST', path: `/api/programmes/${w.b.programme}/archive` }), expect: adminOnly() },
  { route: 'POST /api/programmes/:id/restore', action: 'restore a programme of B', request: (w) => ({ method: 'POST', path: `/api/programmes/${w.b.programme}/restore` }), expect: adminOnly() },

  // ---- cohorts ----
  { route: 'GET /api/cohorts', action: 'list cohorts (B hidden; a leader sees only their programme’s)', request: () => ({ method: 'GET', path: '/api/cohorts' }), expect: ok(), hidden: outOfScope },
  { route: 'GET /api/cohorts/:id', action: 'read a cohort of the led programme', request: (w) => ({ method: 'GET', path: `/api/cohorts/${w.a.cohort}` }), expect: ok() },
  { route: 'GET /api/cohorts/:id', action: 'read a cohort of B', request: (w) => ({ method: 'GET', path: `/api/cohorts/${w.b.cohort}` }), expect: adminSees() },
  { route: 'POST /api/cohorts', action: 'create a cohort in B', request: (w) => ({ method: 'POST', path: '/api/cohorts', body: { programme: w.b.programme, entryYear: 2025, size: 25, label: `B-${seq()}` } }), expect: adminOnly(201) },
  { route: 'PATCH /api/cohorts/:id', action: 'change a cohort of B', request: (w) => ({ method: 'PATCH', path: `/api/cohorts/${w.b.cohort}`, body: { size: 41 } }), expect: adminOnly() },
  { route: 'POST /api/cohorts/:id/archive', action: 'archive a cohort of B', request: (w) => ({ method: 'POST', path: `/api/cohorts/${w.b.cohort}/archive` }), expect: adminOnly() },
  { route: 'POST /api/cohorts/:id/restore', action: 'restore a cohort of B', request: (w) => ({ method: 'POST', path: `/api/cohorts/${w.b.cohort}/restore` }), expect: adminOnly() },

  // ---- disciplines ----
  { route: 'GET /api/disciplines', action: 'list disciplines (B hidden; a leader sees only their programme’s)', request: () => ({ method: 'GET', path: '/api/disciplines' }), expect: ok(), hidden: outOfScope },
  { route: 'GET /api/disciplines/:id', action: 'read a discipline of the led programme', request: (w) => ({ method: 'GET', path: `/api/disciplines/${w.a.discipline}` }), expect: ok() },
  { route: 'GET /api/disciplines/:id', action: 'read a discipline of B', request: (w) => ({ method: 'GET', path: `/api/disciplines/${w.b.discipline}` }), expect: adminSees() },
  { route: 'POST /api/disciplines', action: 'create a discipline in B', request: (w) => ({ method: 'POST', path: '/api/disciplines', body: { code: `NB-${seq()}`, name: name('New discipline'), department: w.b.department, programmes: [w.b.programme] } }), expect: adminOnly(201) },
  { route: 'PATCH /api/disciplines/:id', action: 'change a discipline of B', request: (w) => ({ method: 'PATCH', path: `/api/disciplines/${w.b.discipline}`, body: { programmes: [w.b.programme, w.b.programme2] } }), expect: adminOnly() },
  { route: 'POST /api/disciplines/:id/archive', action: 'archive a discipline of B', request: (w) => ({ method: 'POST', path: `/api/disciplines/${w.b.discipline}/archive` }), expect: adminOnly() },
  { route: 'POST /api/disciplines/:id/restore', action: 'restore a discipline of B', request: (w) => ({ method: 'POST', path: `/api/disciplines/${w.b.discipline}/restore` }), expect: adminOnly() },

  // ---- CSV import ----
  { route: 'POST /api/org/import/:kind', action: 'check a CSV of faculties', request: () => ({ method: 'POST', path: '/api/org/import/faculties', body: { csv: `code,name_kk,name_ru,name_en\nCSV${seq()},Қ,Р,E\n` } }), expect: adminOnly(200) },

  // ---- users ----
  { route: 'GET /api/users', action: 'list users', request: () => ({ method: 'GET', path: '/api/users' }), expect: adminOnly() },
  { route: 'GET /api/sign-in-bursts', action: 'list failed sign-in bursts', request: () => ({ method: 'GET', path: '/api/sign-in-bursts' }), expect: adminOnly() },
  { route: 'POST /api/users', action: 'invite a council member of B', request: (w) => ({ method: 'POST', path: '/api/users', body: { email: `new${seq()}@test.pikir.kz`, name: 'New', role: 'council', faculties: [w.b.faculty] } }), expect: adminOnly(201) },
  { route: 'GET /api/users/:id', action: 'read the council member’s account', request: (w) => ({ method: 'GET', path: `/api/users/${w.users.councilA._id}` }), expect: adminOnly() },
  { route: 'PATCH /api/users/:id', action: 'give the council member faculty B too', request: (w) => ({ method: 'PATCH', path: `/api/users/${w.users.councilA._id}`, body: { faculties: [w.a.faculty, w.b.faculty] } }), expect: adminOnly() },
  { route: 'POST /api/users/:id/disable', action: 'disable the viewer', request: (w) => ({ method: 'POST', path: `/api/users/${w.users.viewerA._id}/disable` }), expect: adminOnly() },
  { route: 'POST /api/users/:id/enable', action: 'enable the viewer', request: (w) => ({ method: 'POST', path: `/api/users/${w.users.viewerA._id}/enable` }), expect: adminOnly() },
  { route: 'POST /api/users/:id/reset-password', action: 'reset the programme leader’s password', request: (w) => ({ method: 'POST', path: `/api/users/${w.users.leaderA._id}/reset-password` }), expect: adminOnly() },

  // ---- own account and session ----
  { route: 'GET /api/auth/me', action: 'who am I', request: () => ({ method: 'GET', path: '/api/auth/me' }), expect: ok() },
  { route: 'PATCH /api/account', action: 'change one’s own language', request: () => ({ method: 'PATCH', path: '/api/account', body: { lang: 'ru' } }), expect: ok() },
  { route: 'POST /api/account/password', action: 'change one’s own password with a wrong current one', request: () => ({ method: 'POST', path: '/api/account/password', body: { currentPassword: 'not the password', newPassword: 'violet harbour engine 93' } }), expect: { ...ok(400) } },
  { route: 'POST /api/auth/login', action: 'sign in with a wrong password', request: (w) => ({ method: 'POST', path: '/api/auth/login', body: { email: w.users.viewerA.email, password: 'wrong password here' } }), expect: all(401) },
  { route: 'POST /api/auth/logout', action: 'sign out', request: () => ({ method: 'POST', path: '/api/auth/logout' }), expect: all(200) },

  // ---- campaigns (roles only: the world has no campaign, so an id names none; scope with real campaigns
  // of A and B is tested in campaigns.test.ts). Guards run before the service: non-admins get 403 on
  // every change, admins reach the service (404 for the missing campaign, 400 for an unpublished instrument).
  { route: 'GET /api/campaigns', action: 'list campaigns', request: () => ({ method: 'GET', path: '/api/campaigns' }), expect: ok() },
  { route: 'GET /api/plan', action: 'read the survey plan', request: () => ({ method: 'GET', path: '/api/plan?year=2025-2026' }), expect: ok() },
  { route: 'POST /api/campaigns', action: 'create a campaign of an instrument that is not published', request: (w) => ({ method: 'POST', path: '/api/campaigns', body: { ...campaign(w), instrument: { id: 'not-published', version: 1 } } }), expect: { ...adminOnly(), admin: 400 } },
  { route: 'GET /api/campaigns/:id', action: 'read a campaign that does not exist', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}` }), expect: ok(404) },
  { route: 'PUT /api/campaigns/:id', action: 'replace a campaign', request: (w) => ({ method: 'PUT', path: `/api/campaigns/${NO_CAMPAIGN}`, body: campaign(w) }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'POST /api/campaigns/:id/open', action: 'open a campaign', request: () => ({ method: 'POST', path: `/api/campaigns/${NO_CAMPAIGN}/open` }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'POST /api/campaigns/:id/close', action: 'close a campaign', request: () => ({ method: 'POST', path: `/api/campaigns/${NO_CAMPAIGN}/close` }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'PUT /api/campaigns/:id/published', action: 'make the summary of a campaign public', request: () => ({ method: 'PUT', path: `/api/campaigns/${NO_CAMPAIGN}/published`, body: { published: true } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'POST /api/campaigns/:id/tokens', action: 'issue single-use tokens', request: () => ({ method: 'POST', path: `/api/campaigns/${NO_CAMPAIGN}/tokens`, body: { count: 3 } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'GET /api/campaigns/:id/qr.png', action: 'QR code (PNG) of a campaign', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/qr.png` }), expect: ok(404) },
  { route: 'GET /api/campaigns/:id/qr.svg', action: 'QR code (SVG) of a campaign', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/qr.svg` }), expect: ok(404) },

  // ---- instruments (the world has none: reads of a missing one are 404, changes are refused before the lookup) ----
  { route: 'GET /api/instruments', action: 'list instruments', request: () => ({ method: 'GET', path: '/api/instruments' }), expect: ok() },
  { route: 'POST /api/instruments', action: 'create an instrument draft', request: () => ({ method: 'POST', path: '/api/instruments', body: instrument(`matrix-${seq()}`) }), expect: adminOnly(201) },
  {
    route: 'POST /api/instruments/import/surveyjs',
    action: 'import a SurveyJS survey',
    request: () => ({ method: 'POST', path: '/api/instruments/import/surveyjs', body: { id: `sj-${seq()}`, audience: 'student', json: { title: 'S', description: 'D', pages: [{ name: 'p', elements: [{ type: 'comment', name: 'c', title: 'C' }] }] } } }),
    expect: adminOnly(201),
  },
  {
    route: 'POST /api/instruments/import/limesurvey',
    action: 'import a LimeSurvey survey structure',
    request: () => ({ method: 'POST', path: '/api/instruments/import/limesurvey', body: { id: `ls-${seq()}`, audience: 'student', xml: LSS } }),
    expect: adminOnly(201),
  },
  { route: 'POST /api/instruments/check', action: 'check a definition being built', request: () => ({ method: 'POST', path: '/api/instruments/check', body: { definition: instrument('checked') } }), expect: adminOnly() },
  { route: 'POST /api/instruments/preview', action: 'preview a definition being built', request: () => ({ method: 'POST', path: '/api/instruments/preview', body: { definition: instrument('previewed'), lang: 'kk' } }), expect: adminOnly() },
  { route: 'GET /api/instruments/:id/versions', action: 'list the versions of a missing instrument', request: () => ({ method: 'GET', path: '/api/instruments/no-such/versions' }), expect: readMissing },
  { route: 'GET /api/instruments/:id/v/:version', action: 'read a missing version', request: () => ({ method: 'GET', path: '/api/instruments/no-such/v/1' }), expect: readMissing },
  { route: 'GET /api/instruments/:id/v/:version/diff', action: 'diff a missing version', request: () => ({ method: 'GET', path: '/api/instruments/no-such/v/1/diff' }), expect: readMissing },
  { route: 'GET /api/instruments/:id/v/:version/export', action: 'export a missing version', request: () => ({ method: 'GET', path: '/api/instruments/no-such/v/1/export' }), expect: readMissing },
  { route: 'POST /api/instruments/:id/versions', action: 'start a new version', request: () => ({ method: 'POST', path: '/api/instruments/no-such/versions' }), expect: changeMissing },
  { route: 'PUT /api/instruments/:id/v/:version', action: 'edit a draft', request: () => ({ method: 'PUT', path: '/api/instruments/no-such/v/1', body: instrument('no-such') }), expect: changeMissing },
  { route: 'POST /api/instruments/:id/v/:version/publish', action: 'publish a version', request: () => ({ method: 'POST', path: '/api/instruments/no-such/v/1/publish' }), expect: changeMissing },
  { route: 'POST /api/instruments/:id/v/:version/clone', action: 'clone a version', request: () => ({ method: 'POST', path: '/api/instruments/no-such/v/1/clone', body: { newId: `clone-${seq()}` } }), expect: changeMissing },

  // ---- audit log ----
  { route: 'GET /api/audit', action: 'read the audit log', request: () => ({ method: 'GET', path: '/api/audit' }), expect: adminOnly() },
  // ---- invitations (roles only; the flows are in invitations.test.ts) ----
  { route: 'POST /api/campaigns/:id/contacts/import', action: 'import contacts into a campaign', request: () => ({ method: 'POST', path: `/api/campaigns/${NO_CAMPAIGN}/contacts/import`, body: { csv: 'name,organisation,email,language,programme\n' } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'POST /api/campaigns/:id/roster/import', action: 'import a cohort roster of students', request: () => ({ method: 'POST', path: `/api/campaigns/${NO_CAMPAIGN}/roster/import`, body: { csv: 'email,cohort\n' } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'PUT /api/campaigns/:id/invitations/schedule', action: 'set the reminder schedule', request: () => ({ method: 'PUT', path: `/api/campaigns/${NO_CAMPAIGN}/invitations/schedule`, body: { steps: [{ from: 'invitation', days: 3 }], maxReminders: 2 } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'GET /api/campaigns/:id/invitations', action: 'read the invitation send log', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/invitations` }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'PUT /api/campaigns/:id/invitations/templates', action: 'replace invitation templates', request: () => ({ method: 'PUT', path: `/api/campaigns/${NO_CAMPAIGN}/invitations/templates`, body: { templates: { kk: { subject: 's', body: '{{link}}' }, ru: { subject: 's', body: '{{link}}' }, en: { subject: 's', body: '{{link}}' } } } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'POST /api/campaigns/:id/invitations/send', action: 'queue invitations', request: () => ({ method: 'POST', path: `/api/campaigns/${NO_CAMPAIGN}/invitations/send`, body: { kind: 'invitation' } }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'DELETE /api/campaigns/:id/contacts', action: 'delete the contacts of a campaign', request: () => ({ method: 'DELETE', path: `/api/campaigns/${NO_CAMPAIGN}/contacts` }), expect: { ...adminOnly(), admin: 404 } },
  // ---- reports and exports (roles and scope; the files themselves are in reports.test.ts). An evidence pack
  // of a year without surveys holds the survey plan and the README only: no PDF is printed here.
  { route: 'GET /api/campaigns/:id/figures.xlsx', action: 'figures of a campaign as XLSX', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/figures.xlsx` }), expect: ok(404) },
  { route: 'GET /api/campaigns/:id/figures.csv', action: 'figures of a campaign as CSV', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/figures.csv` }), expect: ok(404) },
  { route: 'GET /api/campaigns/:id/report.pdf', action: 'the council report of a campaign', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/report.pdf` }), expect: ok(404) },
  { route: 'GET /api/campaigns/:id/responses.xlsx', action: 'response-level data as XLSX', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/responses.xlsx` }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'GET /api/campaigns/:id/responses.csv', action: 'response-level data as CSV', request: () => ({ method: 'GET', path: `/api/campaigns/${NO_CAMPAIGN}/responses.csv` }), expect: { ...adminOnly(), admin: 404 } },
  { route: 'GET /api/programmes/:id/evidence.zip', action: "the evidence pack of A's first programme", request: (w) => ({ method: 'GET', path: `/api/programmes/${w.a.programme}/evidence.zip?year=2025-2026` }), expect: ok(), hidden: outOfScope },
  { route: 'GET /api/programmes/:id/evidence.zip', action: 'the evidence pack of a programme of faculty B', request: (w) => ({ method: 'GET', path: `/api/programmes/${w.b.programme}/evidence.zip?year=2025-2026` }), expect: adminSees() },
  { route: 'POST /api/report-jobs', action: 'start a council report of a campaign that does not exist', request: () => ({ method: 'POST', path: '/api/report-jobs', body: { kind: 'report', campaign: NO_CAMPAIGN } }), expect: ok(404) },
  { route: 'POST /api/report-jobs', action: 'start the evidence pack of a programme of faculty B', request: (w) => ({ method: 'POST', path: '/api/report-jobs', body: { kind: 'evidence', programme: w.b.programme, year: '2025-2026' } }), expect: { ...adminSees(), admin: 202 } },
  { route: 'GET /api/meetings/:id/minutes.pdf', action: 'the minutes of a meeting that does not exist, as PDF', request: () => ({ method: 'GET', path: '/api/meetings/mtg00000000000000/minutes.pdf' }), expect: ok(404) },
  { route: 'GET /api/report-jobs/:id', action: 'read a report job that is not yours', request: () => ({ method: 'GET', path: '/api/report-jobs/jaaaaaaaaaaaaaaaaaaaa' }), expect: ok(404) },
  { route: 'GET /api/report-jobs/:id/file', action: 'download a report job that is not yours', request: () => ({ method: 'GET', path: '/api/report-jobs/jaaaaaaaaaaaaaaaaaaaa/file' }), expect: ok(404) },
];
