// The rating item and matrices of any width: the schema's rules, the respondent's answers, the counters and
// figures, reverse scoring on any range, and the warnings before publishing.
import { expect } from 'chai';
import { unitIncrements } from '../../server/analytics/aggregates/increments.js';
import { touched } from '../../server/analytics/cuts.js';
import { analysableItems, itemFigures, scaleMembers } from '../../server/analytics/item-figures.js';
import { ScaleAccumulator } from '../../server/analytics/stats/index.js';
import { evaluateCondition } from '../../server/instruments/conditions.js';
import { loadLibrary } from '../../server/instruments/library.js';
import { definitionSchema, type Definition } from '../../server/instruments/schema.js';
import { definitionProblems } from '../../server/instruments/validate.js';
import { definitionWarnings, untranslatedLanguages } from '../../server/instruments/warnings.js';
import { readAllAnswers } from '../../server/respond/answers.js';

const t = (en: string) => ({ kk: `${en} kk`, ru: `${en} ru`, en });

function definition(items: unknown[], scales: string[] = []): Definition {
  return definitionSchema.parse({
    id: 'rating-test',
    version: 1,
    title: t('Ratings'),
    description: t('About ratings'),
    audience: 'student',
    estimatedMinutes: 2,
    scales: scales.map((id) => ({ id, title: t(id) })),
    pages: [{ id: 'p', title: t('Page'), items }],
  });
}

