import { expect } from 'chai';
import { scopeBlocked } from '../../server/analytics/results.js';
import type { ResultUnit } from '../../server/analytics/units.js';

const unit = (key: string, level: ResultUnit['level'], parent?: string): ResultUnit => ({ key, level, id: key, name: { kk: key, ru: key, en: key }, ...(parent ? { parent } : {}) });

describe('levels above a viewer’s scope (scope complements)', () => {
  const all = [unit('U', 'university'), unit('F1', 'faculty', 'U'), unit('F2', 'faculty', 'U'), unit('F3', 'faculty', 'U')];
  const blocked = (sizes: Record<string, number>) => scopeBlocked([all[0]!], new Set(['U', 'F1']), all, (key) => sizes[key] ?? 0, 5);

  it('hides the university from a faculty council when the rest is one other faculty', () => {
    expect(blocked({ U: 32, F1: 20, F2: 12 }).has('U')).to.equal(true);
  });

  it('shows it when the rest is at least two other faculties of k or more each', () => {
    expect(blocked({ U: 50, F1: 20, F2: 12, F3: 18 }).has('U')).to.equal(false);
  });

  it('hides it when one of the others is below k (the rest would be nearly that one faculty)', () => {
    expect(blocked({ U: 36, F1: 20, F2: 12, F3: 4 }).has('U')).to.equal(true);
  });

  it('counts responses that name no faculty as a group of their own', () => {
    expect(blocked({ U: 35, F1: 20, F2: 12, F3: 0 }).has('U')).to.equal(true);
    expect(blocked({ U: 38, F1: 20, F2: 12, F3: 0 }).has('U')).to.equal(false);
  });

  it('shows it when everything under it is within the scope', () => {
    expect(scopeBlocked([all[0]!], new Set(['U', 'F1', 'F2', 'F3']), all, (key) => ({ U: 40, F1: 20, F2: 12, F3: 8 })[key] ?? 0, 5).has('U')).to.equal(false);
  });
});
