// Stop words per language for the comment word lists. English and Russian come from a maintained source
// (@orama/stopwords: NLTK's lists); no maintained npm package has Kazakh, so its list is ours (below,
// reviewed: function words only, no evaluative words). Words are compared lower-cased, with ё read as е.
import { stopwords as english } from '@orama/stopwords/english';
import { stopwords as russian } from '@orama/stopwords/russian';
import type { Lang } from '../../lib/i18n/index.js';

/**
 * Kazakh function words: conjunctions and particles, postpositions, pronouns in their common case forms,
 * demonstratives, question words, the copula and "to be" forms, quantifiers and degree words.
 * Not in it: words that carry an opinion (жақсы, нашар, аз, көп, пайдалы…), which is what a council reads.
 */
const KAZAKH = `
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
  kk: set(KAZAKH.split(/\s+/)),
};

/** A stop word in any of the three languages (a comment may mix them: "Wi-Fi жоқ"). */
export function isStopWord(word: string): boolean {
  const w = normaliseWord(word);
  return STOP_WORDS.en.has(w) || STOP_WORDS.ru.has(w) || STOP_WORDS.kk.has(w);
}
