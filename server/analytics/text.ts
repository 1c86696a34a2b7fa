// Open-text answers: personal details masked before anyone reads them, and word frequencies per
// language with stop-words removed, using the built-in Intl.Segmenter.
import type { Lang } from '../lib/i18n/index.js';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const PHONE = /(?:\+?\d[\s\-()]*){7,}/g;
const URL = /\bhttps?:\/\/\S+/gi;
// A capitalised word followed by a capitalised word, or an initial: "Иванов И.", "Айгүл Сапарова", "J. Smith".
const NAME = /\b\p{Lu}\p{Ll}+\s+\p{Lu}(?:\p{Ll}+|\.)(?:\s*\p{Lu}\.)?|\b\p{Lu}\.\s?(?:\p{Lu}\.\s?)?\p{Lu}\p{Ll}+/gu;
// Titles that precede a teacher's name in the three languages.
const TITLED = /\b(?:профессор|доцент|преподаватель|преподавателя|оқытушы|мұғалім|ұстаз|апай|ағай|teacher|professor|dr|mr|mrs|ms)\.?\s+\p{Lu}[\p{L}-]+/giu;

export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(URL, '[link]')
    .replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 ? '[phone]' : m))
    .replace(TITLED, (m) => m.split(/\s+/)[0] + ' [name]')
    .replace(NAME, '[name]');
}

const STOP_WORDS: Record<Lang, Set<string>> = {
  en: new Set('a an and are as at be but by for from has have i in is it its more of on or our so that the their there they this to very was we were with not no can would should will all also'.split(' ')),
  ru: new Set('и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между очень'.split(' ')),
  kk: new Set('және мен бен пен да де та те ол бұл сол осы мына ма ме ба бе па пе ғой қой ғана қана үшін туралы арқылы бірақ немесе әлде егер онда мұнда сонда біз сіз сен мен олар оның бізге сізге маған саған оған өте тым көп аз бар жоқ еді екен болып болды болады керек ретінде сияқты және де бір әр барлық кейбір ешкім ештеңе қалай неге не кім қайда қашан'.split(' ')),
};

export function wordFrequencies(texts: { text: string; lang: Lang }[], top = 30): Record<Lang, { word: string; count: number }[]> {
  const out = { kk: new Map<string, number>(), ru: new Map<string, number>(), en: new Map<string, number>() };
  for (const { text, lang } of texts) {
    const segmenter = new Intl.Segmenter(lang, { granularity: 'word' });
    for (const s of segmenter.segment(maskPersonalData(text).toLocaleLowerCase(lang))) {
      if (!s.isWordLike || s.segment.length < 3 || /\d/.test(s.segment) || STOP_WORDS[lang].has(s.segment) || s.segment === 'name') continue;
      out[lang].set(s.segment, (out[lang].get(s.segment) ?? 0) + 1);
    }
  }
  const ranked = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([word, count]) => ({ word, count }));
  return { kk: ranked(out.kk), ru: ranked(out.ru), en: ranked(out.en) };
}
