// SurveyJS visibleIf expressions as our showIf conditions: a tokenizer and a recursive-descent parser for the
// subset we can express. Anything else throws Unconvertible with the reason, which the import report shows.
import type { Condition } from './schema.js';

// Supported: {q} = / == / != / <> value, anyof / allof / noneof [list], contains / notcontains value,
// empty / notempty, < <= > >= on rating scales, combined with and / or / ! / not and parentheses.

/** What an earlier question is, so a later visibleIf can be translated into our values. */
export type Known =
  | { kind: 'choice'; id: string; values: Map<string, string> }
  | { kind: 'scale'; id: string; points: ScalePointValue[] }
  | { kind: 'text'; id: string }
  | { kind: 'number'; id: string; integer?: boolean }
  | { kind: 'matrix'; rows: Map<string, string>; points: ScalePointValue[] }
  | { kind: 'rows'; rows: Map<string, Known> }
  /** One option of a multiple-choice question, as LimeSurvey names it ("Q2_SQ001" is "Y" when chosen). */
  | { kind: 'option'; id: string; value: string };

/** A point of an imported scale: the tool's value, its number when it is one, and what we store for it. */
export interface ScalePointValue {
  source: string;
  number?: number;
  stored: number | string;
}

export class Unconvertible extends Error {}

/** The condition an expression stands for; `resolve` says what the question named by {ref} became. */
export function parseVisibleIf(expression: string, resolve: (ref: string) => Known): Condition {
  return new ExpressionParser(tokenize(expression), resolve).parse();
}

/** A token of an expression; LimeSurvey's expressions are tokenised into the same (limesurvey-expressions.ts). */
export type Token = { kind: 'ref' | 'string' | 'number' | 'word' | 'op' | 'punct'; value: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '{') {
      const end = input.indexOf('}', i);
      if (end < 0) throw new Unconvertible('an unclosed {');
      tokens.push({ kind: 'ref', value: input.slice(i + 1, end) });
      i = end + 1;
    } else if (c === "'" || c === '"') {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw new Unconvertible('an unclosed quote');
      tokens.push({ kind: 'string', value: input.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      tokens.push({ kind: 'number', value: m[0] });
      i += m[0].length;
    } else if (/[=!<>]/.test(c)) {
      const m = /^(==|!=|<>|<=|>=|=|<|>|!)/.exec(input.slice(i))!;
      tokens.push({ kind: 'op', value: m[0] });
      i += m[0].length;
    } else if (c === '&' && input[i + 1] === '&') {
      tokens.push({ kind: 'word', value: 'and' });
      i += 2;
    } else if (c === '|' && input[i + 1] === '|') {
      tokens.push({ kind: 'word', value: 'or' });
      i += 2;
    } else if ('()[],'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i))!;
      tokens.push({ kind: 'word', value: m[0].toLowerCase() });
      i += m[0].length;
    } else {
      throw new Unconvertible(`the character "${c}"`);
    }
  }
  return tokens;
}

type Scalar = string | number | boolean;

