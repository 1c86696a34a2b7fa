import { expect } from 'chai';
import { AuditEntry } from '../../server/audit/model.js';
import { recordAudit, redactForAudit } from '../../server/audit/service.js';
import type { Actor } from '../../server/accounts/actor.js';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import { issueSlips } from '../../server/campaigns/slips.js';
import { buildOrg, call, createUser, sessionCookie } from '../support/factories.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('audit log', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  it('records who changed what, when, with before and after, for users and the structure', async () => {
    const { a } = await buildOrg();
    const adminUser = await createUser({ role: 'admin', email: 'boss@test.pikir.kz' });
    const admin = sessionCookie(srv.config, adminUser);
    const invited = (await call(srv.url, 'POST', '/api/users', { cookie: admin, body: { email: 'new@test.pikir.kz', name: 'New', role: 'viewer', faculties: [a.faculty] } })).json as { user: { id: string } };
    await call(srv.url, 'PATCH', `/api/users/${invited.user.id}`, { cookie: admin, body: { name: 'Renamed' } });
    await call(srv.url, 'POST', `/api/users/${invited.user.id}/disable`, { cookie: admin });
    await call(srv.url, 'POST', `/api/users/${invited.user.id}/reset-password`, { cookie: admin });
    await call(srv.url, 'PATCH', `/api/programmes/${a.programme}`, { cookie: admin, body: { name: { kk: 'Жаңа атау', ru: 'Новое', en: 'New' } } });
    await call(srv.url, 'POST', `/api/cohorts/${a.cohort}/archive`, { cookie: admin });

    const entries = await AuditEntry.find({}).sort({ at: 1, _id: 1 }).lean();
    expect(entries.map((e) => `${e.action} ${e.entity}`)).to.deep.equal(['create users', 'update users', 'disable users', 'reset_password users', 'update programmes', 'archive cohorts']);
    for (const e of entries) expect(e).to.include({ actorId: adminUser._id, actorEmail: 'boss@test.pikir.kz' });
    expect(entries[1]).to.deep.include({ before: { name: 'New' }, after: { name: 'Renamed' } });
    expect(entries[2]).to.deep.include({ before: { disabled: false }, after: { disabled: true } });
    expect((entries[4]!.after as { name: { kk: string } }).name.kk).to.equal('Жаңа атау');
    expect(entries[5]).to.deep.include({ entityId: a.cohort, before: { archived: false }, after: { archived: true } });
    const everything = JSON.stringify(entries);
    expect(everything).not.to.match(/scrypt|passwordHash|oneTimePassword|tokenVersion/);
  });

  it('never stores secret-looking fields or respondents’ answers, whatever a caller passes', async () => {
    expect(redactForAudit({ name: 'x', password: 'p', nested: { passwordHash: 'h', token: 't', answers: [1], ok: 1 }, 'a.b': 1, $x: 2 })).to.deep.equal({ name: 'x', nested: { ok: 1 }, a_b: 1, _x: 2 });
    await recordAudit({ userId: 'usr_x', email: 'x@x.kz' }, { action: 'create', entity: 'campaigns', entityId: 'cmp_1', after: { title: 'T', tokenSecret: 's', responses: [{ q1: 5 }] } });
    const stored = await AuditEntry.findOne({ entityId: 'cmp_1' }).lean();
    expect(stored!.after).to.deep.equal({ title: 'T' });
  });

  it('serves the log newest first with paging, to admins only (API and page)', async () => {
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    for (let i = 0; i < 7; i++) await recordAudit({ userId: 'usr_t', email: 't@x.kz' }, { action: `step${i}`, entity: 'faculties', entityId: `fac_${i}` });
    const page1 = (await call(srv.url, 'GET', '/api/audit?pageSize=3', { cookie: admin })).json as { items: { action: string }[]; total: number; pages: number };
    expect(page1.total).to.equal(7);
    expect(page1.pages).to.equal(3);
    expect(page1.items.map((i) => i.action)).to.deep.equal(['step6', 'step5', 'step4']);
    const page3 = (await call(srv.url, 'GET', '/api/audit?pageSize=3&page=3', { cookie: admin })).json as { items: { action: string }[] };
    expect(page3.items.map((i) => i.action)).to.deep.equal(['step0']);
    const html = await (await fetch(`${srv.url}/admin/audit?lang=kk`, { headers: { cookie: admin } })).text();
    expect(html).to.include('Әрекеттер журналы');
    expect(html).to.include('step6');
    const viewer = sessionCookie(srv.config, await createUser({ role: 'viewer', faculties: [] }));
    expect((await fetch(`${srv.url}/admin/audit`, { headers: { cookie: viewer, accept: 'text/html' } })).status).to.equal(403);
  });

  it('shows the log in words: names instead of ids, actions and fields translated, before and after readable', async () => {
    const world = await buildSurveyWorld();
    const adminUser = await createUser({ role: 'admin', name: 'Aigerim Admin', email: 'aigerim@test.pikir.kz' });
    const admin = sessionCookie(srv.config, adminUser);
    const invited = (await call(srv.url, 'POST', '/api/users', { cookie: admin, body: { email: 'viewer2@test.pikir.kz', name: 'Viewer Two', role: 'viewer', faculties: [world.facultyA] } })).json as { user: { id: string } };
    await call(srv.url, 'PATCH', `/api/users/${invited.user.id}`, { cookie: admin, body: { role: 'council' } });
    const actor: Actor = { userId: adminUser._id, role: 'admin', email: adminUser.email, name: adminUser.name, lang: 'en', faculties: [], programmes: [] };
    await issueSlips(actor, world.campaign._id, 3, { programme: world.programmesA[0], cohort: world.cohortsA[0] });
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');

    const html = await (await fetch(`${srv.url}/admin/audit?lang=en`, { headers: { cookie: admin } })).text();
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ : /g, ': ');
    if (process.env.AUDIT_DUMP) console.log(text);
    // Names, not internal ids: the campaign, the faculty and programme of an audience and a slip's group, the user.
    for (const id of [world.campaign._id, world.facultyA, world.programmesA[0]!, world.cohortsA[0]!, invited.user.id]) expect(text, id).not.to.include(id);
    expect(text).to.include('Student satisfaction 2025');
    expect(text).to.include('Issued token slips');
    for (const part of ['Issued token slips', 'Number: 3', 'Cohort: Informatics · 2023', 'Programme: Informatics', 'Faculty: Faculty A', 'Year of entry: 2023']) expect(text).to.include(part);
    expect(text).to.include('Instrument: Student satisfaction with the programme · v1');
    expect(text).to.include('Audience: Faculties: Faculty A');
    expect(text).to.include('Role: Viewer (read only) → Quality council member');
    expect(text).to.include('Faculties: Faculty A');
    expect(text).to.include('Status: Open → Closed');
    expect(text).to.include('Aigerim Admin');
    expect(text).to.include('Pikir (automatic)');
    // No raw JSON, no action codes.
    expect(text).not.to.match(/[{}]"|"\w+":|issue_tokens|\bcreate\b/);
    const ru = await (await fetch(`${srv.url}/admin/audit?lang=ru`, { headers: { cookie: admin } })).text();
    expect(ru).to.include('Выпуск бланков с кодами');
    expect(ru).to.include('Статус');
  });
});
