// Small helpers for HTML form pages: reading urlencoded values and turning a service error into messages
// shown next to the fields (from the catalogue when a key exists, else the service's own words).
import { AppError } from '../lib/errors.js';
import { hasKey, translate, type Lang } from '../lib/i18n/index.js';

/** A single text value from a urlencoded body ("" when absent or repeated oddly). */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/** A repeated value (checkboxes, multi-selects) as an array of strings. */
export function fieldList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return v ? [v] : [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return [];
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
