// The structure services answer a bad unit with field problems in English ("code: must be at most 32
// characters"), as the API and the forms need them. The CSV import reports them by line in the reader's
// language: each wording the schemas (schemas.ts) and the checks (service.ts) use maps to a catalogue key;
// one that does not (a wording added later) still reads in the page's language, only less precisely.
import { problem, type Problem } from '../lib/problems.js';
import type { FieldProblem } from './service.js';

type Params = (m: RegExpExecArray) => Record<string, string | number>;

const WORDINGS: [RegExp, string, Params?][] = [
  [/^must be at most ([\d,]+) characters$/, 'tooLong', (m) => ({ count: Number(m[1]!.replace(/,/g, '')) })],
  [/^must not be empty$/, 'empty'],
  [/^must not start with =, \+, - or @/, 'formulaStart'],
  [/^must be letters and digits/, 'codeFormat'],
  [/^must be a classifier code/, 'programmeCode'],
  [/^must be bachelor, master or doctoral$/, 'level'],
  [/^must be a (?:whole )?year$/, 'year'],
  [/^must be a (?:whole )?number$/, 'wholeNumber'],
  [/^must be (\d+) or later$/, 'atLeast', (m) => ({ min: m[1]! })],
  [/^must be (\d+) or earlier$/, 'atMost', (m) => ({ max: m[1]! })],
  [/^must not be negative$/, 'negative'],
  [/^must be at most (\d+)$/, 'atMost', (m) => ({ max: m[1]! })],
  [/^no such \w+$/, 'noSuchUnit'],
  [/^the \w+ is archived$/, 'archived'],
  [/^the code (\S+) is a (\w+) code, so the level must be \w+$/, 'levelOfCode', (m) => ({ code: m[1]!, level: m[2]! })],
  [/^the department belongs to another faculty$/, 'departmentOfFaculty'],
  [/^Too big: expected array to have <=?(\d+) items?$/, 'tooManyValues', (m) => ({ count: Number(m[1]) })],
];

/** The keys a field problem may get (each exists in every catalogue: test/unit/i18n-usage.test.ts). */
export const FIELD_PROBLEM_NAMES = [...new Set(WORDINGS.map((w) => w[1])), 'invalid'];

/** "name.kk" → "name_kk", "entryYear" → "entry_year", "programmes[2]" → "programmes": the file's column. */
export function columnOf(path: string): string {
  return path.replace(/\[\d+\]$/, '').replace('.', '_').replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

/**
 * A field problem of a row as a keyed problem. `kind` and the row's cells name what already exists
 * ("a cohort 2024 (2024) of this programme already exists").
 */
export function fieldProblem(kind: string, d: FieldProblem, cells: Record<string, string>): Problem {
  const column = columnOf(d.path);
  if (/already exists$/.test(d.message)) {
    return problem(`exists.${kind}`, { column, code: (cells.code ?? '').trim(), label: (cells.label ?? '').trim(), year: (cells.entry_year ?? '').trim() });
  }
  for (const [pattern, name, params] of WORDINGS) {
    const m = pattern.exec(d.message);
    if (m) return problem(name, { column, ...(params ? params(m) : {}) });
  }
  return problem('invalid', { column });
}
