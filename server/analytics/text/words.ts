// Word lists of comments, per the language each comment is written in: stop words removed, words of one
// stem counted together, each shown in its most frequent written form. Russian and English through the
// Snowball stemmers (snowball-stemmers); Kazakh, which Snowball has no algorithm for, through our suffix
// stripper for noun endings (kazakh-suffixes.ts: "кітапханада" counts with "кітапхана").
import { newStemmer } from 'snowball-stemmers';
import { stripKazakhSuffixes } from './kazakh-suffixes.js';
import { LANGUAGES, type Lang } from '../../lib/i18n/index.js';
import { PLACEHOLDER, WORD } from './language.js';
import { isStopWord, normaliseWord } from './stopwords.js';

const stemmers = { en: newStemmer('english'), ru: newStemmer('russian') };
const KAZAKH_LETTER = /[әғқңөұүһі]/u;
const LATIN = /\p{Script=Latin}/u;
const MIN_LENGTH = 3;

/** The key a word is counted under in a comment of language `lang`. */
export function stemOf(word: string, lang: Lang): string {
  const w = normaliseWord(word);
  if (LATIN.test(w)) return stemmers.en.stem(w);
  if (lang === 'kk' || KAZAKH_LETTER.test(w)) return stripKazakhSuffixes(w);
  return stemmers.ru.stem(w);
}

export interface WordCount {
  word: string;
  /** How many comments use the word (a comment written by several respondents counts for each). */
  count: number;
}

export type WordLists = Record<Lang, WordCount[]>;

/** The `top` words of each language, from comments already masked, with their language and how many wrote each. */
export function wordFrequencies(comments: readonly { text: string; lang?: Lang; count?: number }[], top = 30): WordLists {
  const stems = Object.fromEntries(LANGUAGES.map((l) => [l, new Map<string, { count: number; forms: Map<string, number> }>()])) as Record<Lang, Map<string, { count: number; forms: Map<string, number> }>>;
  for (const { text, lang, count = 1 } of comments) {
    if (!lang) continue; // no words to count
    const seen = new Set<string>();
    for (const [token] of text.replace(PLACEHOLDER, ' ').matchAll(WORD)) {
      const form = normaliseWord(token);
      if (form.length < MIN_LENGTH || isStopWord(form)) continue;
      const stem = stemOf(form, lang);
      const entry = stems[lang].get(stem) ?? { count: 0, forms: new Map<string, number>() };
      if (!seen.has(stem)) entry.count += count;
      seen.add(stem);
      entry.forms.set(form, (entry.forms.get(form) ?? 0) + count);
      stems[lang].set(stem, entry);
    }
  }
  const ranked = (m: Map<string, { count: number; forms: Map<string, number> }>): WordCount[] =>
    [...m.values()]
      .map((e) => ({ word: [...e.forms.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]![0], count: e.count }))
      .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
      .slice(0, top);
  return { kk: ranked(stems.kk), ru: ranked(stems.ru), en: ranked(stems.en) };
}
