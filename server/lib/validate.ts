// Validation at the edge: a zod schema per request part; handlers read the parsed values from res.locals.
// A failure becomes a 400 whose message names each bad field (path: reason).
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from './errors.js';

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

/** Formats zod issues as "pages[1].items[3].text.kk: missing" lines. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), ''),
    message: issue.message,
  }));
}

export function validationError(error: z.ZodError, what = 'request'): AppError {
  const issues = describeIssues(error);
  const summary = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  return new AppError(400, 'validation_failed', `The ${what} is not valid: ${summary}`, issues);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, res, next) => {
    res.locals.body = schemas.body ? parseOrThrow(schemas.body, req.body ?? {}, 'request body') : undefined;
    res.locals.query = schemas.query ? parseOrThrow(schemas.query, req.query, 'query') : undefined;
    res.locals.params = schemas.params ? parseOrThrow(schemas.params, req.params, 'address') : undefined;
    next();
  };
}
