// Validation problems for the editor: a JSON syntax error with its line and column, and the schema's
// messages ("pages[1].items[3].text.kk: missing") put into the page language where we know the wording.
import { visit, type JSONPath } from 'jsonc-parser';
import { hasKey, translate, type Lang } from '../lib/i18n/index.js';

export interface Problem {
  path: string;
  message: string;
}

export interface ProblemView {
  path: string;
  text: string;
}

/** Strict JSON, as JSON.parse reads it: jsonc-parser would otherwise allow comments and trailing commas. */
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
/** Deeper than this, the scan stops (jsonc-parser recurses; a hostile text must not exhaust the stack). */
const MAX_DEPTH = 200;

class Stop extends Error {
  constructor(readonly offset: number) {
    super(`JSON walk stopped at ${offset}`);
  }
}

/**
 * Walks JSON text with jsonc-parser (V8's messages do not always say where it breaks): returns the offset of
 * the first error (the text's length when it is valid) and reports the line each value starts on, by its
 * path in the form validation messages use ("pages[1].items[3].text.kk").
 */
function walkJson(text: string, onValue?: (path: string, line: number) => void): number {
  let depth = 0;
  const record = (line: number, path: () => JSONPath) => onValue?.(pathText(path()), line + 1);
  const begin = (offset: number, _length: number, line: number, _column: number, path: () => JSONPath) => {
    if (++depth > MAX_DEPTH) throw new Stop(offset);
    record(line, path);
  };
  const end = () => void depth--;
  try {
    visit(
      text,
      {
        onObjectBegin: begin,
        onArrayBegin: begin,
        onObjectEnd: end,
        onArrayEnd: end,
        onLiteralValue: (_value, _offset, _length, line, _column, path) => record(line, path),
        onError: (_error, offset) => {
          throw new Stop(offset);
        },
      },
      STRICT,
    );
    return text.length;
  } catch (err) {
    if (err instanceof Stop) return err.offset;
    throw err;
  }
}

/** ["pages", 1, "items", 3] → "pages[1].items[3]", as zod's issues are described. */
const pathText = (path: JSONPath) => path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');

/** Where JSON text stops being valid: the offset of the first bad character (run after JSON.parse failed). */
export function jsonErrorOffset(text: string): number {
  return walkJson(text);
}

/**
 * The line each problem points at in the editor's text: the line where its path's value starts, or, for
 * something missing, where the nearest enclosing value that is there starts.
 */
export function problemLines(text: string, paths: string[]): Map<string, number> {
  const lines = new Map<string, number>();
  walkJson(text, (path, line) => lines.set(path, line));
  const out = new Map<string, number>();
  for (const path of paths) {
    for (let p = path; ; ) {
      const line = lines.get(p);
      if (line !== undefined) {
        out.set(path, line);
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

const PATTERNS: [RegExp, string, (m: RegExpExecArray) => Record<string, string | number>][] = [
  [/^missing$/, 'missing', () => ({})],
  [/^too long \(at most ([\d,]+) characters\)$/, 'tooLong', (m) => ({ max: m[1]! })],
  [/^must give the text in kk, ru and en$/, 'threeLanguages', () => ({})],
  [/^must have exactly five labels$/, 'fiveLabels', () => ({})],
  [/^must have 2 to 11 labels$/, 'labelsRange', () => ({})],
  [/^must have one label per point$/, 'labelPerPoint', () => ({})],
  [/^at most (\d+) points$/, 'maxPoints', (m) => ({ n: m[1]!, count: Number(m[1]) })],
  [/^the items of scale "(.+)" must share one range: "(.+)" is (.+), this is (.+)$/, 'scaleRange', (m) => ({ scale: m[1]!, first: m[2]!, range: m[3]!, own: m[4]! })],
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
