import { expect } from 'chai';
import { documentedOperations } from '../../server/lib/openapi.js';
import { clearCollections } from '../support/database.js';
import { buildWorld, call, MATRIX_ROLES, type World } from '../support/factories.js';
import { COVERED_TAGS, MATRIX } from '../support/auth-matrix-table.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('authorisation matrix (resources × actions × roles)', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  for (const row of MATRIX) {
    const expected = MATRIX_ROLES.map((r) => `${r} ${row.expect[r]}`).join(', ');
    it(`${row.route} — ${row.action}: ${expected}`, async () => {
      let world: World = await buildWorld(srv.config);
      const failures: string[] = [];
      for (const [i, role] of MATRIX_ROLES.entries()) {
        if (row.fresh && i > 0) {
          await clearCollections();
          world = await buildWorld(srv.config);
        }
        const req = row.request(world);
        const res = await call(srv.url, req.method, req.path, { cookie: world.cookies[role], ...(req.body === undefined ? {} : { body: req.body }) });
        if (res.status !== row.expect[role]) failures.push(`${role}: expected ${row.expect[role]}, got ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status < 300 && role !== 'admin' && row.hidden) {
          const leaked = row.hidden(world, role).filter((id) => res.text.includes(id));
          if (leaked.length) failures.push(`${role}: the answer contains out-of-scope ids ${leaked.join(', ')}`);
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it('has a row for every documented route of the covered tags', () => {
    const covered = new Set(MATRIX.map((r) => r.route));
    const missing = documentedOperations()
      .filter((op) => (op.tags ?? []).some((t) => COVERED_TAGS.includes(t)))
      .map((op) => `${op.method.toUpperCase()} ${op.path}`)
      .filter((route) => !covered.has(route));
    expect(missing, 'routes without a matrix row').to.deep.equal([]);
  });

  it('lets the council member of A see all of A and nothing of B in every list', async () => {
    const w = await buildWorld(srv.config);
    for (const kind of ['faculties', 'departments', 'programmes', 'cohorts', 'disciplines']) {
      const res = await call(srv.url, 'GET', `/api/${kind}`, { cookie: w.cookies.councilA });
      const ids = ((res.json as { items: { id: string }[] }).items ?? []).map((i) => i.id);
      expect(ids.filter((id) => w.b.ids.includes(id)), kind).to.deep.equal([]);
      expect(ids.filter((id) => w.a.ids.includes(id)).length, kind).to.be.greaterThan(0);
    }
  });
});
