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

/** A SurveyJS string (plain, or {"default", "en", "ru", "kk", …}) as {kk, ru, en}; `missing` were filled `from` another. */
export function readLocalized(value: unknown, main: Lang, clean: (s: string) => string): { text: LocalizedText; missing: Lang[]; from?: Lang } | undefined {
  const given: Partial<Record<Lang, string>> = {};
  if (typeof value === 'string' || typeof value === 'number') {
    const v = clean(String(value));
    if (v) given[main] = v;
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const texts = value as Record<string, unknown>;
    for (const lang of LANGUAGES) {
      const v = texts[lang];
      if (typeof v === 'string' && clean(v)) given[lang] = clean(v);
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
  return { text, missing, ...(missing.length ? { from: [...sources][0]! } : {}) };
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
