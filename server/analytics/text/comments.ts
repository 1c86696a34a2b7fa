// What a reader of a group's comments gets: each comment masked, in the language it is written in,
// identical comments shown once with how many wrote them, and word lists per language.
import type { Lang } from '../../lib/i18n/index.js';
import { detectLanguage } from './language.js';
import { maskPersonalData } from './mask.js';
import { wordFrequencies, type WordLists } from './words.js';

export interface ShownComment {
  item: string;
  /** Masked. */
  text: string;
  /** The language the comment is written in; none for text without words (digits, emoji). */
  lang?: Lang;
  /** How many respondents wrote exactly this (after masking, ignoring case, spacing and final punctuation). */
  count: number;
}

export interface CommentsView {
  comments: ShownComment[];
  frequencies: WordLists;
  /** Comments written in each language (duplicates counted; text without words in none). */
  languages: Record<Lang, number>;
}

const sameText = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s.!?…]+$/u, '');

const tidiness = (text: string) => (/^\p{Lu}/u.test(text) ? 2 : 0) + (/[.!?…]$/u.test(text) ? 1 : 0);

/** `raw` are the comments as stored (a response keeps no language: each comment's is read from its text). */
export function readComments(raw: readonly { item: string; text: string }[]): CommentsView {
  const byText = new Map<string, ShownComment & { forms: Map<string, number> }>();
  for (const c of raw) {
    const text = maskPersonalData(c.text);
    const key = `${c.item}\u0000${sameText(text)}`;
    const existing = byText.get(key);
    if (existing) {
      existing.count++;
      existing.forms.set(text, (existing.forms.get(text) ?? 0) + 1);
    } else {
      const lang = detectLanguage(text);
      byText.set(key, { item: c.item, text, ...(lang ? { lang } : {}), count: 1, forms: new Map([[text, 1]]) });
    }
  }
  // A repeated comment is shown as most of its authors wrote it (then as written with a capital and a full
  // stop): the same page whatever order the responses are stored in.
  const written = (forms: Map<string, number>) => [...forms.entries()].sort((a, b) => b[1] - a[1] || tidiness(b[0]) - tidiness(a[0]) || a[0].localeCompare(b[0]))[0]![0];
  // Most repeated first; otherwise in the (random) order of the sample.
  const comments: ShownComment[] = [...byText.values()].map(({ forms, ...c }) => ({ ...c, text: written(forms) })).sort((a, b) => b.count - a.count);
  const languages = { kk: 0, ru: 0, en: 0 };
  for (const c of comments) if (c.lang) languages[c.lang] += c.count;
  return { comments, frequencies: wordFrequencies(comments), languages };
}
