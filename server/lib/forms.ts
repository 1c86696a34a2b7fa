// Page forms are declared like the API: a zod schema per form turns the urlencoded (or multipart) body
// into typed values, and formRoute() checks it before the handler runs. Services then check meaning and
// answer AppErrors with field paths, which formErrors() turns into messages next to the fields.
import type { Request, Response, RequestHandler, Router } from 'express';
import type { RouteParameters } from 'express-serve-static-core';
import { z } from 'zod';
import { AppError, csrfError } from './errors.js';
import { hasKey, translate, type Lang } from './i18n/index.js';
import { parseOrThrow } from './validate.js';

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v) ?? '';

/** One text field: the submitted string ("" when absent; the first value when repeated). */
export const textField = (max = 10_000) => z.preprocess(first, z.string({ message: 'must be text' }).max(max, `is longer than ${max.toLocaleString('en')} characters`));

/** A repeated field (checkboxes, multi-selects): the non-empty values. */
export const listField = (max = 1_000) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.string({ message: 'must be text' }).max(300, 'is too long'))
      .max(max, `has more than ${max} values`)
      .transform((list) => list.filter((x) => x !== '')),
  );

/** A checkbox: ticked when sent with any value. */
export const checkboxField = z.preprocess((v) => first(v) !== '', z.boolean());

/** A form's schema: its fields; anything else a browser sends (the CSRF token, button names) is ignored. */
export const formSchema = <S extends z.ZodRawShape>(shape: S) => z.object(shape);

export type FormHandler<Path extends string, T> = (req: Request<RouteParameters<Path>>, res: Response, form: T) => unknown;

/**
 * Declares a form post: guards first (sign-in, role, a multipart parser), then the body through the
 * form's schema (a 400 naming the field when it does not fit), then the handler with the typed values.
 */
export function formRoute<Path extends string, S extends z.ZodType>(router: Router, spec: { path: Path; schema: S; before?: RequestHandler[] }, handler: FormHandler<Path, z.infer<S>>): void {
  router.post(spec.path, ...(spec.before ?? []), (req: Request<RouteParameters<Path>>, res: Response) => {
    // A multipart body is only read (and its CSRF token checked) by an upload parser in `before`.
    if (res.locals.csrfUnverified) throw csrfError();
    return handler(req, res, parseOrThrow(spec.schema, req.body ?? {}, 'form'));
  });
}

export interface FormErrors {
  /** Field name → message, shown next to the field. */
  fields: Record<string, string>;
  /** For the summary at the top: message and the field's element id. */
  summary: { field: string; message: string }[];
}

/**
 * Messages for the fields named in an AppError's details. For namespaces ["org.programmes", "org"] it looks
 * up `<ns>.errors.<code>.<field>` in each, then `<ns>.errors.<field>` in each; else the service's message.
 */
export function formErrors(err: AppError, lang: Lang, ns: string | string[], fieldOf: (path: string) => string = (p) => p.split(/[.[]/)[0] ?? p): FormErrors {
  const spaces = Array.isArray(ns) ? ns : [ns];
  const lookup = (keys: string[]) => keys.find((k) => hasKey(lang, k));
  const details = Array.isArray(err.details) ? (err.details as { path?: string; message?: string }[]) : [];
  const fields: Record<string, string> = {};
  for (const d of details) {
    const name = fieldOf(String(d.path ?? ''));
    if (!name || fields[name]) continue;
    const key = lookup([...spaces.map((n) => `${n}.errors.${err.code}.${name}`), ...spaces.map((n) => `${n}.errors.${name}`)]);
    fields[name] = key ? translate(lang, key) : String(d.message ?? err.message);
  }
  if (!Object.keys(fields).length) {
    const key = lookup(spaces.map((n) => `${n}.errors.${err.code}`));
    fields._form = key ? translate(lang, key) : err.message;
  }
  return { fields, summary: Object.entries(fields).map(([f, message]) => ({ field: f, message })) };
}

/** Expected failures become form errors; anything else is rethrown to the error handler. */
export function expectedFormError(err: unknown): AppError {
  if (err instanceof AppError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403 && err.status !== 404) return err;
  throw err;
}

/** Replaces (or adds) one field's message and rebuilds the summary. */
export function setFieldError(errors: FormErrors, name: string, message: string): void {
  errors.fields[name] = message;
  errors.summary = Object.entries(errors.fields).map(([f, m]) => ({ field: f, message: m }));
}
