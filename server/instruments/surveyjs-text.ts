// Plain text from SurveyJS: valid, unique ids from its names (Kazakh and Russian transliterated), its
// strings as {kk, ru, en} with missing languages filled in, and HTML reduced to text.
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import type { LocalizedText } from './schema.js';

// Kazakh and Russian letters, so ids derived from Cyrillic names stay readable.
const TRANSLIT: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', қ: 'q', л: 'l', м: 'm',
  н: 'n', ң: 'ng', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', і: 'i', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

export function slug(raw: string): string {
  return [...raw.toLowerCase()]
    .map((c) => TRANSLIT[c] ?? c)
    .join('')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
}

/** Valid, unique ids ([a-z][a-z0-9_-]{0,47}) from arbitrary names. */
export class IdPool {
  private taken = new Set<string>();
  private counter = 0;
  constructor(private readonly prefix: string) {}

  claim(raw: string): string {
    this.counter++;
    let base = slug(raw) || `${this.prefix}${this.counter}`;
    if (!/^[a-z]/.test(base)) base = `${this.prefix}${base}`;
    base = base.slice(0, 48);
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base.slice(0, 48 - String(n).length - 1)}_${n}`;
    this.taken.add(id);
    return id;
  }
}

/** When a language is missing, the first of these that exists is used (and flagged). */
const FILL_ORDER: Record<Lang, Lang[]> = { kk: ['ru', 'en'], ru: ['en', 'kk'], en: ['ru', 'kk'] };

/** Language codes other tools use for ours ("kz" is common for Kazakh). */
export const LANGUAGE_ALIASES: Record<string, Lang> = { kk: 'kk', kz: 'kk', 'kk-kz': 'kk', ru: 'ru', 'ru-ru': 'ru', 'ru-kz': 'ru', en: 'en', 'en-us': 'en', 'en-gb': 'en' };

/**
 * A SurveyJS string (plain, or {"default", "en", "ru", "kk", …}) as {kk, ru, en}; `missing` were filled
 * `from` another; `dropped` names the other languages it had (e.g. "de"), which have no place here.
 */
export function readLocalized(value: unknown, main: Lang, clean: (s: string) => string): { text: LocalizedText; missing: Lang[]; from?: Lang; dropped: string[] } | undefined {
  const given: Partial<Record<Lang, string>> = {};
  const dropped: string[] = [];
  if (typeof value === 'string' || typeof value === 'number') {
    const v = clean(String(value));
    if (v) given[main] = v;
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const texts = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(texts)) {
      if (key === 'default' || typeof v !== 'string' || !clean(v)) continue;
      const lang = LANGUAGE_ALIASES[key.toLowerCase()];
      if (lang && !given[lang]) given[lang] = clean(v);
      else if (!lang) dropped.push(key);
    }
    const d = texts.default;
    if (typeof d === 'string' && clean(d) && !given[main]) given[main] = clean(d);
  }
  if (!Object.keys(given).length) return undefined;
  const missing = LANGUAGES.filter((l) => !given[l]);
  const text = {} as LocalizedText;
  const sources = new Set<Lang>();
  for (const lang of LANGUAGES) {
    const from = given[lang] ? lang : FILL_ORDER[lang].find((l) => given[l])!;
    if (from !== lang) sources.add(from);
    text[lang] = given[from]!;
  }
  return { text, missing, ...(missing.length ? { from: [...sources][0]! } : {}), dropped };
}

export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/h\d>|<\/li>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
const CYRILLIC_LETTER = /[\u0400-\u04ff]/g;
const LATIN_LETTER = /[a-z]/gi;

/**
 * The language of texts given without one, from their letters: Cyrillic or Latin, and among Cyrillic
 * texts, Kazakh when a good part of them use the letters only Kazakh has (ә ғ қ ң ө ұ ү һ і).
 */
export function guessLanguage(texts: string[]): { lang: Lang; cyrillic: number; kazakh: number; total: number } | undefined {
  let cyrillic = 0;
  let kazakh = 0;
  let total = 0;
  for (const text of texts) {
    const c = text.match(CYRILLIC_LETTER)?.length ?? 0;
    const l = text.match(LATIN_LETTER)?.length ?? 0;
    if (c + l === 0) continue;
    total++;
    if (c > l) {
      cyrillic++;
      if (KAZAKH_LETTERS.test(text)) kazakh++;
    }
  }
  if (!total) return undefined;
  const lang: Lang = cyrillic * 2 <= total ? 'en' : kazakh * 4 >= cyrillic ? 'kk' : 'ru';
  return { lang, cyrillic, kazakh, total };
}
