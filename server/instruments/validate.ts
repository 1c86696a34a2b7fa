// Validating a definition: messages name the path, e.g. "pages[1].items[3].text.kk: missing".
import type { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { describeIssues } from '../lib/validate.js';
import { definitionSchema, type Definition } from './schema.js';

export function definitionProblems(input: unknown): { path: string; message: string }[] {
  const result = definitionSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
}

/** The 400 invalid_definition error, each problem named by its path. */
export function invalidDefinition(error: z.ZodError, source = 'definition'): AppError {
  const issues = describeIssues(error);
  const lines = issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`);
  return new AppError(400, 'invalid_definition', `The ${source.includes('/') ? source.split('/').pop() : source} is not a valid instrument: ${lines.join('; ')}`, issues);
}

export function parseDefinition(input: unknown, source = 'definition'): Definition {
  const result = definitionSchema.safeParse(input);
  if (!result.success) throw invalidDefinition(result.error, source);
  return result.data;
}
