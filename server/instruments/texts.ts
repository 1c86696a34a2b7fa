// The translators' form: every {kk, ru, en} text of a definition with its path, side by side, and applying
// edited texts back onto a copy of the definition (only where a text already is; the service validates).
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';

export interface TextRow {
  /** Form field prefix: "t.pages.0.items.2.text"; the inputs are "<field>.kk" etc. */
  field: string;
  /** Dotted path used in validation messages: "pages[0].items[2].text". */
  path: string;
  /** Page index (0-based) the text belongs to, or null for instrument-level texts. */
  page: number | null;
  /** The item, row, scale id or option value that owns the text, when there is one. */
  owner?: string;
  /** Which text it is: title, description, text, help, label, labels, … (catalogue key). */
  prop: string;
  /** For arrays of texts (scale labels): 1-based position. */
  position?: number;
  kk: string;
  ru: string;
  en: string;
  long: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLocalized = (v: unknown): v is Record<Lang, string> => isObj(v) && LANGUAGES.every((l) => typeof v[l] === 'string');
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const MAX_DEPTH = 40;

export const validationPath = (segments: (string | number)[]) =>
  segments.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');

/** Every localized text of a (possibly invalid) definition, in document order. */
export function localizedTexts(definition: unknown): TextRow[] {
  const rows: TextRow[] = [];
  const walk = (value: unknown, segments: (string | number)[], owner: string | undefined) => {
    // A definition is a few levels deep; a hostile one sent to the builder's check may be thousands.
    if (segments.length > MAX_DEPTH) return;
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, [...segments, i], owner));
    if (!isObj(value)) return;
    if (isLocalized(value)) {
      const last = segments[segments.length - 1];
      const position = typeof last === 'number' ? last + 1 : undefined;
      const prop = String(typeof last === 'number' ? segments[segments.length - 2] : last);
      const page = segments[0] === 'pages' && typeof segments[1] === 'number' ? segments[1] : null;
      rows.push({
        field: `t.${segments.join('.')}`,
        path: validationPath(segments),
        page,
        ...(owner ? { owner } : {}),
        prop,
        ...(position ? { position } : {}),
        kk: value.kk,
        ru: value.ru,
        en: value.en,
        long: LANGUAGES.some((l) => value[l].length > 40),
      });
      return;
    }
    // Items, rows and scales are named by their id, options by "<item> › <value>"; pages are sections already.
    const parentKey = segments[segments.length - 2];
    const own =
      typeof value.value === 'string' ? (owner ? `${owner} › ${value.value}` : value.value) : typeof value.id === 'string' && segments.length > 0 && parentKey !== 'pages' ? value.id : owner;
    for (const [key, v] of Object.entries(value)) walk(v, [...segments, key], own);
  };
  walk(definition, [], undefined);
  return rows;
}

/**
 * A deep copy of the definition with the posted texts ("t.<path>.<lang>" fields) applied. Fields that do not
 * name an existing text are ignored, so the form can change wording but never structure.
 */
export function applyTexts(definition: unknown, fields: Record<string, unknown>): unknown {
  const copy = structuredClone(definition) as Obj;
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith('t.') || typeof value !== 'string') continue;
    const segments = name.slice(2).split('.');
    const lang = segments.pop();
    if (!LANGUAGES.includes(lang as Lang) || segments.some((s) => FORBIDDEN.has(s))) continue;
    let target: unknown = copy;
    for (const s of segments) {
      if (!(isObj(target) || Array.isArray(target)) || !Object.hasOwn(target, s)) {
        target = undefined;
        break;
      }
      target = (target as Obj)[s];
    }
    if (isLocalized(target)) target[lang as Lang] = value;
  }
  return copy;
}
