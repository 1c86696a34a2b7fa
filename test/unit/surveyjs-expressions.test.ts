import { expect } from 'chai';
import { parseVisibleIf, Unconvertible, type Known } from '../../server/instruments/surveyjs-expressions.js';

// The questions an expression may name, as the import would have recorded them.
const known = new Map<string, Known>([
  ['a', { kind: 'choice', id: 'a', values: new Map([['x', 'vx'], ['y', 'vy'], ['true', 'yes']]) }],
  ['s', { kind: 'scale', id: 's', points: [1, 2, 3, 4, 5].map((n) => ({ source: String(n), number: n, stored: n })) }],
  // A row of a matrix whose columns were reversed on import: the tool's 5 is stored as 1.
  ['row', { kind: 'scale', id: 'm_r1', points: [{ source: 'low', stored: 1 }, { source: 'high', stored: 5 }] }],
  ['rev', { kind: 'scale', id: 'rev', points: [5, 4, 3, 2, 1].map((n, i) => ({ source: String(n), number: n, stored: i + 1 })) }],
  ['n', { kind: 'number', id: 'n', integer: true }],
  ['t', { kind: 'text', id: 't' }],
  ['m', { kind: 'matrix', rows: new Map([['r1', 'm_r1']]), points: [{ source: '1', number: 1, stored: 1 }] }],
  ['opt', { kind: 'option', id: 'multi', value: 'sq1' }],
]);
const resolve = (ref: string): Known => {
  const k = known.get(ref);
  if (!k) throw new Unconvertible(`{${ref}} is unknown`);
  return k;
};
const parse = (expression: string) => parseVisibleIf(expression, resolve);
/** The reason an expression cannot be converted. */
const reason = (expression: string) => {
  try {
    parse(expression);
  } catch (err) {
    expect(err, expression).to.be.instanceOf(Unconvertible);
    return (err as Error).message;
  }
  throw new Error(`"${expression}" was converted`);
};

describe('SurveyJS visibleIf expressions', () => {
  it('maps values through the question they name: choices, scale columns, numbers and text', () => {
    expect(parse("{a} = 'x'")).to.deep.equal({ item: 'a', equals: 'vx' });
    expect(parse('{a} == "y"')).to.deep.equal({ item: 'a', equals: 'vy' });
    expect(parse('{a} = true')).to.deep.equal({ item: 'a', equals: 'yes' });
    expect(parse("{row} = 'high'")).to.deep.equal({ item: 'm_r1', equals: 5 });
    expect(parse('{n} != -2.5')).to.deep.equal({ not: { item: 'n', equals: -2.5 } });
    expect(parse('{t} contains 7')).to.deep.equal({ item: 't', equals: '7' });
    expect(parse("{a} anyof 'x'")).to.deep.equal({ item: 'a', in: ['vx'] });
    expect(parse("{a} allof ['x']")).to.deep.equal({ item: 'a', equals: 'vx' });
  });

  it('binds and tighter than or, reads && || ! and words in any case', () => {
    expect(parse("{a} = 'x' OR {s} notempty AND NOT {t} empty")).to.deep.equal({
      or: [{ item: 'a', equals: 'vx' }, { and: [{ item: 's', answered: true }, { not: { item: 't', answered: false } }] }],
    });
    expect(parse("({a} = 'x' || {a} = 'y') && !{n} empty")).to.deep.equal({
      and: [{ or: [{ item: 'a', equals: 'vx' }, { item: 'a', equals: 'vy' }] }, { not: { item: 'n', answered: false } }],
    });
  });

  it('turns comparisons on a rating scale into the values that satisfy them', () => {
    expect(parse('{s} < 3')).to.deep.equal({ item: 's', in: [1, 2] });
    expect(parse('{s} <= 3')).to.deep.equal({ item: 's', in: [1, 2, 3] });
    expect(parse('{s} > 3')).to.deep.equal({ item: 's', in: [4, 5] });
    expect(parse('{s} >= 5')).to.deep.equal({ item: 's', in: [5] });
    // Compared on the tool's own numbers, named by what is stored.
    expect(parse('{rev} >= 4')).to.deep.equal({ item: 'rev', in: [1, 2] });
    expect(parse('{rev} = 5')).to.deep.equal({ item: 'rev', equals: 1 });
  });

  it('turns "at least" on a number into gte, and a chosen option of a multiple choice into equals', () => {
    expect(parse('{n} >= 3')).to.deep.equal({ item: 'n', gte: 3 });
    expect(parse('{n} > 3')).to.deep.equal({ item: 'n', gte: 4 });
    expect(parse("{opt} = 'Y'")).to.deep.equal({ item: 'multi', equals: 'sq1' });
    expect(parse("{opt} != 'Y'")).to.deep.equal({ not: { item: 'multi', equals: 'sq1' } });
    expect(parse("{opt} = ''")).to.deep.equal({ not: { item: 'multi', equals: 'sq1' } });
    expect(parse('{opt} notempty')).to.deep.equal({ item: 'multi', equals: 'sq1' });
  });

  it('says why an expression cannot be converted', () => {
    expect(reason("{a = 'x'")).to.equal('an unclosed {');
    expect(reason("{a} = 'x")).to.equal('an unclosed quote');
    expect(reason("{a} = 'x' @")).to.equal('the character "@"');
    expect(reason("{a} = 'x' {t}")).to.equal('unexpected "t"');
    expect(reason('{a} =')).to.equal('it ends too early');
    expect(reason("({a} = 'x'")).to.equal('it ends too early');
    expect(reason("({a} = 'x' ]")).to.equal('a missing )');
    expect(reason('{a} anyof []')).to.equal('an empty list');
    expect(reason('age({a}) > 3')).to.equal('the function or word "age"');
    expect(reason("'x' = {a}")).to.equal('"x" where a {question} was expected');
    expect(reason('{a} = [')).to.equal('"[" where a value was expected');
    expect(reason("{a} = 'w'")).to.equal('"w" is not one of the question\'s choices');
    expect(reason('{s} = 6')).to.equal('"6" is not on the scale');
    expect(reason("{n} = 'many'")).to.equal('"many" is not a number');
    expect(reason("{a} > 'x'")).to.equal('">" only works on rating scales here');
    expect(reason("{s} > 'x'")).to.equal('"x" is not a number');
    expect(reason('{s} > 5')).to.equal('no value satisfies it');
    expect(reason("{m} = 'x'")).to.equal('a condition on a whole matrix');
    expect(reason('{m} notempty')).to.equal('a condition on a whole matrix');
    expect(reason("{a} matches 'x'")).to.equal('the operator "matches"');
    expect(reason('{later} = 1')).to.equal('{later} is unknown');
  });
});
