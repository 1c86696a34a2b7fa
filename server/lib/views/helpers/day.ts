// {{day dueOn}}: a calendar day ("2026-12-01", or a Date: the university's day) as the page's language writes it.
import type { HelperOptions } from 'handlebars';
import { formatDay } from '../../dates.js';
import { DEFAULT_LANG, isLang } from '../../i18n/index.js';

export function day(value: unknown, options: HelperOptions): string {
  const root = options.data?.root as { lang?: unknown } | undefined;
  const lang = isLang(root?.lang) ? root.lang : DEFAULT_LANG;
  if (value instanceof Date) return formatDay(value, lang);
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDay(value, lang) : value;
  return '';
}
