// A problem found in an imported file (a structure CSV, a contact list, a roster): a catalogue key and its
// parameters, so each page says it in its reader's language, and the same sentence in English for the API
// and the logs. The English is the catalogue's, so the two never drift apart.
import { z } from 'zod';
import { AppError } from './errors.js';
import { translate, type Lang } from './i18n/index.js';

export type ProblemParams = Record<string, string | number>;

export interface Problem {
  /** A key under `imports.problem.` in the catalogues. */
  key: string;
  params: ProblemParams;
  /** The sentence in English (the API's `message`). */
  message: string;
}

/** A problem of one line of the file (line 1 is the header). */
export interface LineProblem extends Problem {
  line: number;
}

/** Builds a problem; `name` is the key under `imports.problem.`. */
export function problem(name: string, params: ProblemParams = {}): Problem {
  const key = `imports.problem.${name}`;
  return { key, params, message: translate('en', key, params) };
}

export const atLine = (line: number, p: Problem): LineProblem => ({ line, ...p });

/** The problem in a page's language. */
export const problemText = (p: Problem, lang: Lang): string => translate(lang, p.key, p.params);

/** How the API states a problem of a line: its English message, and the key and parameters to say it in another language. */
export const lineProblemSchema = z.object({
  line: z.number().int(),
  message: z.string(),
  key: z.string().describe('the catalogue key of the message (server/lib/i18n/locales/*.json), for clients that show it in kk or ru'),
  params: z.record(z.string(), z.union([z.string(), z.number()])).describe("the key's parameters"),
});

/** A line's problem as the API returns it (only the fields its schema lists). */
export const lineProblemOut = (p: LineProblem) => ({ line: p.line, message: p.message, key: p.key, params: p.params });

/** An import report as the API returns it: each row's problems as English sentences, the list by line with keys. */
export function apiReport<R extends { rows: { problems: Problem[] }[]; problems: LineProblem[] }>(report: R) {
  return { ...report, rows: report.rows.map((r) => ({ ...r, problems: r.problems.map((p) => p.message) })), problems: report.problems.map(lineProblemOut) };
}

/** An import refused whole (all rows or none): 422 import_rejected, its problems by line in details. */
export function importRejected(problems: LineProblem[]): AppError {
  return new AppError(422, 'import_rejected', `Nothing was imported: the file has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}, listed in details by line.`, problems.map(lineProblemOut));
}
