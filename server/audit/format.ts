// Dates on staff pages: the page's language, the university's time zone (lib/dates.ts).
import { formatDateTime } from '../lib/dates.js';
import type { Lang } from '../lib/i18n/index.js';

export function formatWhen(date: Date | string, lang: Lang): string {
  return formatDateTime(date, lang);
}
