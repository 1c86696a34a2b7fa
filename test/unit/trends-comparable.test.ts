// Trends compare like with like: a group's trend takes its points from campaigns that asked the whole
// group; a campaign that asked only part of it is compared only with campaigns of exactly its audience.
import { expect } from 'chai';
import type { AudienceKind } from '../../server/campaigns/model.js';
import { comparable, coversUnit } from '../../server/analytics/trends.js';

const org = {
  programmes: [
    { id: 'p1', faculty: 'f1', code: 'P1', name: { kk: 'P1', ru: 'P1', en: 'P1' } },
    { id: 'p2', faculty: 'f1', code: 'P2', name: { kk: 'P2', ru: 'P2', en: 'P2' } },
    { id: 'p3', faculty: 'f2', code: 'P3', name: { kk: 'P3', ru: 'P3', en: 'P3' } },
  ],
  cohorts: [
    { id: 'c1', programme: 'p1', entryYear: 2024, label: '2024', size: 30 },
    { id: 'c3', programme: 'p3', entryYear: 2024, label: '2024', size: 30 },
  ],
};
const campaign = (name: string, kind: AudienceKind, ids: string[] = []) => ({ name, audience: { kind, ids } });

describe('trend comparability', () => {
  it('knows which audiences asked the whole of a group', () => {
    type Audience = { kind: AudienceKind; ids: string[] };
    const university: Audience = { kind: 'university', ids: [] };
    const faculty1: Audience = { kind: 'faculty', ids: ['f1'] };
    const programme1: Audience = { kind: 'programme', ids: ['p1'] };
    const cohort1: Audience = { kind: 'cohort', ids: ['c1'] };
    const table: [Audience, string, boolean][] = [
      [university, 'university', true],
      [university, 'discipline~d1', true],
      [faculty1, 'university', false],
      [faculty1, 'faculty~f1', true],
      [faculty1, 'faculty~f2', false],
      [faculty1, 'programme~p2', true],
      [faculty1, 'programme~p3', false],
      [faculty1, 'cohort~c1', true],
      [faculty1, 'cohort~c3', false],
      [programme1, 'faculty~f1', false],
      [programme1, 'programme~p1', true],
      [programme1, 'cohort~c1', true],
      [programme1, 'programme~p2', false],
      [cohort1, 'cohort~c1', true],
      [cohort1, 'programme~p1', false],
      [{ kind: 'contacts', ids: [] }, 'university', false],
      [{ kind: 'discipline', ids: ['d1'] }, 'discipline~d1', true],
    ];
    expect(table.map(([a, unit]) => [a.kind, a.ids.join(), unit, coversUnit(a, unit, org)])).to.deep.equal(table.map(([a, unit, covers]) => [a.kind, a.ids.join(), unit, covers]));
  });

  it('leaves a programme-only campaign out of the university and faculty trends of a university-wide survey', () => {
    const wide2024 = campaign('wide 2024', 'university');
    const wide2025 = campaign('wide 2025', 'university');
    const programmeOnly = campaign('programme only 2025', 'programme', ['p1']);
    const all = [wide2024, wide2025, programmeOnly];
    for (const unit of ['university', 'faculty~f1']) {
      const { basis, kept, left } = comparable(wide2025, all, unit, org);
      expect(basis, unit).to.equal('whole');
      expect(kept.map((c) => c.name), unit).to.deep.equal(['wide 2024', 'wide 2025']);
      expect(left.map((c) => c.name), unit).to.deep.equal(['programme only 2025']);
    }
    // At the programme the programme-only survey asked everyone too: three comparable points.
    expect(comparable(wide2025, all, 'programme~p1', org).kept).to.have.length(3);
  });

  it('compares a campaign that asked only part of a group with campaigns of exactly its audience', () => {
    const p1a = campaign('p1 2024', 'programme', ['p1']);
    const p1b = campaign('p1 2025', 'programme', ['p1']);
    const p1p2 = campaign('p1+p2 2025', 'programme', ['p2', 'p1']);
    const wide = campaign('wide 2025', 'university');
    const { basis, kept, left } = comparable(p1b, [p1a, p1b, p1p2, wide], 'faculty~f1', org);
    expect(basis).to.equal('same-audience');
    expect(kept.map((c) => c.name)).to.deep.equal(['p1 2024', 'p1 2025']);
    expect(left.map((c) => c.name)).to.deep.equal(['p1+p2 2025', 'wide 2025']);
  });
});
