// {{t "nav.home"}} or {{t "survey.progress" done=2 total=5}}: an interface string in the page's language.
import type { HelperOptions } from 'handlebars';
import { translate, DEFAULT_LANG, isLang } from '../../i18n/index.js';

export function t(key: string, options: HelperOptions): string {
  const lang = options.data?.root?.lang;
  return translate(isLang(lang) ? lang : DEFAULT_LANG, String(key), options.hash ?? {});
}
