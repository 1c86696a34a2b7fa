// Personal names in comments, in Kazakh, Russian and English, replaced by "[name]" before anyone reads
// them. A heuristic over the words of the text, not a name dictionary: what marks a name is its shape
// (a surname or patronymic ending), its company (two capitalised words together, an initial, a title before
// it, a Kazakh honorific after it) and its place (a capitalised word inside a sentence). Ordinary words stay:
// stop words, a capitalised word that starts a sentence on its own, hyphenated terms ("Wi-Fi"), acronyms.
// A lone first name is caught only if it is one of the common given names listed here (GIVEN).
// Not caught: other lone first names, names written in capitals, a lone surname that starts a sentence
// ("Иванов опаздывает": Russian genitive plurals such as "Вопросов" have the same shape).
import { isStopWord, normaliseWord } from './stopwords.js';

const TOKEN = /\p{L}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*/gu;

/** Patronymics: Russian (-ович, -овна … with their case endings), Kazakh (-ұлы, -қызы), and transliterated. */
const PATRONYMIC = /(?:[оеё]вич(?:а|у|ем|е)?|ьич(?:а|у|ем|е)?|[оеё]вн(?:а|ы|е|у|ой)|ичн(?:а|ы|е|у|ой)|[ұу]лы|[қк]ызы|ovich|evich|ovna|evna|uly|kyzy|qyzy)$/iu;
/** Kazakh case endings a surname may carry: Асқаровқа, Асқаровтың, Сапаровамен. */
const KK_CASE = '(?:қа|ке|ға|ге|тың|тің|дың|дің|ның|нің|ты|ті|ды|ді|ны|ні|та|те|да|де|нда|нде|тан|тен|дан|ден|нан|нен|пен|бен|мен)';
/** Surnames: -ов/-ев/-ин/-ын (with Russian or Kazakh case endings), -ский/-цкий, -енко, and transliterated. */
const SURNAME = new RegExp(
  `(?:(?:[оеё]в|[иы]н)(?:а|у|ым|ой|ою|ом|е|ых|ыми|ы)?|(?:[оеё]в|[иы]н)а?${KK_CASE}|[сц]к(?:ий|ая|ого|ому|им|ом|ой|ую|ие|их|ими)|енко|ov|ova|ev|eva|sky|skiy|skii|skaya|enko)$`,
  'iu',
);
/** Words that name a person by role: the capitalised words after them are a name ("доцент Ахметов"). */
const TITLES = /^(?:преподавател\p{L}*|профессор\p{L}*|доцент\p{L}*|учител\p{L}*|куратор\p{L}*|декан\p{L}*|эдвайзер\p{L}*|оқытушы\p{L}*|мұғалім\p{L}*|ұстаз\p{L}*|teacher|professor|prof|dr|mr|mrs|ms|miss|lecturer|dean|tutor|curator|adviser|advisor)$/iu;
/** Kazakh honorifics follow the name: "Айгүл апай", "Ерлан ағай". */
const HONORIFICS = new Set(['апай', 'ағай', 'аға', 'апа', 'мырза', 'ханым', 'әпке']);
/** Words that may open a sentence right before a name ("Спасибо Иванову"): not part of the name. */
const OPENERS = new Set(['спасибо', 'благодарю', 'благодарим', 'уважаемый', 'уважаемая', 'дорогой', 'дорогая', 'особенно', 'рақмет', 'рахмет', 'алғыс', 'құрметті', 'әсіресе', 'thanks', 'thank', 'dear', 'especially', 'hello', 'привет', 'сәлем']);
/**
 * Capitalised words that are not names: places and institutions of a university, languages, days and
 * months, software. Cyrillic entries are stems (they are inflected: "Университетінің").
 */
