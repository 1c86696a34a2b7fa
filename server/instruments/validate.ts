// Validating a definition: messages name the path, e.g. "pages[1].items[3].text.kk: missing".
import { AppError } from '../lib/errors.js';
import { describeIssues } from '../lib/validate.js';
import { definitionSchema, type Definition } from './schema.js';

export function definitionProblems(input: unknown): { path: string; message: string }[] {
  const result = definitionSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
}

export function parseDefinition(input: unknown, source = 'definition'): Definition {
  const result = definitionSchema.safeParse(input);
  if (!result.success) {
    const issues = describeIssues(result.error);
    const lines = issues.slice(0, 10).map((i) => `${i.path}: ${i.message}`);
    throw new AppError(400, 'invalid_definition', `The ${source.includes('/') ? source.split('/').pop() : source} is not a valid instrument: ${lines.join('; ')}`, issues);
  }
  return result.data;
}
