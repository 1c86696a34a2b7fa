// LimeSurvey relevance equations (ExpressionScript) as our showIf conditions: its own tokens — bare
// question codes (Q1, Q1.NAOK, Q2_SQ001), eq/ne/lt/le/gt/ge, is_empty() — fed to the same parser and
// mapping as SurveyJS expressions, so both imports convert (and refuse) conditions alike.
import type { Condition } from './schema.js';
import { ExpressionParser, Unconvertible, type Known, type Token } from './surveyjs-expressions.js';

const WORD_OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    const rest = input.slice(i);
    const negatedEmpty = /^!\s*is_empty\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z]+)?\s*\)/i.exec(rest);
    if (negatedEmpty) {
      // !is_empty(Q1) → {Q1} notempty
      tokens.push({ kind: 'ref', value: negatedEmpty[1]! }, { kind: 'word', value: 'notempty' });
      i += negatedEmpty[0].length;
    } else if (/\s/.test(c) || c === '{' || c === '}') {
      // Braces only mark an expression inside text; in a relevance field they are noise.
      i++;
    } else if (c === "'" || c === '"') {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw new Unconvertible('an unclosed quote');
      tokens.push({ kind: 'string', value: input.slice(i + 1, end) });
      i = end + 1;
    } else if (/^-?\d/.test(rest) && !(c === '-' && tokens.at(-1)?.kind === 'ref')) {
      const m = /^-?\d+(\.\d+)?/.exec(rest)!;
      tokens.push({ kind: 'number', value: m[0] });
      i += m[0].length;
    } else if (/^(==|!=|<>|<=|>=|<|>|=|!)/.test(rest)) {
      const m = /^(==|!=|<>|<=|>=|<|>|=|!)/.exec(rest)!;
      tokens.push({ kind: 'op', value: m[0] });
      i += m[0].length;
    } else if (rest.startsWith('&&') || rest.startsWith('||')) {
      tokens.push({ kind: 'word', value: rest.startsWith('&&') ? 'and' : 'or' });
      i += 2;
    } else if ('()[],'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z]+)?/.exec(rest)!;
      i += m[0].length;
      const word = m[0].toLowerCase();
      if (word === 'is_empty') {
        // is_empty(Q1) → {Q1} empty
        const arg = /^\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z]+)?\s*\)/.exec(input.slice(i));
        if (!arg) throw new Unconvertible('is_empty() of something other than a question');
        tokens.push({ kind: 'ref', value: arg[1]! }, { kind: 'word', value: 'empty' });
        i += arg[0].length;
      } else if (WORD_OPS[word]) tokens.push({ kind: 'op', value: WORD_OPS[word] });
      else if (KEYWORDS.has(word)) tokens.push({ kind: 'word', value: word });
      else if (input.slice(i).trimStart().startsWith('(')) throw new Unconvertible(`the function ${m[0]}()`);
      else tokens.push({ kind: 'ref', value: m[0].replace(/\.(NAOK|value|code|shown)$/i, '') });
    } else {
      throw new Unconvertible(`the character "${c}"`);
    }
  }
  return tokens;
}

/** The condition of a relevance equation; "1" (or nothing) means always shown and gives undefined. */
export function parseRelevance(expression: string, resolve: (ref: string) => Known): Condition | undefined {
  const trimmed = expression.trim();
  if (trimmed === '' || trimmed === '1' || /^\(*\s*1\s*\)*$/.test(trimmed)) return undefined;
  return new ExpressionParser(tokenize(trimmed), resolve).parse();
}