const NOT_NAMES_LATIN = new Set(
  (
    'university faculty department school college institute academy campus building block room hall library lab laboratory centre center office services service student students ' +
    'science sciences technology technologies engineering management studies programme program course courses club platform portal system english kazakh russian turkish chinese german french ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
    'moodle zoom teams google microsoft windows excel word internet covid ' +
    // Subjects and terms written in English inside comments ("Machine Learning пәні қиын").
    'machine learning data analysis analytics design economics marketing finance accounting law history mathematics math physics chemistry biology ' +
    'statistics programming calculus algebra artificial intelligence network networks security web development software hardware business project research'
  ).split(' '),
);
/**
 * Common given names (Kazakh, Russian, English, and Kazakh ones transliterated): a short list, not a
 * register — a lone first name is masked when it is here, in any case form ("Айгүлге", "Ивану").
 */
const GIVEN = new Set(
  (
    'айгүл айгерім әйгерім айжан айнұр ақмарал әсел асель гүлнара гүлмира дана динара жанар жансая жұлдыз зарина қарлығаш ләззат мадина мақпал меруерт назерке ' +
    'назира нұргүл самал сәуле сымбат томирис ұлжан шынар әлия аружан балжан гаухар дариға камила салтанат індира жанна ' +
    'асқар айдос айбек алмас арман арсен ахмет бауыржан бекзат болат дархан дәулет даулет дәурен ерлан ержан ерболат ербол жандос жасұлан қайрат қанат мейрам ' +
    'мұрат нұрлан нұрсұлтан нұржан олжас руслан самат серік талғат тимур абай әділ бекжан дамир мақсат ринат санжар данияр ' +
    'александр алексей андрей анна антон дмитрий евгений елена иван ирина мария наталья николай ольга павел сергей светлана татьяна юлия виктор ' +
    'владимир галина людмила марина михаил екатерина игорь олег юрий петр василий анастасия валентина надежда ' +
    'aigul aigerim aizhan asel madina dana aliya erlan yerlan askar nurlan arman daniyar kairat bauyrzhan ' +
    'john michael david james robert mary sarah emma anna maria peter paul thomas'
  ).split(' '),
);
/** Case endings a given name may carry (Kazakh: Айгүлге; Russian: Ивану, Анне → Анна). */
const GIVEN_ENDINGS = new RegExp(`${KK_CASE}$|(?:ом|ой|ем|ей|ою|ею|а|у|е|ы|и|ю|я)$`, 'u');

/** Kazakh names are often written in Russian spelling ("Нурлан", "Айгуль"): compared with Kazakh letters folded. */
const fold = (word: string) => word.replace(/[әғқңөұүһі]/gu, (c) => 'агкноуухи'['әғқңөұүһі'.indexOf(c)]!).replace(/ь/gu, '');
const GIVEN_FOLDED = new Set([...GIVEN].map(fold));

function isGivenName(word: string): boolean {
  const w = fold(normaliseWord(word));
  if (GIVEN_FOLDED.has(w)) return true;
  const stem = w.replace(GIVEN_ENDINGS, '');
  return stem !== w && [stem, `${stem}а`, `${stem}я`, `${stem}й`].some((c) => GIVEN_FOLDED.has(c));
}

const NOT_NAMES_CYRILLIC = /^(?:университет|факультет|кафедр|институт|колледж|академи|корпус|библиотек|кітапхан|деканат|ректор|қазақстан|казахстан|республик|министерств|министрлі|алматы|астана|москв|интернет|ковид)/iu;

interface Token {
  word: string;
  start: number;
  end: number;
  kind: 'name' | 'initial' | 'title' | 'honorific' | 'other';
  /** Has a surname or patronymic ending, or is a common given name. */
  shaped: boolean;
  patronymic: boolean;
  /** One of the common given names (GIVEN). */
  given: boolean;
  /** Starts a sentence (or the text). */
  opensSentence: boolean;
}

