// {{problem this}}: a problem of an imported file ({key, params}, lib/problems.ts) in the page's language.
import type { HelperOptions } from 'handlebars';
import { DEFAULT_LANG, isLang, translate } from '../../i18n/index.js';

export function problem(p: unknown, options: HelperOptions): string {
  const lang = options.data?.root?.lang;
  const { key, params, message } = (p ?? {}) as { key?: unknown; params?: unknown; message?: unknown };
  if (typeof key !== 'string') return typeof message === 'string' ? message : '';
  return translate(isLang(lang) ? lang : DEFAULT_LANG, key, params && typeof params === 'object' ? (params as Record<string, string | number>) : {});
}
