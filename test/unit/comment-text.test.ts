// Comments as a council reads them, on a fixed set of comments in Kazakh, Russian and English: names and
// contact details masked without eating ordinary words, each comment's own language detected, identical
// comments shown once with their count, word lists per language without stop words, stems counted together.
import { expect } from 'chai';
import type { Lang } from '../../server/lib/i18n/index.js';
import { readComments } from '../../server/analytics/text/comments.js';
import { detectLanguage } from '../../server/analytics/text/language.js';
import { maskPersonalData } from '../../server/analytics/text/mask.js';
import { STOP_WORDS } from '../../server/analytics/text/stopwords.js';
import { wordFrequencies } from '../../server/analytics/text/words.js';
import { stripKazakhSuffixes } from '../../server/analytics/text/kazakh-suffixes.js';

/** [as written, as shown, the language it is written in] */
const FIXED: [string, string, Lang][] = [
  // Ordinary words stay, including capitalised ones and hyphenated terms.
  ['The Wi-Fi in building B does not work in the afternoons.', 'The Wi-Fi in building B does not work in the afternoons.', 'en'],
  ['Computer Science is great, Library of Building C is quiet.', 'Computer Science is great, Library of Building C is quiet.', 'en'],
  ['Вопросов нет, всё понятно.', 'Вопросов нет, всё понятно.', 'ru'],
  ['Один из лучших курсов. Магазин в корпусе закрыт.', 'Один из лучших курсов. Магазин в корпусе закрыт.', 'ru'],
  ['Дисциплина интересная. Причина в том, что Wi-Fi слабый.', 'Дисциплина интересная. Причина в том, что Wi-Fi слабый.', 'ru'],
  ['Кітапханада жаңа әдебиет жетіспейді.', 'Кітапханада жаңа әдебиет жетіспейді.', 'kk'],
  ['Практика өте пайдалы болды, рақмет.', 'Практика өте пайдалы болды, рақмет.', 'kk'],
  ['В 2024-2025 учебном году аудитория 305 была закрыта.', 'В 2024-2025 учебном году аудитория 305 была закрыта.', 'ru'],
  // Kazakh names: surname + given name, patronymic forms, honorifics, case endings.
  ['Асқаров Ерлан сабақты өте жақсы түсіндіреді.', '[name] сабақты өте жақсы түсіндіреді.', 'kk'],
  ['Ерлан Асқаров жақсы түсіндіреді.', '[name] жақсы түсіндіреді.', 'kk'],
  ['Сапарова Айгүл Қанатқызы — керемет ұстаз.', '[name] — керемет ұстаз.', 'kk'],
  ['Бұл курсты Нұрлан Серікұлы жүргізді.', 'Бұл курсты [name] жүргізді.', 'kk'],
  ['Айгүл апай сабақты қызықты өткізеді.', '[name] апай сабақты қызықты өткізеді.', 'kk'],
  ['Курсты Асқаровқа рақмет.', 'Курсты [name] рақмет.', 'kk'],
  ['Сабақты Айгүлге рақмет.', 'Сабақты [name] рақмет.', 'kk'],
  // Russian names: initials, patronymics, titles, declined surnames; the sentence's first word stays.
  ['Преподаватель Иванов И.И. часто опаздывает.', 'Преподаватель [name] часто опаздывает.', 'ru'],
  ['Курс вела Петрова Анна Сергеевна, было интересно.', 'Курс вела [name], было интересно.', 'ru'],
  ['Спасибо Иванову за интересный курс!', 'Спасибо [name] за интересный курс!', 'ru'],
  ['Лекции Ахметова всегда интересные.', 'Лекции [name] всегда интересные.', 'ru'],
  ['С Анной Петровой было легко.', 'С [name] было легко.', 'ru'],
  ['Айгүл хорошо объясняет.', '[name] хорошо объясняет.', 'ru'],
  ['Нурлан Ахметов отлично ведёт.', '[name] отлично ведёт.', 'ru'],
  ['Спасибо Сапаровой Айгуль!', 'Спасибо [name]!', 'ru'],
  ['Большое спасибо Марату Ахметовичу.', 'Большое спасибо [name].', 'ru'],
  ['Лекции Ильина интересные.', 'Лекции [name] интересные.', 'ru'],
  ['Ержан Серікұлы Бекенов керемет ұстаз.', '[name] керемет ұстаз.', 'kk'],
  ['Жанна Ахметқызы жақсы оқытады.', '[name] жақсы оқытады.', 'kk'],
  ['Оқытушы Бекова Ж. жақсы.', 'Оқытушы [name] жақсы.', 'kk'],
  // English names; capitalised subjects and software are not names.
  ['Dr. Smith and John Brown are great teachers.', 'Dr. [name] and [name] are great teachers.', 'en'],
  ['Askarov Erlan explains well.', '[name] explains well.', 'en'],
  ['Ms Johnson is helpful.', 'Ms [name] is helpful.', 'en'],
  ['I liked Machine Learning a lot, and Google Classroom too.', 'I liked Machine Learning a lot, and Google Classroom too.', 'en'],
  ['Machine Learning пәні қиын.', 'Machine Learning пәні қиын.', 'kk'],
  ['Microsoft Teams часто падает. Всё Отлично.', 'Microsoft Teams часто падает. Всё Отлично.', 'ru'],
  ['Мне нравится Алматы.', 'Мне нравится Алматы.', 'ru'],
  ["Professor Smith's lectures are clear.", "Professor [name]'s lectures are clear.", 'en'],
  // Contact details.
  ['Мой телефон +7 701 123 45 67, почта a.b@mail.kz, сайт https://x.kz/a', 'Мой телефон [phone], почта [email], сайт [link]', 'ru'],
  ['Менің ЖСН нөмірім 990101300123, телефоным 87011234567', 'Менің ЖСН нөмірім [id], телефоным [phone]', 'kk'],
  // Mixed scripts: the language most of the words are in.
  ['Moodle не работает по вечерам.', 'Moodle не работает по вечерам.', 'ru'],
  ['Wi-Fi жоқ кітапханада.', 'Wi-Fi жоқ кітапханада.', 'kk'],
];

