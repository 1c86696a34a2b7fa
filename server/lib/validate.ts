// Validation at the edge: a zod schema per request part; handlers read the parsed values from res.locals.
// A failure becomes a 400 whose message names each bad field (path: reason).
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from './errors.js';

export interface RequestSchemas {
  body?: z.ZodType;
  /** The error a body that fails `body` becomes (default: validationError). */
  bodyError?: (error: z.ZodError) => AppError;
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

/** A route with a body schema needs a body: none at all (no JSON sent) is refused, not read as {}. */
export function missingBody(): AppError {
  return new AppError(400, 'validation_failed', 'The request body is missing: send it as JSON (Content-Type: application/json).');
}

function parseBody(schemas: RequestSchemas, body: unknown): unknown {
  if (!schemas.body) return undefined;
  if (body === undefined) throw missingBody();
  const result = schemas.body.safeParse(body);
  if (result.success) return result.data;
  throw schemas.bodyError ? schemas.bodyError(result.error) : validationError(result.error, 'request body');
}

export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, res, next) => {
    res.locals.body = parseBody(schemas, req.body);
    res.locals.query = schemas.query ? parseOrThrow(schemas.query, req.query, 'query') : undefined;
    res.locals.params = schemas.params ? parseOrThrow(schemas.params, req.params, 'address') : undefined;
    next();
  };
}
