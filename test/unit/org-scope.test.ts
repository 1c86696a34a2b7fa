import { expect } from 'chai';
import type { Actor, Role } from '../../server/accounts/actor.js';
import { canSeeUnit, filterVisible, scopeFilter, visibleScope } from '../../server/org/scope.js';
import type { OrgSnapshot } from '../../server/org/snapshot.js';

function actor(role: Role, faculties: string[] = [], programmes: string[] = []): Actor {
  return { userId: 'u', role, email: 'u@x.kz', name: 'U', lang: 'en', faculties, programmes };
}

const n = { kk: 'x', ru: 'x', en: 'x' };
function snapshot(): OrgSnapshot {
  const faculties = [{ id: 'fA', code: 'A', name: n, archived: false }, { id: 'fB', code: 'B', name: n, archived: false }];
  const departments = [{ id: 'dA', faculty: 'fA', code: 'DA', name: n, archived: false }, { id: 'dB', faculty: 'fB', code: 'DB', name: n, archived: false }];
  const programmes = [
    { id: 'pA1', code: '6B06101', name: n, level: 'bachelor' as const, faculty: 'fA', department: 'dA', archived: false },
    { id: 'pA2', code: '6B06102', name: n, level: 'bachelor' as const, faculty: 'fA', department: 'dA', archived: false },
    { id: 'pB1', code: '6B01101', name: n, level: 'bachelor' as const, faculty: 'fB', department: 'dB', archived: false },
  ];
  const map = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
  return { version: 'v', faculties, departments, programmes, cohorts: [], disciplines: [], faculty: map(faculties), department: map(departments), programme: map(programmes), cohort: new Map(), discipline: new Map() };
}

describe('scope', () => {
  it('canSeeUnit: admin everything; council by faculty; leader by programme; viewer by either', () => {
    const council = actor('council', ['fA']);
    const leader = actor('programme_leader', [], ['pA1']);
    const viewer = actor('viewer', ['fA'], ['pB1']);
    expect(canSeeUnit(actor('admin'), {})).to.equal(true);
    expect(canSeeUnit(council, { faculty: 'fA', programme: 'pA2' })).to.equal(true);
    expect(canSeeUnit(council, { faculty: 'fB', programme: 'pB1' })).to.equal(false);
    expect(canSeeUnit(council, { programme: 'pA1' })).to.equal(false, 'fails closed without the faculty');
    expect(canSeeUnit(leader, { faculty: 'fA', programme: 'pA1' })).to.equal(true);
    expect(canSeeUnit(leader, { faculty: 'fA', programme: 'pA2' })).to.equal(false);
    expect(canSeeUnit(leader, { faculty: 'fA' })).to.equal(false, 'a faculty-wide figure is beyond a programme leader');
    expect(canSeeUnit(viewer, { faculty: 'fB', programme: 'pB1' })).to.equal(true);
    expect(canSeeUnit(viewer, { faculty: 'fB', programme: 'pB2' })).to.equal(false);
    expect(canSeeUnit(council, {})).to.equal(false);
  });

  it('a scope stored on a council member is ignored for programmes, and on a leader for faculties', () => {
    expect(canSeeUnit(actor('council', [], ['pB1']), { faculty: 'fB', programme: 'pB1' })).to.equal(false);
    expect(canSeeUnit(actor('programme_leader', ['fB'], []), { faculty: 'fB' })).to.equal(false);
  });

  it('visibleScope expands programmes to their faculty and department', () => {
    const s = visibleScope(actor('programme_leader', [], ['pA1']), snapshot());
    expect([...s.programmes]).to.deep.equal(['pA1']);
    expect([...s.faculties]).to.deep.equal(['fA']);
    expect([...s.departments]).to.deep.equal(['dA']);
    expect([...s.wholeFaculties]).to.deep.equal([]);
    const c = visibleScope(actor('council', ['fA']), snapshot());
    expect([...c.programmes].sort()).to.deep.equal(['pA1', 'pA2']);
  });

  it('scopeFilter says the same as canSeeUnit, as a MongoDB filter', () => {
    expect(scopeFilter(actor('admin'))).to.deep.equal({});
    expect(JSON.parse(JSON.stringify(scopeFilter(actor('council', ['fA']))))).to.deep.equal({ faculty: { $in: ['fA'] } });
    expect(JSON.parse(JSON.stringify(scopeFilter(actor('viewer', ['fA'], ['pB1']), { faculty: 'unit.faculty', programme: 'unit.programme' })))).to.deep.equal({
      $or: [{ 'unit.faculty': { $in: ['fA'] } }, { 'unit.programme': { $in: ['pB1'] } }],
    });
    expect(JSON.parse(JSON.stringify(scopeFilter(actor('council', []))))).to.deep.equal({ _id: { $in: [] } });
  });

  it('filterVisible keeps what the actor may see', () => {
    const rows = [{ f: 'fA', p: 'pA1' }, { f: 'fB', p: 'pB1' }];
    expect(filterVisible(actor('council', ['fA']), rows, (r) => ({ faculty: r.f, programme: r.p }))).to.deep.equal([rows[0]]);
  });
});
