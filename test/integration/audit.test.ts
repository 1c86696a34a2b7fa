import { expect } from 'chai';
import { AuditEntry } from '../../server/audit/model.js';
import { recordAudit, redactForAudit } from '../../server/audit/service.js';
import { buildOrg, call, createUser, sessionCookie } from '../support/factories.js';
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
});