describe('rating items and matrices of any width', () => {
  it('accepts any whole-number range up to 21 points, with end labels or one label per point', () => {
    expect(definitionProblems(definition([{ id: 'r', type: 'rating', min: 0, max: 3, text: t('R'), lowLabel: t('Never'), allowNA: true }]))).to.deep.equal([]);
    const bad = (item: Record<string, unknown>) => definitionProblems({ ...definition([{ id: 'x', type: 'likert', text: t('X') }]), pages: [{ id: 'p', title: t('P'), items: [{ id: 'r', type: 'rating', text: t('R'), ...item }] }] }).map((p) => p.message);
    expect(bad({ min: 5, max: 5 })).to.include('must be greater than min');
    expect(bad({ min: 0, max: 30 })).to.include('at most 21 points');
    expect(bad({ min: 1, max: 4, labels: [t('a'), t('b')] })).to.include('must have one label per point');
    expect(bad({ min: 1.5, max: 4 }).length).to.be.greaterThan(0);
    const matrix = (labels: number) => ({ id: 'm', type: 'matrix', text: t('M'), rows: [{ id: 'm1', text: t('1') }, { id: 'm2', text: t('2') }], labels: Array.from({ length: labels }, (_, i) => t(`c${i}`)) });
    expect(definitionProblems(definition([matrix(4)]))).to.deep.equal([]);
    expect(definitionProblems(definition([matrix(11)]))).to.deep.equal([]);
    expect(definitionProblems({ ...definition([matrix(4)]), pages: [{ id: 'p', title: t('P'), items: [matrix(12)] }] }).map((p) => p.message)).to.include('must have 2 to 11 labels');
  });

  it('keeps one range per scale', () => {
    const problems = definitionProblems({
      ...definition([{ id: 'a', type: 'likert', text: t('A') }]),
      scales: [{ id: 's', title: t('S') }],
      pages: [{ id: 'p', title: t('P'), items: [{ id: 'a', type: 'likert', scale: 's', text: t('A') }, { id: 'b', type: 'rating', min: 1, max: 7, scale: 's', text: t('B') }] }],
    });
    expect(problems.map((p) => p.message)).to.deep.equal(['the items of scale "s" must share one range: "a" is 1–5, this is 1–7']);
  });

  it('reads a respondent\'s rating on its own range, and "not applicable" only where offered', () => {
    const def = definition([{ id: 'r', type: 'rating', min: 0, max: 3, text: t('R') }, { id: 'm', type: 'matrix', allowNA: true, text: t('M'), rows: [{ id: 'm1', text: t('1') }, { id: 'm2', text: t('2') }], labels: [t('a'), t('b'), t('c')] }]);
    expect(readAllAnswers(def, { r: '0', m1: '3', m2: 'na' }, (id) => id)).to.deep.equal({ answers: { r: 0, m1: 3, m2: 'na' }, errors: [] });
    expect(readAllAnswers(def, { r: '4', m1: '4' }, (id) => id).errors.map((e) => e.item)).to.deep.equal(['r', 'm1']);
    expect(readAllAnswers(def, { r: 'na' }, (id) => id).errors.map((e) => e.code)).to.deep.equal(['invalid']);
  });

  it('shows a skip rule "at least" on numbers (a form\'s text too), never on "not applicable"', () => {
    expect(evaluateCondition({ item: 'r', gte: 7 }, { r: 9 })).to.equal(true);
    expect(evaluateCondition({ item: 'r', gte: 7 }, { r: '7' })).to.equal(true);
    expect(evaluateCondition({ item: 'r', gte: 7 }, { r: 6 })).to.equal(false);
    expect(evaluateCondition({ item: 'r', gte: 0 }, { r: 'na' })).to.equal(false);
    expect(evaluateCondition({ item: 'r', gte: 0 }, {})).to.equal(false);
  });

  it('counts a rating\'s values as plain value keys (so live cuts count them) and shows its distribution and mean', () => {
    const def = definition([{ id: 'r', type: 'rating', min: 1, max: 10, allowNA: true, text: t('R') }]);
    const counters: Record<string, number> = {};
    for (const answer of [10, 10, 8, 'na']) {
      for (const [path, by] of unitIncrements(def, { r: answer })) if (path.startsWith('items.r.')) counters[path.slice('items.r.'.length)] = (counters[path.slice('items.r.'.length)] ?? 0) + by;
    }
    expect(counters).to.deep.equal({ '10': 2, '8': 1, na: 1 });
    expect(touched('r', counters)).to.equal(4);
    const meta = analysableItems(def)[0]!;
    const f = itemFigures(meta, { n: 4, items: { r: counters } });
    expect(f.kind).to.equal('rating');
    if (f.kind !== 'rating') return;
    expect(f).to.include({ n: 3, na: 1, min: 1, max: 10 });
    expect(f.mean!.mean).to.be.closeTo(28 / 3, 1e-12);
    expect(f.distribution['10']).to.be.closeTo(2 / 3, 1e-12);
    expect(Object.keys(f.counts)).to.have.length(10);
  });

  it('analyses a matrix of five columns as agreement and of other widths as ratings', () => {
    const rows = [{ id: 'a1', text: t('1') }, { id: 'a2', text: t('2') }];
    const def = definition([
      { id: 'five', type: 'matrix', text: t('F'), rows },
      { id: 'four', type: 'matrix', text: t('G'), rows: [{ id: 'b1', text: t('1') }, { id: 'b2', text: t('2') }], labels: [t('a'), t('b'), t('c'), t('d')] },
    ]);
    const metas = analysableItems(def);
    expect(itemFigures(metas[0]!, { n: 1, items: { a1: { '5': 1 } } }).kind).to.equal('scale');
    const four = itemFigures(metas[2]!, { n: 1, items: { b1: { '4': 1 } } });
    expect(four).to.deep.include({ kind: 'rating', min: 1, max: 4 });
  });

  it('reverse-scores on any range as (min + max) − x in scale indices', () => {
    const def = definition(
      [
        { id: 'a', type: 'rating', min: 0, max: 3, scale: 's', text: t('A') },
        { id: 'b', type: 'rating', min: 0, max: 3, scale: 's', reverse: true, text: t('B') },
      ],
      ['s'],
    );
    const [scale] = scaleMembers(def);
    expect(scale!.reflect).to.deep.equal([3, 3]);
    const acc = new ScaleAccumulator(2, scale!.reversed, scale!.reflect);
    acc.add([3, 0]); // the top of a and the bottom of the reversed b: both "3" on the scale
    acc.add([1, 2]);
    expect(acc.index().mean).to.equal((3 + 1) / 2);
    // The old rule stays for 1–5 items: 6 − x.
    const likert = new ScaleAccumulator(2, [false, true]);
    likert.add([5, 1]);
    expect(likert.index().mean).to.equal(5);
    // And the counters a response adds to its scale use the same rule.
    const inc = unitIncrements(def, { a: 3, b: 0 });
    expect(inc.get('items.scale~s.is')).to.equal(3);
  });

  it('warns about personal data and untranslated copies, and finds none in the library', () => {
    expect(untranslatedLanguages({ kk: 'Overall satisfaction', ru: 'Общая удовлетворённость', en: 'Overall satisfaction' })).to.deep.equal(['kk']);
    expect(untranslatedLanguages({ kk: 'В целом хорошо', ru: 'В целом хорошо', en: 'Good overall' })).to.deep.equal(['kk', 'ru']);
    expect(untranslatedLanguages({ kk: 'Информатика', ru: 'Информатика', en: 'Informatics' })).to.deep.equal([]);
    expect(untranslatedLanguages({ kk: 'Жалпы алғанда', ru: 'В целом', en: 'В целом' })).to.deep.equal(['en']);
    const def = definition([{ id: 'mail', type: 'text', text: { kk: 'Электрондық поштаңыз', ru: 'Ваш адрес электронной почты', en: 'Your e-mail address' } }]);
    expect(definitionWarnings(def).filter((w) => w.kind === 'personal_data').map((w) => `${w.owner}:${w.asks}`)).to.deep.equal(['mail:email']);
    for (const d of loadLibrary()) expect(definitionWarnings(d), d.id).to.deep.equal([]);
  });
});
