// Dates on staff pages: the page's language, Kazakhstan's time zone (Asia/Almaty, UTC+5).
import type { Lang } from '../lib/i18n/index.js';

const LOCALES: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };
const formats = new Map<Lang, Intl.DateTimeFormat>();

export function formatWhen(date: Date | string, lang: Lang): string {
  let f = formats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang] ?? 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Almaty' });
    formats.set(lang, f);
  }
  return f.format(typeof date === 'string' ? new Date(date) : date);
}