/** A recursive-descent parser over tokens: or, and, not and parentheses around comparisons of a {question}. */
export class ExpressionParser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly resolve: (ref: string) => Known,
  ) {}

  parse(): Condition {
    const result = this.or();
    if (this.pos < this.tokens.length) throw new Unconvertible(`unexpected "${this.tokens[this.pos]!.value}"`);
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new Unconvertible('it ends too early');
    return t;
  }

  private isWord(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.value === value;
  }

  private or(): Condition {
    const parts = [this.and()];
    while (this.isWord('or')) {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  }

  private and(): Condition {
    const parts = [this.unary()];
    while (this.isWord('and')) {
      this.pos++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  }

  private unary(): Condition {
    const t = this.peek();
    if ((t?.kind === 'op' && t.value === '!') || this.isWord('not')) {
      this.pos++;
      return { not: this.unary() };
    }
    if (t?.kind === 'punct' && t.value === '(') {
      this.pos++;
      const inner = this.or();
      const close = this.next();
      if (close.value !== ')') throw new Unconvertible('a missing )');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const ref = this.next();
    if (ref.kind !== 'ref') throw new Unconvertible(ref.kind === 'word' ? `the function or word "${ref.value}"` : `"${ref.value}" where a {question} was expected`);
    const target = this.resolve(ref.value);
    const op = this.next();
    const name = op.value;
    if (target.kind === 'option') return this.option(target, name);
    if (name === 'notempty' || name === 'empty') return { item: idOf(target), answered: name === 'notempty' };
    if (name === 'anyof' || name === 'allof' || name === 'noneof') {
      const values = this.list().map((v) => mapValue(target, v));
      if (name === 'anyof') return { item: idOf(target), in: values };
      if (name === 'noneof') return { not: { item: idOf(target), in: values } };
      return values.length === 1 ? { item: idOf(target), equals: values[0]! } : { and: values.map((v) => ({ item: idOf(target), equals: v })) };
    }
    const value = this.scalar();
    if (name === 'contains' || name === 'notcontains') {
      const c: Condition = { item: idOf(target), equals: mapValue(target, value) };
      return name === 'contains' ? c : { not: c };
    }
    if (name === '=' || name === '==') return { item: idOf(target), equals: mapValue(target, value) };
    if (name === '!=' || name === '<>') return { not: { item: idOf(target), equals: mapValue(target, value) } };
    if ((name === '>=' || name === '>') && target.kind === 'number') {
      // "at least": exact for >=, and for > on a whole-number question (> 3 is >= 4).
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Unconvertible(`"${String(value)}" is not a number`);
      if (name === '>' && !(target.integer && Number.isInteger(n))) throw new Unconvertible('">" on a number that may have decimals');
      return { item: target.id, gte: name === '>' ? n + 1 : n };
    }
    if (['<', '<=', '>', '>='].includes(name)) {
      if (target.kind !== 'scale') throw new Unconvertible(`"${name}" only works on rating scales here`);
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Unconvertible(`"${String(value)}" is not a number`);
      // Compared on the tool's own numbers, then named by what we store (a reversed scale stores others).
      const keep = target.points.filter((p) => p.number !== undefined && (name === '<' ? p.number < n : name === '<=' ? p.number <= n : name === '>' ? p.number > n : p.number >= n));
      if (!keep.length) throw new Unconvertible('no value satisfies it');
      return { item: target.id, in: keep.map((p) => p.stored) };
    }
    throw new Unconvertible(`the operator "${name}"`);
  }

  /** "Q2_SQ001 == 'Y'" (chosen), "== ''" or "!= 'Y'" (not chosen), and empty / notempty likewise. */
  private option(target: { id: string; value: string }, name: string): Condition {
    const chosen: Condition = { item: target.id, equals: target.value };
    if (name === 'notempty') return chosen;
    if (name === 'empty') return { not: chosen };
    if (!['=', '==', '!=', '<>'].includes(name)) throw new Unconvertible(`the operator "${name}" on a choice`);
    const value = String(this.scalar());
    const positive = value === 'Y' || value === '1';
    if (!positive && value !== '') throw new Unconvertible(`"${value}" is not Y or empty`);
    const equal = name === '=' || name === '==';
    return equal === positive ? chosen : { not: chosen };
  }

  private scalar(): Scalar {
    const t = this.next();
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') return Number(t.value);
    if (t.kind === 'word' && (t.value === 'true' || t.value === 'false')) return t.value === 'true';
    throw new Unconvertible(`"${t.value}" where a value was expected`);
  }

  private list(): Scalar[] {
    if (this.peek()?.value !== '[') return [this.scalar()];
    this.pos++;
    const values: Scalar[] = [];
    while (this.peek() && this.peek()!.value !== ']') {
      values.push(this.scalar());
      if (this.peek()?.value === ',') this.pos++;
    }
    this.next();
    if (!values.length) throw new Unconvertible('an empty list');
    return values;
  }
}

function idOf(target: Known): string {
  if (target.kind === 'matrix' || target.kind === 'rows' || target.kind === 'option') throw new Unconvertible('a condition on a whole matrix');
  return target.id;
}

/** A SurveyJS value in a condition, as the value our item stores. */
function mapValue(target: Known, value: Scalar): string | number {
  const key = String(value);
  switch (target.kind) {
    case 'choice': {
      const mapped = target.values.get(key);
      if (mapped === undefined) throw new Unconvertible(`"${key}" is not one of the question's choices`);
      return mapped;
    }
    case 'scale': {
      const point = target.points.find((p) => p.source === key) ?? target.points.find((p) => p.number !== undefined && p.number === Number(value));
      if (!point) throw new Unconvertible(`"${key}" is not on the scale`);
      return point.stored;
    }
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (typeof value === 'boolean' || !Number.isFinite(n) || (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value.trim()))) throw new Unconvertible(`"${key}" is not a number`);
      return n;
    }
    case 'text':
      return key;
    default:
      throw new Unconvertible('a condition on a whole matrix');
  }
}
