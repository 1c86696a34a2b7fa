// The default invitation and reminder mails, pinned byte for byte in kk, ru and en: the texts a contact list
// (employers, alumni) and a roster (students) get, as invitation and as reminder. Whatever builds the
// templates, these are the mails that go out; the HTML part (mail-html.ts, from the same text) by its hash.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { DEFAULT_TEMPLATES, defaultTemplatesFor, renderMail, STUDENT_TEMPLATES } from '../../server/invitations/templates.js';

const values = {
  name: 'Aigerim Nurlanovna',
  organisation: 'Kazakhtelecom JSC',
  link: 'https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
  unsubscribeLink: 'https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  closesAt: '01.06.2026',
  campaignTitle: 'Employer survey 2026',
};

/** The plain-text part, the same for the invitation and its reminders. */
const TEXTS = {
  contacts: {
    kk: [
      'Құрметті Aigerim Nurlanovna!',
      '',
      'Университет түлектерінің даярлығы туралы пікіріңізді білгіміз келеді (Kazakhtelecom JSC). Сауалнама бірнеше минут алады, жауаптар анонимді түрде өңделеді.',
      '',
      'Сіздің жеке сілтемеңіз: https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
      '',
      'Сауалнама 01.06.2026 дейін ашық.',
      '',
      'Хаттарды алғыңыз келмесе: https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ].join('\n'),
    ru: [
      'Уважаемый(ая) Aigerim Nurlanovna!',
      '',
      'Нам важно ваше мнение о подготовке выпускников университета (Kazakhtelecom JSC). Опрос займёт несколько минут, ответы обрабатываются анонимно.',
      '',
      'Ваша личная ссылка: https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
      '',
      'Опрос открыт до 01.06.2026.',
      '',
      'Чтобы больше не получать писем: https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ].join('\n'),
    en: [
      'Dear Aigerim Nurlanovna,',
      '',
      'We would value your view of how well our graduates were prepared (Kazakhtelecom JSC). The survey takes a few minutes and answers are processed anonymously.',
      '',
      'Your personal link: https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
      '',
      'The survey is open until 01.06.2026.',
      '',
      'To stop receiving these emails: https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ].join('\n'),
  },
  students: {
    kk: [
      'Құрметті Aigerim Nurlanovna!',
      '',
      'Университет білім сапасын жақсарту үшін сіздің пікіріңізді сұрайды. Сауалнама бірнеше минут алады. Жауаптар анонимді: кімнің не жазғанын ешкім — оқытушылар да, әкімшілік те — біле алмайды.',
      '',
      'Сіздің жеке сілтемеңіз: https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
      '',
      'Сауалнама 01.06.2026 дейін ашық.',
      '',
      'Хаттарды алғыңыз келмесе: https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ].join('\n'),
    ru: [
      'Здравствуйте, Aigerim Nurlanovna!',
      '',
      'Университет просит ваше мнение, чтобы улучшить качество обучения. Опрос займёт несколько минут. Ответы анонимны: никто — ни преподаватели, ни администрация — не сможет узнать, кто что написал.',
      '',
      'Ваша личная ссылка: https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
      '',
      'Опрос открыт до 01.06.2026.',
      '',
      'Чтобы больше не получать писем: https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ].join('\n'),
    en: [
      'Dear Aigerim Nurlanovna,',
      '',
      'The university asks for your view to improve teaching and learning. The survey takes a few minutes. Answers are anonymous: nobody — teachers and administrators included — can tell who wrote what.',
      '',
      'Your personal link: https://pikir.example.kz/t/abcdefghjkmnpqrstvwx?lang=kk',
      '',
      'The survey is open until 01.06.2026.',
      '',
      'To stop receiving these emails: https://pikir.example.kz/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ].join('\n'),
  },
};

const MAILS: { audience: 'contacts' | 'students'; kind: 'invitation' | 'reminder'; lang: 'kk' | 'ru' | 'en'; subject: string; html: string }[] = [
  { audience: 'contacts', kind: 'invitation', lang: 'kk', subject: 'Пікіріңіз маңызды: Employer survey 2026', html: 'c5deebfb6ce870cb89d6223caa5783df394c532092ca3a03e7ca004929c5e36d' },
  { audience: 'contacts', kind: 'invitation', lang: 'ru', subject: 'Ваше мнение важно: Employer survey 2026', html: '8c33ce72d19bfefe10a5e5cb44c2c392f81672fc373c369ad94aabd8521dc7dc' },
  { audience: 'contacts', kind: 'invitation', lang: 'en', subject: 'Your opinion matters: Employer survey 2026', html: '8f5d9ed3a0cb90d0ce4b031dbb03f6fcc50f21c4988b5d8d142b26f2d0cdd37a' },
  { audience: 'contacts', kind: 'reminder', lang: 'kk', subject: 'Еске салу: Пікіріңіз маңызды: Employer survey 2026', html: 'c0174485e7a07b1bba02a424bc82a0e14e336569e640bd043038f8f7f434f23c' },
  { audience: 'contacts', kind: 'reminder', lang: 'ru', subject: 'Напоминание: Ваше мнение важно: Employer survey 2026', html: '0884e8f8aa434eaa7032fcb2b32d8e48557acbe9e8769c5bf23327166a3bcf12' },
  { audience: 'contacts', kind: 'reminder', lang: 'en', subject: 'Reminder: Your opinion matters: Employer survey 2026', html: 'af5853b400fcaef4ca7954897e01e448b653cf46f750657d703ab9a6d38adf40' },
  { audience: 'students', kind: 'invitation', lang: 'kk', subject: 'Сауалнамаға қатысыңыз: Employer survey 2026', html: '41c562db233ab753b3ec734e822d7ec8b71d4ab40e4364954b4050eeccca8628' },
  { audience: 'students', kind: 'invitation', lang: 'ru', subject: 'Примите участие в опросе: Employer survey 2026', html: '72019e9d35b35f04f81778dd43bcf773e98c14de639e12412c4683a3bd339f02' },
  { audience: 'students', kind: 'invitation', lang: 'en', subject: 'Take part in the survey: Employer survey 2026', html: 'dcac9f73d08decc4558df39548798e531bce87289583c378b122ee13de2f1815' },
  { audience: 'students', kind: 'reminder', lang: 'kk', subject: 'Еске салу: Сауалнамаға қатысыңыз: Employer survey 2026', html: '0d34d7ecf8d74b1186b26f9c93af9cbd15ca10950d5479c9aa7019de8b1da099' },
  { audience: 'students', kind: 'reminder', lang: 'ru', subject: 'Напоминание: Примите участие в опросе: Employer survey 2026', html: '907cd0d7ee391ff114c1c3907cf63641461da071d96070b09088ce342754b951' },
  { audience: 'students', kind: 'reminder', lang: 'en', subject: 'Reminder: Take part in the survey: Employer survey 2026', html: 'd679e9c66a0074a2b46fd404d20d2a26c145c8ee832df42091c7485577c1f160' },
];

describe('default invitation and reminder mails (pinned)', () => {
  for (const { audience, kind, lang, subject, html } of MAILS) {
    it(`${audience}, ${kind}, ${lang}: the same subject, text and HTML as ever`, () => {
      const templates = audience === 'contacts' ? DEFAULT_TEMPLATES : STUDENT_TEMPLATES;
      const mail = renderMail(templates[lang], kind, lang, values);
      expect(mail.subject).to.equal(subject);
      expect(mail.text).to.equal(TEXTS[audience][lang]);
      expect(createHash('sha256').update(mail.html).digest('hex'), 'the HTML part').to.equal(html);
    });
  }

  it('gives a contact-list campaign the contacts\' texts and every other campaign the students\'', () => {
    expect(defaultTemplatesFor('contacts')).to.deep.equal(DEFAULT_TEMPLATES);
    for (const kind of ['faculty', 'university', 'programme', 'cohort', 'discipline'] as const) expect(defaultTemplatesFor(kind)).to.deep.equal(STUDENT_TEMPLATES);
  });
});
