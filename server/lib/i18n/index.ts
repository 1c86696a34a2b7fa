// Interface strings: one JSON catalogue per language (kk, ru, en) in ./locales, nested keys as i18next
// reads them. The language comes from ?lang=, then the pikir_lang cookie, then Accept-Language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { localesDir } from '../paths.js';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'kk';
/** Each language's name in itself, for language switches. */
export const LANGUAGE_NAMES: Record<Lang, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
export const LANG_COOKIE = 'pikir_lang';

type Catalogue = { [key: string]: string | Catalogue };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function loadCatalogue(lang: Lang): Catalogue {
  return JSON.parse(readFileSync(join(localesDir, `${lang}.json`), 'utf8')) as Catalogue;
}

/** Flattens {"a": {"b": "x"}} to {"a.b": "x"}. */
export function flatten(catalogue: Catalogue, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out[path] = value;
    else Object.assign(out, flatten(value, path));
  }
  return out;
}

const catalogues = Object.fromEntries(LANGUAGES.map((lang) => [lang, flatten(loadCatalogue(lang))])) as Record<Lang, Record<string, string>>;

/** The plural forms a key may have, as i18next names them: "key_one", "key_few", "key_many", "key_other", and "key_zero" for 0. */
export const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The categories a language's plural forms need (CLDR, through Intl.PluralRules): kk one/other, ru one/few/many/other. */
export function pluralCategories(lang: Lang): string[] {
  return rulesOf(lang).resolvedOptions().pluralCategories;
}

function rulesOf(lang: Lang): Intl.PluralRules {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules;
}

/** The form of `key` for a number in `lang`: "1 question", "2 вопроса", "5 вопросов" (undefined if the key has no forms). */
function pluralForm(lang: Lang, key: string, count: number): string | undefined {
  const table = catalogues[lang];
  if (count === 0 && table[`${key}_zero`] !== undefined) return table[`${key}_zero`];
  return table[`${key}_${rulesOf(lang).select(count)}`] ?? table[`${key}_other`];
}

/**
 * Looks a key up; {{name}} placeholders are filled from params. With a numeric `count` param, the plural
 * form for it is chosen (i18next's suffixes: key_one, key_few, key_many, key_other, key_zero).
 * A missing key shows itself, never crashes.
 */
export function translate(lang: Lang, key: string, params: Record<string, string | number | boolean | undefined> = {}): string {
  const count = typeof params.count === 'number' ? params.count : undefined;
  const template = (count !== undefined ? pluralForm(lang, key, count) : undefined) ?? catalogues[lang][key] ?? (count !== undefined ? pluralForm('en', key, count) : undefined) ?? catalogues.en[key] ?? catalogues[lang][`${key}_other`] ?? catalogues.en[`${key}_other`] ?? key;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => (params[name] === undefined ? '' : String(params[name])));
}

/** Whether the catalogue has the key, as a plain string or as plural forms. */
export function hasKey(lang: Lang, key: string): boolean {
  return key in catalogues[lang] || `${key}_other` in catalogues[lang];
}

/** Picks the best language from an Accept-Language header. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0 };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.base).find(isLang);
}

export function chooseLanguage(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANG;
}

/** Sets res.locals.lang (and remembers an explicit ?lang= choice in a cookie). */
export function languageMiddleware(secureCookies: boolean): RequestHandler {
  return (req, res, next) => {
    const query = req.query.lang;
    const lang = chooseLanguage(query, req.cookies?.[LANG_COOKIE], req.get('accept-language'));
    if (isLang(query) && req.cookies?.[LANG_COOKIE] !== query) {
      res.cookie(LANG_COOKIE, query, { httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: 365 * 24 * 3600 * 1000, path: '/' });
    }
    res.locals.lang = lang;
    res.set('Content-Language', lang);
    next();
  };
}

/**
 * Every string under a prefix, keyed by the rest of its key ("instruments.builder" → {"save": …}): for browser
 * scripts. Plural forms come as the language has them ("columnsChanged_few"); the script picks one with
 * Intl.PluralRules, as translate() does.
 */
export function stringsUnder(lang: Lang, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const start = `${prefix}.`;
  for (const table of [catalogues.en, catalogues[lang]]) for (const [key, value] of Object.entries(table)) if (key.startsWith(start)) out[key.slice(start.length)] = value;
  return out;
}
