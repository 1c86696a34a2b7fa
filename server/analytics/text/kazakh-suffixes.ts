// A suffix stripper for Kazakh nouns, so that the word lists count "кітапхана", "кітапханада" and
// "кітапханалардың" as one word. It is NOT a stemmer or a lemmatiser (none is published for Node, and
// Snowball has no Kazakh algorithm): it only removes the endings Kazakh stacks after a noun — case, then
// possessive, then plural, from the end inwards, each at most once — and only where the ending is the
// form Kazakh would use after what remains (vowel harmony and the sound the stem ends in), so that words
// which merely end like a suffix stay whole ("жақсы" keeps its "сы": after "қ" the possessive is "ы").
// Not handled: consonant alternations (сабақ → сабағы), verb forms, derivational suffixes; an ending that
// leaves fewer than MIN_STEM letters or no vowel is kept.

const VOWEL = /[аәеёиоөуұүыіэюя]/u;
const BACK = /[аоұыяё]/u;
const FRONT = /[әөүіеэ]/u;
const MIN_STEM = 3;

/**
 * What a stem ends in, as Kazakh endings care: a vowel; р у й (и); л з ж; м н ң; or a voiceless consonant
 * (with б в г д, which take the same endings in loanwords: "клубта").
 */
type Sound = 'V' | 'RUY' | 'LZJ' | 'MNN' | 'K';

function soundOf(stem: string): Sound | undefined {
  const last = stem[stem.length - 1] ?? '';
  if (/[аәеёоөұүыіэюя]/u.test(last)) return 'V';
  if (/[руйи]/u.test(last)) return 'RUY';
  if (/[лзж]/u.test(last)) return 'LZJ';
  if (/[мнң]/u.test(last)) return 'MNN';
  if (/[птқкшсчфхцщбвгд]/u.test(last)) return 'K';
  return undefined;
}

/** One ending: its back and front forms, and the sounds a stem may end in before it. */
interface Ending {
  back: string;
  front: string;
  after: Sound[];
}

const ending = (back: string, front: string, ...after: Sound[]): Ending => ({ back, front, after });
const VOICED: Sound[] = ['V', 'RUY', 'LZJ', 'MNN'];

/** Case endings (locative-attributive "-дағы", genitive, ablative, locative, instrumental, dative, accusative), longest first. */
const CASE: Ending[] = [
  ending('ндағы', 'ндегі', 'V'),
  ending('дағы', 'дегі', ...VOICED),
  ending('тағы', 'тегі', 'K'),
  ending('ның', 'нің', 'V', 'MNN'),
  ending('дың', 'дің', 'RUY', 'LZJ'),
  ending('тың', 'тің', 'K'),
  ending('нан', 'нен', 'V', 'MNN'),
  ending('дан', 'ден', 'V', 'RUY', 'LZJ'),
  ending('тан', 'тен', 'K'),
  ending('нда', 'нде', 'V'),
  ending('мен', 'мен', 'V', 'RUY', 'LZJ', 'MNN'),
  ending('бен', 'бен', 'LZJ', 'MNN'),
  ending('пен', 'пен', 'K'),
  ending('ға', 'ге', ...VOICED),
  ending('қа', 'ке', 'K'),
  ending('да', 'де', ...VOICED),
  ending('та', 'те', 'K'),
  ending('ны', 'ні', 'V'),
  ending('ды', 'ді', 'RUY', 'LZJ', 'MNN'),
  ending('ты', 'ті', 'K'),
];

/**
 * Possessive endings (our, your (polite), his/her/their after a vowel). Not "-ым/-ің" (my, your): too many
 * nouns end so ("білім", "жағдайым"…), and comments seldom say "my"; the bare "-ы/-і" only after a plural.
 */
const POSSESSIVE: Ending[] = [
  ending('ымыз', 'іміз', 'RUY', 'LZJ', 'MNN', 'K'),
  ending('ыңыз', 'іңіз', 'RUY', 'LZJ', 'MNN', 'K'),
  ending('мыз', 'міз', 'V'),
  ending('ңыз', 'ңіз', 'V'),
  ending('сы', 'сі', 'V'),
];

const PLURAL: Ending[] = [ending('лар', 'лер', 'V', 'RUY'), ending('дар', 'дер', 'LZJ', 'MNN'), ending('тар', 'тер', 'K')];
const PLURAL_SUFFIX = /(?:лар|лер|дар|дер|тар|тер)$/u;

/** The harmony of a stem: its last back or front vowel (loanwords mostly follow it too). */
function harmony(stem: string): 'back' | 'front' | undefined {
  for (let i = stem.length - 1; i >= 0; i--) {
    if (BACK.test(stem[i]!)) return 'back';
    if (FRONT.test(stem[i]!)) return 'front';
  }
  return undefined;
}

function fits(stem: string, after: Sound[]): boolean {
  if (stem.length < MIN_STEM || !VOWEL.test(stem)) return false;
  const sound = soundOf(stem);
  return sound !== undefined && after.includes(sound);
}

/** Removes the first ending of `endings` that the word ends in and that fits what remains. */
function strip(word: string, endings: Ending[]): string {
  for (const e of endings) {
    for (const [form, side] of [[e.back, 'back'], [e.front, 'front']] as const) {
      if (!word.endsWith(form) || word.length === form.length) continue;
      const stem = word.slice(0, -form.length);
      const h = harmony(stem);
      // "мен/бен/пен" are the same after back and front stems.
      if (e.back !== e.front && h && h !== side) continue;
      if (fits(stem, e.after)) return stem;
    }
  }
  return word;
}

/** The word without its case, possessive and plural endings (lower case in, lower case out). */
export function stripKazakhSuffixes(word: string): string {
  let w = strip(word, CASE);
  // "-ы/-і" after a plural is the possessive: "оқытушылары" → "оқытушылар".
  if (/[ыі]$/u.test(w) && PLURAL_SUFFIX.test(w.slice(0, -1))) w = w.slice(0, -1);
  else w = strip(w, POSSESSIVE);
  return strip(w, PLURAL);
}
