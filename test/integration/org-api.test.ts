import { expect } from 'chai';
import mongoose from 'mongoose';
import { loadOrgSnapshot } from '../../server/org/snapshot.js';
import { buildOrg, call, createUser, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

const KK = 'Ақпараттық жүйелер және әғқңөұүһі';

describe('university structure API', () => {
  let srv: TestServer;
  let admin: string;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());
  beforeEach(async () => {
    admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
  });

  const post = (path: string, body: unknown) => call(srv.url, 'POST', path, { cookie: admin, body });

  it('creates the structure top-down and keeps Kazakh names exactly', async () => {
    const fac = await post('/api/faculties', { code: 'ФИТ', name: { kk: KK, ru: 'Факультет ИТ', en: 'IT' } });
    expect(fac.status).to.equal(201);
    const f = fac.json as { id: string; name: { kk: string } };
    expect(f.id).to.match(/^fac_[0-9a-z]{16}$/);
    expect(f.name.kk).to.equal(KK);
    const dep = (await post('/api/departments', { faculty: f.id, code: 'ИС', name: { kk: 'Кафедра', ru: 'Кафедра', en: 'Dept' } })).json as { id: string };
    const prg = await post('/api/programmes', { code: '6b06101', name: { kk: KK, ru: 'ИС', en: 'IS' }, level: 'bachelor', faculty: f.id, department: dep.id });
    expect(prg.status).to.equal(201);
    expect((prg.json as { code: string }).code).to.equal('6B06101');
    const p = prg.json as { id: string };
    expect((await post('/api/cohorts', { programme: p.id, entryYear: 2024, size: 55, label: 'ИС-24' })).status).to.equal(201);
    expect((await post('/api/disciplines', { code: 'INF101', name: { kk: 'Информатика', ru: 'Информатика', en: 'Informatics' }, department: dep.id, programmes: [p.id] })).status).to.equal(201);
    const got = await call(srv.url, 'GET', `/api/programmes/${p.id}`, { cookie: admin });
    expect((got.json as { name: { kk: string } }).name.kk).to.equal(KK);
  });

  it('validates programme codes against the Kazakh classifier and the level', async () => {
    const { a } = await buildOrg();
    const base = { name: { kk: 'а', ru: 'а', en: 'a' }, faculty: a.faculty, department: a.department };
    for (const code of ['6B0610', '6X06101', 'B06101', '6B061011', '9D06101']) {
      const res = await post('/api/programmes', { ...base, code, level: 'bachelor' });
      expect(res.status, code).to.equal(400);
      expect(res.text).to.match(/classifier code/);
    }
    const mismatch = await post('/api/programmes', { ...base, code: '7M06101', level: 'bachelor' });
    expect(mismatch.status).to.equal(400);
    expect(mismatch.text).to.match(/master/);
    expect((await post('/api/programmes', { ...base, code: '7M06199', level: 'master' })).status).to.equal(201);
    expect((await post('/api/programmes', { ...base, code: '8D06199', level: 'doctoral' })).status).to.equal(201);
  });

  it('refuses references across faculties, unknown units, duplicates and formulas', async () => {
    const { a, b } = await buildOrg();
    const name = { kk: 'а', ru: 'а', en: 'a' };
    const cross = await post('/api/programmes', { code: '6B09999', name, level: 'bachelor', faculty: a.faculty, department: b.department });
    expect(cross.status).to.equal(400);
    expect(cross.text).to.match(/another faculty/);
    expect((await post('/api/cohorts', { programme: 'prg_nosuchprogramme0', entryYear: 2024, size: 1, label: 'x' })).status).to.equal(400);
    const dup = await post('/api/faculties', { code: 'fa', name });
    expect(dup.status).to.equal(409);
    const formula = await post('/api/faculties', { code: 'NEW', name: { ...name, en: '=cmd|"/c calc"!A1' } });
    expect(formula.status).to.equal(400);
    expect(formula.text).to.match(/formula/);
  });

  it('refuses NoSQL operators in bodies and filters', async () => {
    const { a } = await buildOrg();
    const res = await post('/api/departments', { faculty: { $ne: null }, code: 'X', name: { kk: 'а', ru: 'а', en: 'a' } });
    expect(res.status).to.equal(400);
    const patch = await call(srv.url, 'PATCH', `/api/faculties/${a.faculty}`, { cookie: admin, body: { $set: { archived: true } } });
    expect(patch.status).to.equal(400);
    const list = await call(srv.url, 'GET', '/api/programmes?faculty[$ne]=nothing', { cookie: admin });
    expect(list.status).to.equal(200);
    const bogus = await call(srv.url, 'GET', '/api/programmes?faculty=%7B%22%24ne%22%3A1%7D', { cookie: admin });
    expect((bogus.json as { items: unknown[] }).items).to.deep.equal([]);
  });

  it('archives a unit: hidden from lists unless asked, id still readable, restorable', async () => {
    const { a } = await buildOrg();
    expect((await post(`/api/programmes/${a.programme2}/archive`, undefined)).status).to.equal(200);
    const list = (await call(srv.url, 'GET', `/api/programmes?faculty=${a.faculty}`, { cookie: admin })).json as { items: { id: string }[] };
    expect(list.items.map((p) => p.id)).to.deep.equal([a.programme]);
    const all = (await call(srv.url, 'GET', `/api/programmes?faculty=${a.faculty}&includeArchived=true`, { cookie: admin })).json as { items: { id: string }[] };
    expect(all.items).to.have.length(2);
    expect(((await call(srv.url, 'GET', `/api/programmes/${a.programme2}`, { cookie: admin })).json as { archived: boolean }).archived).to.equal(true);
    const cohort = await post('/api/cohorts', { programme: a.programme2, entryYear: 2025, size: 10, label: 'late' });
    expect(cohort.status).to.equal(400, 'no new cohort under an archived programme');
    expect((await post(`/api/programmes/${a.programme2}/restore`, undefined)).status).to.equal(200);
  });

  it('updates with the same checks as create and keeps unchanged fields', async () => {
    const { a, b } = await buildOrg();
    const moved = await call(srv.url, 'PATCH', `/api/programmes/${a.programme}`, { cookie: admin, body: { faculty: b.faculty } });
    expect(moved.status).to.equal(400, 'the department still belongs to A');
    const ok = await call(srv.url, 'PATCH', `/api/programmes/${a.programme}`, { cookie: admin, body: { faculty: b.faculty, department: b.department } });
    expect(ok.status).to.equal(200);
    expect(ok.json).to.include({ faculty: b.faculty, department: b.department, code: '6B06101' });
    const taken = await call(srv.url, 'PATCH', `/api/faculties/${a.faculty}`, { cookie: admin, body: { code: 'FB' } });
    expect(taken.status).to.equal(409);
  });

  it('the snapshot follows every change, also a change made behind its back', async () => {
    const { a } = await buildOrg();
    expect((await loadOrgSnapshot()).faculty.has(a.faculty)).to.equal(true);
    await mongoose.connection.db!.collection('faculties').deleteMany({});
    await mongoose.connection.db!.collection('org_meta').deleteMany({});
    expect((await loadOrgSnapshot()).faculty.has(a.faculty)).to.equal(false);
  });
});
