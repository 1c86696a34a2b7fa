// Validation problems for the editor: a JSON syntax error with its line and column, and the schema's
// messages ("pages[1].items[3].text.kk: missing") put into the page language where we know the wording.
import { hasKey, translate, type Lang } from '../lib/i18n/index.js';

export interface Problem {
  path: string;
  message: string;
}

export interface ProblemView {
  path: string;
  text: string;
}

/**
 * A small recursive-descent scan of JSON text (V8's messages do not always say where it breaks): returns
 * the offset of the first bad character (the text's length when it is valid) and reports where each
 * value starts, by its path in the form validation messages use ("pages[1].items[3].text.kk").
 */
function scanJson(text: string, onValue?: (path: string, offset: number) => void): number {
  let i = 0;
  const fail = (): never => {
    throw new RangeError(String(i));
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const keyAt = (start: number): string => {
    try {
      return String(JSON.parse(text.slice(start, i)));
    } catch {
      return fail();
    }
  };
  const value = (depth: number, path: string): void => {
    ws();
    const c = text[i];
    if (depth > 200) fail();
    onValue?.(path, i);
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (let index = 0; ; index++) {
        let childPath = `${path}[${index}]`;
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          const keyStart = i;
          string();
          const key = onValue ? keyAt(keyStart) : '';
          childPath = path ? `${path}.${key}` : key;
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1, childPath);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value(0, '');
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (err) {
    if (err instanceof RangeError) return Number(err.message);
    throw err;
  }
}

/** Where JSON text stops being valid: the offset of the first bad character (run after JSON.parse failed). */
export function jsonErrorOffset(text: string): number {
  return scanJson(text);
}

/**
 * The line each problem points at in the editor's text: the line where its path's value starts, or, for
 * something missing, where the nearest enclosing value that is there starts.
 */
export function problemLines(text: string, paths: string[]): Map<string, number> {
  const offsets = new Map<string, number>();
  scanJson(text, (path, offset) => offsets.set(path, offset));
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  // The line of an offset: 1 + how many newlines come before it (binary search).
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const out = new Map<string, number>();
  for (const path of paths) {
    for (let p = path; ; ) {
      const offset = offsets.get(p);
      if (offset !== undefined) {
        out.set(path, lineOf(offset));
        break;
      }
      const parent = p.replace(/\[\d+\]$|\.?[^.[\]]*$/, '');
      if (parent === p) break;
      p = parent;
    }
  }
  return out;
}

/** Parses the editor's text; a syntax error becomes one problem that says where (line and column). */
export function parseEditorJson(text: string): { value?: unknown; problem?: Problem & { line: number; column: number } } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : jsonErrorOffset(text);
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    return { problem: { path: '', message: `json: ${message}`, line, column } };
  }
}

const PATTERNS: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^missing$/, 'missing', () => ({})],
  [/^too long \(at most ([\d,]+) characters\)$/, 'tooLong', (m) => ({ max: m[1]! })],
  [/^must give the text in kk, ru and en$/, 'threeLanguages', () => ({})],
  [/^must have exactly five labels$/, 'fiveLabels', () => ({})],
  [/^must be lowercase letters/, 'idFormat', () => ({})],
  [/^duplicate item id "(.+)"$/, 'duplicateId', (m) => ({ id: m[1]! })],
  [/^refers to "(.+)", which is not an earlier item$/, 'notEarlier', (m) => ({ id: m[1]! })],
  [/^scale "(.+)" is not declared in scales$/, 'scaleUndeclared', (m) => ({ id: m[1]! })],
  [/^must be greater than min$/, 'greaterThanMin', () => ({})],
  [/^option values must be unique$/, 'uniqueOptions', () => ({})],
  [/^reserved word$/, 'reserved', () => ({})],
  [/^already taken$/, 'idTaken', () => ({})],
  [/^Invalid input: expected \w+, received undefined$/, 'required', () => ({})],
  [/^Invalid input: expected (\w+), received (\w+)$/, 'wrongType', (m) => ({ expected: m[1]!, received: m[2]! })],
  [/^Invalid option: expected one of (.+)$/, 'oneOf', (m) => ({ values: m[1]!.replace(/"/g, '').split('|').join(', ') })],
  [/^Invalid discriminator value\. Expected (.+)$/, 'oneOf', (m) => ({ values: m[1]!.replace(/'/g, '').split(' | ').join(', ') })],
  [/^Unrecognized keys?: (.+)$/, 'unknownKey', (m) => ({ keys: m[1]!.replace(/"/g, '') })],
  [/^Too small: expected array to have >=?(\d+) items?$/, 'tooFew', (m) => ({ n: m[1]! })],
  [/^Too big: expected array to have <=?(\d+) items?$/, 'tooMany', (m) => ({ n: m[1]! })],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, 'tooSmall', (m) => ({ n: m[1]! })],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, 'tooBig', (m) => ({ n: m[1]! })],
];

/** One problem in the page language (the schema's English wording when there is no translation). */
export function problemView(problem: Problem & { line?: number; column?: number }, lang: Lang): ProblemView {
  if (problem.message.startsWith('json: ')) {
    return { path: translate(lang, 'instruments.problems.lineColumn', { line: problem.line, column: problem.column }), text: translate(lang, 'instruments.problems.json') };
  }
  const path = problem.path || translate(lang, 'instruments.problems.root');
  for (const [pattern, key, params] of PATTERNS) {
    const m = pattern.exec(problem.message);
    if (m && hasKey(lang, `instruments.problems.${key}`)) return { path, text: translate(lang, `instruments.problems.${key}`, params(m)) };
  }
  return { path, text: problem.message };
}

/** The details of an AppError thrown by parseDefinition, or of a 409 on the id, as problems. */
export function problemsOf(details: unknown): Problem[] {
  // A page of problems is plenty to act on; a pathological definition must not make a page of thousands.
  return Array.isArray(details) ? details.filter((d): d is Problem => typeof d?.path === 'string' && typeof d?.message === 'string').slice(0, MAX_PROBLEMS) : [];
}

export const MAX_PROBLEMS = 200;
