import { expect } from 'chai';
import mongoose from 'mongoose';
import { AuditEntry } from '../../server/audit/model.js';
import { academicYearOf } from '../../server/campaigns/dates.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { api, campaignBody, page, postForm, signIn, type Staff } from './campaigns.support.js';

/** The fields of a valid "new campaign" form. */
function formFields(world: SurveyWorld, overrides: Record<string, string | string[]> = {}): [string, string][] {
  const fields: Record<string, string | string[]> = {
    title_kk: 'Оқу сапасы',
    title_ru: 'Качество обучения',
    title_en: 'Teaching quality',
    instrument: 'student-satisfaction@1',
    audienceKind: 'cohort',
    units_cohort: [world.cohortsA[0]!, world.cohortsA[1]!],
    units_faculty: [world.facultyB],
    academicYear: '2025-2026',
    opensOn: '2025-10-01',
    closesOn: '2025-10-31',
    targetSize: '',
    openLinkEnabled: 'on',
    openLinkCap: '',
    ...overrides,
  };
  return Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
}

describe('campaign pages', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  let admin: Staff;
  let councilA: Staff;

  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());
  beforeEach(async () => {
    world = await buildSurveyWorld();
    admin = await signIn(srv, 'admin');
    councilA = await signIn(srv, 'council', { faculties: [world.facultyA] });
  });

  it('shows the survey plan of a year by faculty and month, with status and response rate', async () => {
    await api(srv, admin, 'POST', '/api/campaigns', campaignBody({ audience: { kind: 'faculty', ids: [world.facultyB] }, title: { kk: 'Б', ru: 'Б', en: 'Faculty B pulse' } }));
    const res = await page(srv, admin, '/campaigns?year=2025-2026');
    expect(res.status).to.equal(200);
    expect(res.html).to.include('Survey plan 2025-2026');
    expect(res.html).to.include('Whole university');
    expect(res.html).to.include('FA · Faculty A');
    expect(res.html).to.include('FB · Faculty B');
    expect(res.html).to.include('Faculty B pulse');
    expect(res.html).to.match(/<h3 class="plan-month">October 2025<\/h3>/);
    expect(res.html).to.include('<span class="badge badge--draft">Draft</span>');
    expect(res.html).to.include('<span class="badge badge--open">Open</span>');
    expect(res.html).to.include('0 of 155 · 0%');
    expect(res.html).to.include('<option value="2025-2026" selected>');
    expect(res.html).to.include('href="/campaigns/new"');
    expect(res.html).not.to.match(/<script(?![^>]*type="module" src="\/static\/js\/)/);
  });

  it('shows each group\u2019s rate against its enrolment, the overall rate as their sum, and marks the groups that lag behind', async () => {
    // Cohort sizes: 60 and 55 (programme 1), 40 (programme 2); faculty A = 155 = the campaign's target.
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(3);
    const answered = (programme: string, cohort: string, n: number) =>
      Array.from({ length: n }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, programme, cohort }, day: '2025-10-02' }));
    const [p1, p2] = world.programmesA as [string, string];
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    await srv.services.submissions.storeAccepted(world.campaign, def, [...answered(p1, c1, 30), ...answered(p1, c2, 6), ...answered(p2, c3, 10)]);
    await srv.services.writer.flush();

    const res = await page(srv, admin, `/campaigns/${world.campaign._id}`);
    expect(res.status).to.equal(200);
    expect(res.html).to.include('Response rate by group');
    expect(res.html).to.include('155 <span class="hint">(enrolment of the audience\u2019s cohorts)</span>');
    const row = (key: string) => new RegExp(`<tr data-unit="${key}" class="([^"]+)">([\\s\\S]*?)</tr>`).exec(res.html);
    const cells = (key: string) => [...(row(key)?.[2] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
    expect(cells(`faculty~${world.facultyA}`).slice(1)).to.deep.equal(['46', '155', '30% 30%']);
    expect(cells(`programme~${p1}`).slice(1)).to.deep.equal(['36', '115', '31% 31%']);
    expect(cells(`cohort~${c1}`).slice(1)).to.deep.equal(['30', '60', '50% 50%']);
    expect(cells(`cohort~${c2}`).slice(1)).to.deep.equal(['6', '55', '11% 11%']);
    expect(cells(`cohort~${c3}`).slice(1)).to.deep.equal(['10', '40', '25% 25%']);
    // 6 of 55 is below three quarters of its programme's 36 of 115: marked; nothing else is.
    const lagging = [...res.html.matchAll(/<tr data-unit="([^"]+)" class="[^"]*rates-row--lagging/g)].map((m) => m[1]);
    expect(lagging).to.deep.equal([`cohort~${c2}`]);
    expect(row(`cohort~${c2}`)?.[2]).to.include('lagging behind');

    // The same table alone (what the page reloads live), in the council member's scope and language.
    const fragment = await page(srv, councilA, `/campaigns/${world.campaign._id}/rates`);
    expect(fragment.status).to.equal(200);
    expect(fragment.html).not.to.include('<html');
    expect(fragment.html).to.include(`data-unit="cohort~${c2}" class="rates-row rates-row--depth3 rates-row--lagging"`);
    const results = await api<{ units: { key: string; lagging: boolean; target: number }[]; responses: { target: number } }>(srv, admin, 'GET', `/api/campaigns/${world.campaign._id}/results`);
    expect(results.body.responses.target).to.equal(155);
    expect(results.body.units.filter((u) => u.lagging).map((u) => u.key)).to.deep.equal([`cohort~${c2}`]);
    expect((await page(srv, undefined, `/campaigns/${world.campaign._id}/rates`)).status).to.equal(303);
  });

  it('shows a council member only their faculty\u2019s campaigns, read-only', async () => {
    const b = await api<{ id: string }>(srv, admin, 'POST', '/api/campaigns', campaignBody({ audience: { kind: 'faculty', ids: [world.facultyB] }, title: { kk: 'Б', ru: 'Б', en: 'Faculty B pulse' } }));
    const plan = await page(srv, councilA, '/campaigns?year=2025-2026');
    expect(plan.status).to.equal(200);
    expect(plan.html).to.include('Student satisfaction 2025');
    expect(plan.html).not.to.include('Faculty B pulse');
    expect(plan.html).not.to.include('FB · Faculty B');
    expect(plan.html).not.to.include('href="/campaigns/new"');
    expect((await page(srv, councilA, `/campaigns/${b.body.id}`)).status).to.equal(404);
    expect((await page(srv, councilA, '/campaigns/new')).status).to.equal(403);
    expect((await page(srv, councilA, `/campaigns/${world.campaign._id}/edit`)).status).to.equal(403);
    const own = await page(srv, councilA, `/campaigns/${world.campaign._id}`);
    expect(own.status).to.equal(200);
    expect(own.html).not.to.include(`/campaigns/${world.campaign._id}/close`);
    expect(own.html).not.to.include('/slips');
    expect(own.html).to.include(`/api/campaigns/${world.campaign._id}/qr.svg`);
    const anonymous = await page(srv, undefined, '/campaigns');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.get('location')).to.match(/^\/login/);
  });

  it('creates a campaign from the form without JavaScript, filling the target from cohort sizes', async () => {
    const form = await page(srv, admin, '/campaigns/new');
    expect(form.status).to.equal(200);
    expect(form.html).to.include('<option value="student-satisfaction@1"');
    expect(form.html).to.include(`value="${world.cohortsA[0]}"`);
    const res = await postForm(srv, admin, '/campaigns/new', '/campaigns/new', formFields(world));
    expect(res.status, res.html.slice(0, 500)).to.equal(303);
    expect(res.location).to.match(/^\/campaigns\/c[0-9a-z]{14}\?done=created$/);
    const id = res.location!.split('/')[2]!.split('?')[0]!;
    const created = await api<{ audience: { kind: string; ids: string[] }; targetSize: number; opensAt: string; closesAt: string; status: string }>(srv, admin, 'GET', `/api/campaigns/${id}`);
    expect(created.body.audience).to.deep.equal({ kind: 'cohort', ids: [world.cohortsA[0], world.cohortsA[1]] });
    expect(created.body.targetSize).to.equal(60 + 55);
    expect(created.body.opensAt).to.equal('2025-09-30T19:00:00.000Z');
    expect(created.body.closesAt).to.equal('2025-10-31T18:59:59.000Z');
    expect(created.body.status).to.equal('draft');

    const details = await page(srv, admin, `/campaigns/${id}?done=created`);
    expect(details.html).to.include('The campaign was created as a draft.');
    expect(details.html).to.include('1 Oct 2025 – 31 Oct 2025');
    expect(details.html).to.include('6B06101 Informatics — 2023');
  });

  it('takes titles left empty from the instrument and the year, and opens the form for an instrument', async () => {
    const res = await postForm(srv, admin, '/campaigns/new', '/campaigns/new', formFields(world, { title_kk: '', title_ru: '', title_en: 'Typed by hand' }));
    expect(res.status, res.html.slice(0, 500)).to.equal(303);
    const id = res.location!.split('/')[2]!.split('?')[0]!;
    const created = await api<{ title: Record<string, string> }>(srv, admin, 'GET', `/api/campaigns/${id}`);
    const instrument = (await getPublishedDefinition('student-satisfaction', 1)).title;
    expect(created.body.title).to.deep.equal({ kk: `${instrument.kk} 2025-2026`, ru: `${instrument.ru} 2025-2026`, en: 'Typed by hand' });
    const form = await page(srv, admin, '/campaigns/new?instrument=student-satisfaction@1');
    expect(form.html).to.match(/<option value="student-satisfaction@1"[^>]* selected>/);
    expect(form.html).to.include(`value="${instrument.en} ${academicYearOf(new Date())}"`);
    // Anything else in the address is ignored, not an error.
    expect((await page(srv, admin, '/campaigns/new?instrument=%7B%24ne%3A1%7D')).status).to.equal(200);
    expect((await page(srv, admin, '/campaigns/new?instrument=nope@1')).html).not.to.match(/ selected>[^<]*· v1/);
  });

  it('shows errors next to their fields and keeps what was typed', async () => {
    const res = await postForm(srv, admin, '/campaigns/new', '/campaigns/new', formFields(world, { title_en: '', closesOn: '2025-09-01', units_cohort: [], instrument: 'student-satisfaction@7' }));
    expect(res.status).to.equal(400);
    expect(res.html).to.include('<p class="field-error" id="e-title_en">Enter the title in this language.</p>');
    expect(res.html).to.include('<p class="field-error" id="e-closesOn">The closing day must not be before the opening day.</p>');
    expect(res.html).to.include('<p class="field-error" id="e-units">Tick at least one unit of the audience.</p>');
    expect(res.html).to.include('<p class="field-error" id="e-instrument">This instrument version is not published.');
    expect(res.html).to.include('value="Качество обучения"');
    expect(res.html).to.include('<a href="#f-closesOn">');
    expect(await mongoose.connection.db!.collection('campaigns').countDocuments()).to.equal(1);
  });

  it('reports units that vanished from the structure next to the units field', async () => {
    const res = await postForm(srv, admin, '/campaigns/new', '/campaigns/new', formFields(world, { units_cohort: ['coh_nosuchcohort000'], targetSize: '40' }));
    expect(res.status).to.equal(400);
    expect(res.html).to.include('<p class="field-error" id="e-units">Some of the chosen units are not in the university structure');
  });

  it('edits a campaign, and keeps the instrument of an opened one', async () => {
    // A student audience of the structure is counted by enrolment: a typed target is refused next to its field.
    const typed = await postForm(srv, admin, `/campaigns/${world.campaign._id}/edit`, `/campaigns/${world.campaign._id}/edit`, formFields(world, { audienceKind: 'faculty', units_faculty: [world.facultyA], targetSize: '200', instrument: 'integrity@1' }));
    expect(typed.status).to.equal(400);
    expect(typed.html).to.include('<p class="field-error" id="e-targetSize">');
    expect(typed.html).to.include('counted by enrolment');
    const res = await postForm(srv, admin, `/campaigns/${world.campaign._id}/edit`, `/campaigns/${world.campaign._id}/edit`, formFields(world, { audienceKind: 'faculty', units_faculty: [world.facultyA], instrument: 'integrity@1' }));
    expect(res.status, res.html.slice(0, 400)).to.equal(303);
    const after = await api<{ targetSize: number; targetFrom: string; instrument: { id: string }; title: { en: string } }>(srv, admin, 'GET', `/api/campaigns/${world.campaign._id}`);
    expect(after.body).to.include({ targetSize: 60 + 55 + 40, targetFrom: 'enrolment' });
    expect(after.body.title.en).to.equal('Teaching quality');
    expect(after.body.instrument.id).to.equal('student-satisfaction');
    const edit = await page(srv, admin, `/campaigns/${world.campaign._id}/edit`);
    expect(edit.html).to.include('its instrument version can no longer change');
  });

  it('opens and closes a campaign with the buttons, and records it', async () => {
    const draft = await api<{ id: string }>(srv, admin, 'POST', '/api/campaigns', campaignBody());
    const details = await page(srv, admin, `/campaigns/${draft.body.id}`);
    expect(details.html).to.include(`action="/campaigns/${draft.body.id}/open"`);
    const opened = await postForm(srv, admin, `/campaigns/${draft.body.id}`, `/campaigns/${draft.body.id}/open`, []);
    expect(opened.status).to.equal(303);
    expect(opened.location).to.equal(`/campaigns/${draft.body.id}?done=opened`);
    // Closing is irreversible: the page's button leads to a confirmation page, and a post without its
    // confirm=yes only leads there too.
    const open = await page(srv, admin, `/campaigns/${draft.body.id}`);
    expect(open.html).to.include(`href="/campaigns/${draft.body.id}/close"`);
    expect(open.html).not.to.include(`action="/campaigns/${draft.body.id}/close"`);
    const unconfirmed = await postForm(srv, admin, `/campaigns/${draft.body.id}/close`, `/campaigns/${draft.body.id}/close`, []);
    expect(unconfirmed.status).to.equal(303);
    expect(unconfirmed.location).to.equal(`/campaigns/${draft.body.id}/close`);
    expect((await api<{ status: string }>(srv, admin, 'GET', `/api/campaigns/${draft.body.id}`)).body.status).to.equal('open');
    const confirm = await page(srv, admin, `/campaigns/${draft.body.id}/close`);
    expect(confirm.status).to.equal(200);
    expect(confirm.html).to.include('This cannot be undone');
    expect(confirm.html).to.include('<button type="submit" class="button button--danger">Close the campaign for good</button>');
    const closed = await postForm(srv, admin, `/campaigns/${draft.body.id}/close`, `/campaigns/${draft.body.id}/close`, [['confirm', 'yes']]);
    expect(closed.status).to.equal(303);
    expect(closed.location).to.equal(`/campaigns/${draft.body.id}?done=closed`);
    const after = await page(srv, admin, `/campaigns/${draft.body.id}?done=closed`);
    expect(after.html).to.include('<span class="badge badge--closed">Closed</span>');
    expect(after.html).not.to.include(`/campaigns/${draft.body.id}/close`);
    expect((await page(srv, admin, `/campaigns/${draft.body.id}/close`)).headers.get('location')).to.equal(`/campaigns/${draft.body.id}`);
    const actions = (await AuditEntry.find({ entityId: draft.body.id }).lean()).map((e) => e.action).sort();
    expect(actions).to.deep.equal(['close', 'create', 'open']);
  });

  it('rejects a form post without the CSRF token', async () => {
    const res = await fetch(`${srv.url}/campaigns/${world.campaign._id}/close`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(res.status).to.equal(403);
    expect((await api<{ status: string }>(srv, admin, 'GET', `/api/campaigns/${world.campaign._id}`)).body.status).to.equal('open');
  });

  it('prints slips once, in the students\u2019 language: each with the title, a QR code, the typed code and the address; nothing readable is stored', async () => {
    // The admin's page is in English (postForm adds ?lang=en); the slips are for a Russian-speaking group.
    const res = await postForm(srv, admin, `/campaigns/${world.campaign._id}`, `/campaigns/${world.campaign._id}/slips`, [
      ['count', '14'],
      ['cohort', world.cohortsA[2]!],
      ['lang', 'ru'],
    ]);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const codes = [...res.html.matchAll(/<span class="slip__token">([0-9a-z-]+)<\/span>/g)].map((m) => m[1]!);
    expect(codes).to.have.length(14);
    expect(new Set(codes).size).to.equal(14);
    expect(res.html.match(/<li class="slip">/g)).to.have.length(14);
    expect(res.html.match(/<img class="slip__qr" src="data:image\/svg\+xml;base64,/g)).to.have.length(14);
    expect(res.html).to.include('<ol class="slip-grid" lang="ru">');
    expect(res.html).to.include('<p class="slip__title">Student satisfaction 2025 (ru)</p>');
    // The group in the students' language, without the cohort's size (a planning figure, not for students).
    expect(res.html).to.include('<p class="slip__group">6B06102 Information systems (ru) — 2024</p>');
    expect(res.html).not.to.include('(40)');
    expect(res.html).to.include('<span class="slip__label">Ваш одноразовый код</span>');
    expect(res.html).not.to.include('Your one-time code');
    // The address breaks only between its base and the code.
    expect(res.html).to.include(`<p class="slip__url"><span class="slip__base">${srv.config.baseUrl}/t/</span><wbr><span class="slip__url-code">${codes[0]}</span></p>`);
    expect(res.html).to.include('<h1 id="slips-title">Slips to print</h1>');

    const plain = codes.map((c) => c.replace(/-/g, ''));
    const db = mongoose.connection.db!;
    for (const name of ['tokens', 'unused_tokens', 'audit_log']) {
      const dump = JSON.stringify(await db.collection(name).find({}).toArray());
      for (const t of plain) expect(dump).not.to.include(t);
    }
    expect(await db.collection('tokens').countDocuments({ campaign: world.campaign._id })).to.equal(14);

    const viaTyped = await fetch(`${srv.url}/t/${codes[0]}?lang=en`);
    expect(viaTyped.status).to.equal(200);
    const qr = /<img class="slip__qr" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(res.html)![1]!;
    expect(Buffer.from(qr, 'base64').toString()).to.match(/^<svg /);
  });

  it('refuses slips to non-admins and an out-of-range count', async () => {
    const forbidden = await postForm(srv, councilA, `/campaigns/${world.campaign._id}`, `/campaigns/${world.campaign._id}/slips`, [['count', '3']]);
    expect(forbidden.status).to.equal(403);
    const tooMany = await postForm(srv, admin, `/campaigns/${world.campaign._id}`, `/campaigns/${world.campaign._id}/slips`, [['count', '501'], ['lang', 'kk']]);
    expect(tooMany.status).to.equal(400);
    const noLanguage = await postForm(srv, admin, `/campaigns/${world.campaign._id}`, `/campaigns/${world.campaign._id}/slips`, [['count', '5']]);
    expect(noLanguage.status).to.equal(400);
    expect(noLanguage.html).to.include('Choose the language the slips are printed in.');
    expect(await mongoose.connection.db!.collection('tokens').countDocuments()).to.equal(0);
  });

  it('escapes a title with markup everywhere it is shown', async () => {
    const title = { kk: '<script>alert("kk")</script>', ru: '<img src=x onerror=alert(1)>', en: '<script>alert("en")</script>' };
    const created = await api<{ id: string }>(srv, admin, 'POST', '/api/campaigns', campaignBody({ title }));
    for (const path of [`/campaigns/${created.body.id}`, '/campaigns?year=2025-2026', `/campaigns/${created.body.id}/edit`]) {
      const res = await page(srv, admin, path);
      expect(res.status).to.equal(200);
      expect(res.html, path).not.to.include('<script>alert');
      expect(res.html, path).not.to.include('<img src=x');
      expect(res.html, path).to.include('&lt;script&gt;alert(&quot;en&quot;)&lt;/script&gt;');
    }
  });

  it('answers an id that is not a campaign id with 404', async () => {
    expect((await page(srv, admin, `/campaigns/${encodeURIComponent('{"$gt":""}')}`)).status).to.equal(404);
    expect((await page(srv, admin, '/campaigns/cnosuchcampaign0')).status).to.equal(404);
  });
});
