// A skip rule in words for the respondent's page: "Answer only if your answer to «Did you do an internship?»
// is «Yes»." Respondent pages have no question numbers (the printable version has, preview.ts), so the rule
// names the earlier question by its text. Shown under a follow-up question that depends on an answer on the
// same page, which the browser shows or hides live — and, without JavaScript, stays visible with this hint.
import { translate, type Lang } from '../lib/i18n/index.js';
import { numbering } from './preview.js';
import type { Condition, Definition } from './schema.js';

const QUOTES: Record<Lang, [string, string]> = { kk: ['«', '»'], ru: ['«', '»'], en: ['“', '”'] };

/** Every question's (and matrix row's) text, by id. */
function questionTexts(def: Definition, lang: Lang): Map<string, string> {
  const texts = new Map<string, string>();
  for (const page of def.pages) {
    for (const item of page.items) {
      texts.set(item.id, item.text[lang]);
      if (item.type === 'matrix') for (const row of item.rows) texts.set(row.id, row.text[lang]);
    }
  }
  return texts;
}

function describe(condition: Condition, lang: Lang, texts: Map<string, string>, labels: Map<string, Map<string, string>>): string {
  const [open, close] = QUOTES[lang];
  const quote = (text: string) => `${open}${text}${close}`;
  const key = (k: string) => `respond.cond.${k}`;
  if ('not' in condition) return translate(lang, key('not'), { inner: describe(condition.not, lang, texts, labels) });
  if ('and' in condition) return condition.and.map((c) => describe(c, lang, texts, labels)).join(translate(lang, key('and')));
  if ('or' in condition) return condition.or.map((c) => describe(c, lang, texts, labels)).join(translate(lang, key('or')));
  const question = texts.get(condition.item) ?? condition.item;
  const value = (v: string | number) => quote(labels.get(condition.item)?.get(String(v)) ?? String(v));
  if ('answered' in condition) return translate(lang, key(condition.answered ? 'answered' : 'notAnswered'), { question });
  if ('gte' in condition) return translate(lang, key('gte'), { question, value: String(condition.gte) });
  if ('equals' in condition) return translate(lang, key('equals'), { question, value: value(condition.equals) });
  return translate(lang, key('in'), { question, values: condition.in.map(value).join(', ') });
}

/** "Answer only if …" for a question with a skip rule, in the respondent's language. */
export function onlyIfHint(def: Definition, condition: Condition, lang: Lang): string {
  return translate(lang, 'respond.onlyIf', { condition: describe(condition, lang, questionTexts(def, lang), numbering(def, lang).labels) });
}