describe('comment text', () => {
  for (const [written, shown, lang] of FIXED) {
    it(`masks and reads "${written}"`, () => {
      const masked = maskPersonalData(written);
      expect(masked).to.equal(shown);
      expect(detectLanguage(masked)).to.equal(lang);
    });
  }

  it('reads the language from the text alone: none for text without words, Russian for Cyrillic without a sign of either', () => {
    expect(detectLanguage('5/5 !!!')).to.equal(undefined);
    expect(detectLanguage('👍')).to.equal(undefined);
    expect(detectLanguage('Керемет!')).to.equal('ru');
    expect(detectLanguage('Всё супер, спасибо!')).to.equal('ru');
    expect(detectLanguage('Рахмет, бәрі жақсы!')).to.equal('kk');
    // Text without words is in no language: not counted in any, no words in any list, no lang attribute.
    const view = readComments([
      { item: 'a', text: '👍👍' },
      { item: 'a', text: '10/10' },
      { item: 'a', text: 'Керемет!' },
    ]);
    expect(view.comments.map((c) => c.lang)).to.deep.equal([undefined, undefined, 'ru']);
    expect(view.languages).to.deep.equal({ kk: 0, ru: 1, en: 0 });
  });

  it('has stop words for all three languages, Kazakh included', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) expect(STOP_WORDS[lang].size, lang).to.be.greaterThan(100);
    expect(STOP_WORDS.en.has('does') && STOP_WORDS.en.has('not') && STOP_WORDS.en.has('the')).to.equal(true);
    expect(STOP_WORDS.kk.has('және') && STOP_WORDS.kk.has('өте') && STOP_WORDS.kk.has('болды')).to.equal(true);
    // Opinion words stay in the lists a council reads.
    for (const word of ['жақсы', 'пайдалы', 'хорошо', 'плохо', 'good', 'helpful']) expect(STOP_WORDS.kk.has(word) || STOP_WORDS.ru.has(word) || STOP_WORDS.en.has(word), word).to.equal(false);
  });

  it('groups word lists by the language a comment is written in, not the interface its author used', () => {
    const view = readComments([
      { item: 'comment', text: 'The teachers are helpful and answer questions quickly.' },
      { item: 'comment', text: 'Практика өте пайдалы болды, рақмет.' },
      { item: 'comment', text: 'Преподаватели отвечают быстро, преподаватель Иванов тоже.' },
    ]);
    expect(view.comments.map((c) => c.lang)).to.deep.equal(['en', 'kk', 'ru']);
    expect(view.languages).to.deep.equal({ kk: 1, ru: 1, en: 1 });
    expect(view.frequencies.en.map((w) => w.word)).to.deep.equal(['answer', 'helpful', 'questions', 'quickly', 'teachers']);
    expect(view.frequencies.kk.map((w) => w.word)).to.deep.equal(['пайдалы', 'практика', 'рақмет']);
    // One stem, two forms, one comment: counted once, shown in its most frequent form; the name is not a word.
    expect(view.frequencies.ru).to.deep.equal([
      { word: 'быстро', count: 1 },
      { word: 'отвечают', count: 1 },
      { word: 'преподаватели', count: 1 },
    ]);
  });

  it('shows identical comments once, with how many wrote them, most repeated first', () => {
    const view = readComments([
      { item: 'a', text: 'Wi-Fi is slow.' },
      { item: 'a', text: 'More practical classes, please.' },
      { item: 'a', text: 'more practical classes, please' },
      { item: 'a', text: '  More   practical classes, please!' },
      { item: 'b', text: 'More practical classes, please.' },
    ]);
    expect(view.comments.map((c) => [c.item, c.text, c.count])).to.deep.equal([
      ['a', 'More practical classes, please.', 3],
      ['a', 'Wi-Fi is slow.', 1],
      ['b', 'More practical classes, please.', 1],
    ]);
    // Shown as most wrote it, whatever order the responses come in.
    const reversed = readComments([
      { item: 'a', text: 'the wi-fi is slow' },
      { item: 'a', text: 'The Wi-Fi is slow.' },
      { item: 'a', text: 'The Wi-Fi is slow.' },
    ]);
    expect(reversed.comments.map((c) => [c.text, c.count])).to.deep.equal([['The Wi-Fi is slow.', 3]]);
    expect(readComments([{ item: 'a', text: 'wifi is slow' }, { item: 'a', text: 'Wifi is slow.' }]).comments[0]!.text).to.equal('Wifi is slow.');
    // Word counts are per comment, each repeated comment counting for everyone who wrote it.
    expect(view.frequencies.en.find((w) => w.word === 'practical')?.count).to.equal(4);
    expect(view.languages.en).to.equal(5);
  });

  it('counts Russian and English words by stem and Kazakh nouns without their endings', () => {
    const lists = wordFrequencies([
      { text: 'Библиотека маленькая, в библиотеке шумно, библиотеку закрывают рано.', lang: 'ru' },
      { text: 'Teachers and teaching: the teacher teaches well.', lang: 'en' },
      { text: 'Кітапхана жақсы, кітапханада орын жоқ.', lang: 'kk' },
    ]);
    expect(lists.ru[0]).to.deep.equal({ word: 'библиотека', count: 1 });
    // teachers/teacher and teaching/teaches: two stems, each shown in its shortest most frequent form.
    expect(lists.en).to.deep.equal([
      { word: 'teacher', count: 1 },
      { word: 'teaches', count: 1 },
      { word: 'well', count: 1 },
    ]);
    // "кітапхана" and "кітапханада" in one comment: one word, counted once.
    expect(lists.kk).to.deep.equal([
      { word: 'жақсы', count: 1 },
      { word: 'кітапхана', count: 1 },
      { word: 'орын', count: 1 },
    ]);
  });

  it('strips Kazakh case, possessive and plural endings only where Kazakh would put them', () => {
    const cases: [string, string][] = [
      ['кітапханада', 'кітапхана'],
      ['кітапханалардың', 'кітапхана'],
      ['кітапханасында', 'кітапхана'],
      ['кітапханадағы', 'кітапхана'],
      ['сабақтарды', 'сабақ'],
      ['сабақтан', 'сабақ'],
      ['оқытушылары', 'оқытушы'],
      ['оқытушымен', 'оқытушы'],
      ['студенттерге', 'студент'],
      ['университеттегі', 'университет'],
      ['адамдар', 'адам'],
      ['адамнан', 'адам'],
      ['аудиторияда', 'аудитория'],
      ['білімді', 'білім'],
      // Words that only end like a suffix keep it: the ending is not the form Kazakh uses after that stem.
      ['жақсы', 'жақсы'],
      ['пайдалы', 'пайдалы'],
      ['білім', 'білім'],
      ['жаңа', 'жаңа'],
      ['түсіндіреді', 'түсіндіреді'],
      ['практика', 'практика'],
      // Too short to strip.
      ['оқу', 'оқу'],
      ['мен', 'мен'],
    ];
    expect(cases.map(([word]) => [word, stripKazakhSuffixes(word)])).to.deep.equal(cases);
  });
});
