// {{langUrl "ru"}}: the current page's address with ?lang=ru, other query parameters kept.
import type { HelperOptions } from 'handlebars';

export function langUrl(lang: string, options: HelperOptions): string {
  const current = String(options.data?.root?.currentUrl ?? '/');
  const url = new URL(current, 'http://x');
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
}
