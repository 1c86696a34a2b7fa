// Default invitation and reminder texts per language, and the placeholder filler. Plain text: the
// values are inserted as they are (no HTML), so nothing in a contact's name can change the markup.
import { formatDay } from '../lib/dates.js';
import type { Lang } from '../lib/i18n/index.js';
import type { MailTemplate, SendKind, Templates } from './model.js';

export const PLACEHOLDERS = ['name', 'organisation', 'link', 'unsubscribeLink', 'closesAt', 'campaignTitle'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const DEFAULT_TEMPLATES: Templates = {
  kk: {
    subject: 'Пікіріңіз маңызды: {{campaignTitle}}',
    body: [
      'Құрметті {{name}}!',
      '',
      'Университет түлектерінің даярлығы туралы пікіріңізді білгіміз келеді ({{organisation}}). Сауалнама бірнеше минут алады, жауаптар анонимді түрде өңделеді.',
      '',
      'Сіздің жеке сілтемеңіз: {{link}}',
      '',
      'Сауалнама {{closesAt}} дейін ашық.',
      '',
      'Хаттарды алғыңыз келмесе: {{unsubscribeLink}}',
    ].join('\n'),
  },
  ru: {
    subject: 'Ваше мнение важно: {{campaignTitle}}',
    body: [
      'Уважаемый(ая) {{name}}!',
      '',
      'Нам важно ваше мнение о подготовке выпускников университета ({{organisation}}). Опрос займёт несколько минут, ответы обрабатываются анонимно.',
      '',
      'Ваша личная ссылка: {{link}}',
      '',
      'Опрос открыт до {{closesAt}}.',
      '',
      'Чтобы больше не получать писем: {{unsubscribeLink}}',
    ].join('\n'),
  },
  en: {
    subject: 'Your opinion matters: {{campaignTitle}}',
    body: [
      'Dear {{name}},',
      '',
      'We would value your view of how well our graduates were prepared ({{organisation}}). The survey takes a few minutes and answers are processed anonymously.',
      '',
      'Your personal link: {{link}}',
      '',
      'The survey is open until {{closesAt}}.',
      '',
      'To stop receiving these emails: {{unsubscribeLink}}',
    ].join('\n'),
  },
};

/** A reminder reuses the template with a short prefix in the subject. */
const REMINDER_PREFIX: Record<Lang, string> = { kk: 'Еске салу: ', ru: 'Напоминание: ', en: 'Reminder: ' };

export function effectiveTemplates(stored: Partial<Templates> | undefined): Templates {
  return {
    kk: stored?.kk ?? DEFAULT_TEMPLATES.kk,
    ru: stored?.ru ?? DEFAULT_TEMPLATES.ru,
    en: stored?.en ?? DEFAULT_TEMPLATES.en,
  };
}

export function fill(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => ((PLACEHOLDERS as readonly string[]).includes(key) ? values[key as Placeholder] : whole));
}

/** Placeholders a template uses that are not known (shown as an error when saving). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).filter((k) => !(PLACEHOLDERS as readonly string[]).includes(k));
}

export function renderMail(template: MailTemplate, kind: SendKind, lang: Lang, values: Record<Placeholder, string>): { subject: string; text: string } {
  // Header injection: a subject is one line whatever the values hold.
  const subject = fill(template.subject, values).replace(/[\r\n]+/g, ' ').trim();
  return { subject: (kind === 'reminder' ? REMINDER_PREFIX[lang] : '') + subject, text: fill(template.body, values) };
}

/** A date in a mail: the university's day, written as every page writes it in that language. */
export function formatDate(date: Date, lang: Lang): string {
  return formatDay(date, lang);
}
