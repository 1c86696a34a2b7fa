// The language a comment is written in (kk, ru or en), read from its text alone: students switch interfaces
// freely and write in the language they think in, and a response keeps no interface language anyway.
import type { Lang } from '../../lib/i18n/index.js';
import { normaliseWord, STOP_WORDS } from './stopwords.js';

/** What masking leaves in a text ("[name]"): not words of its language, nor of a word list. */
export const PLACEHOLDER = /\[(?:name|email|link|phone|id)\]/g;

/** Letters of the Kazakh Cyrillic alphabet that Russian does not have. */
const KAZAKH_LETTER = /[әғқңөұүһі]/iu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
export const WORD = /\p{L}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*/gu;

/**
 * Kazakh text has a Kazakh-only letter in nearly every second word (measured on our fixed comment set:
 * 0.4 to 1.0 of its Cyrillic words), Russian text in none but the odd name; below that share, the
 * function words of each language decide. A comment with more Latin than Cyrillic words is English.
 * Cyrillic text with no sign of either language ("Супер", "Керемет!") is read as Russian, whose stemmer
 * and pronunciation suit it; text without Latin or Cyrillic words (digits, emoji, another script) has none.
 */
export function detectLanguage(text: string): Lang | undefined {
  let latin = 0;
  let cyrillic = 0;
  let kazakhLetters = 0;
  let kkFunction = 0;
  let ruFunction = 0;
  for (const [token] of text.replace(PLACEHOLDER, ' ').matchAll(WORD)) {
    if (CYRILLIC.test(token)) {
      cyrillic++;
      const word = normaliseWord(token);
      if (KAZAKH_LETTER.test(word)) kazakhLetters++;
      else if (STOP_WORDS.kk.has(word) && !STOP_WORDS.ru.has(word)) kkFunction++;
      else if (STOP_WORDS.ru.has(word) && !STOP_WORDS.kk.has(word)) ruFunction++;
    } else if (LATIN.test(token)) latin++;
  }
  if (!latin && !cyrillic) return undefined;
  if (latin > cyrillic) return 'en';
  if (kazakhLetters / cyrillic >= 0.4 || kkFunction > ruFunction) return 'kk';
  return 'ru';
}
