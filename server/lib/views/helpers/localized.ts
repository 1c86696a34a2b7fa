// {{localized title}}: picks the page language's text from a {kk, ru, en} object, falling back in order.
import type { HelperOptions } from 'handlebars';

export function localized(text: unknown, options: HelperOptions): string {
  if (typeof text === 'string') return text;
  if (!text || typeof text !== 'object') return '';
  const lang = String(options.data?.root?.lang ?? 'kk');
  const t = text as Record<string, string | undefined>;
  return t[lang] || t.kk || t.ru || t.en || '';
}