/** "Асқаров", "Сапарова-Ахметова", "Smith's": a capital, then lower case; each part of a hyphenated word of 3+ letters. */
function isNameShaped(word: string): boolean {
  const parts = word.replace(/['’]s$/u, '').split(/[-'’]/);
  if (parts.length > 1 && parts.some((p) => p.length < 3)) return false;
  return parts.every((p) => /^\p{Lu}[\p{Ll}\p{M}]+$/u.test(p));
}

function isNotName(word: string): boolean {
  const w = normaliseWord(word);
  return isStopWord(w) || NOT_NAMES_LATIN.has(w) || NOT_NAMES_CYRILLIC.test(w);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const word = m[0];
    const start = m.index;
    const end = start + word.length;
    const before = text.slice(0, start).replace(/[\s"'«“„([—–•*-]+$/u, '');
    const opensSentence = before === '' || /[.!?…\n]$/u.test(before);
    const lower = normaliseWord(word);
    let kind: Token['kind'] = 'other';
    if (/^\p{Lu}$/u.test(word) && text[end] === '.') kind = 'initial';
    else if (TITLES.test(word)) kind = 'title';
    else if (HONORIFICS.has(lower)) kind = 'honorific';
    else if (isNameShaped(word) && !isNotName(word)) kind = 'name';
    const patronymic = kind === 'name' && word.length >= 6 && PATRONYMIC.test(word);
    const shaped = patronymic || (kind === 'name' && ((word.length >= 5 && SURNAME.test(word)) || isGivenName(word)));
    const given = kind === 'name' && isGivenName(word);
    tokens.push({ word, start, end, kind, shaped, patronymic, given, opensSentence });
  }
  return tokens;
}

/** Two words belong to one name when only spaces (and the full stop of an initial or a title) lie between. */
function adjacent(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  return a.kind === 'initial' || a.kind === 'title' ? /^\.?\s{0,2}$/u.test(gap) : /^[ \t]{1,2}$/u.test(gap);
}

/** Whether a run of capitalised words and initials is a name. */
function isName(group: Token[], titled: boolean, honoured: boolean, opensSentence: boolean): boolean {
  const names = group.filter((t) => t.kind === 'name');
  if (!names.length) return false;
  if (titled || honoured || names.length < group.length || names.length >= 2) return true;
  const only = names[0]!;
  return only.patronymic || only.given || (only.shaped && !opensSentence);
}

/** The spans [start, end) of the names in a text. */
export function findNames(text: string): [number, number][] {
  const tokens = tokenize(text);
  const spans: [number, number][] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i]!;
    if (first.kind !== 'name' && first.kind !== 'initial') {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && (tokens[j + 1]!.kind === 'name' || tokens[j + 1]!.kind === 'initial') && adjacent(text, tokens[j]!, tokens[j + 1]!)) j++;
    let group = tokens.slice(i, j + 1);
    const prev = tokens[i - 1];
    const next = tokens[j + 1];
    const titled = prev?.kind === 'title' && adjacent(text, prev, first);
    const honoured = next?.kind === 'honorific' && adjacent(text, tokens[j]!, next);
    // "Лекции Ахметова…", "Спасибо Иванову…": a sentence's first word, which is capitalised anyway, is part
    // of the name only if it looks like a name itself, or if without it what follows would not be one.
    if (group.length > 1 && first.opensSentence && !first.shaped && (OPENERS.has(normaliseWord(first.word)) || isName(group.slice(1), titled, honoured, false))) group = group.slice(1);
    if (isName(group, titled, honoured, group[0]!.opensSentence)) {
      const last = group[group.length - 1]!;
      // An initial's full stop goes with it; an English possessive stays ("[name]'s lectures").
      const end = last.kind === 'initial' ? last.end + 1 : last.end - (/['’]s$/u.exec(last.word)?.[0].length ?? 0);
      spans.push([group[0]!.start, end]);
    }
    i = j + 1;
  }
  return spans;
}

export function maskNames(text: string): string {
  let out = text;
  for (const [start, end] of findNames(text).reverse()) out = out.slice(0, start) + '[name]' + out.slice(end);
  return out;
}
