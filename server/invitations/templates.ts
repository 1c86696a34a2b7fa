// Default invitation and reminder texts per language (employers and alumni; students from a roster), and
// the placeholder filler. Templates are plain text; the HTML part is made from them by mail-html.ts, which
// escapes the template and every value, so nothing in a contact's name can change the markup.
import { formatDay } from '../lib/dates.js';
import type { Lang } from '../lib/i18n/index.js';
import type { AudienceKind } from '../campaigns/model.js';
import { mailHtml } from './mail-html.js';
import type { MailTemplate, SendKind, Templates } from './model.js';

export const PLACEHOLDERS = ['name', 'organisation', 'link', 'unsubscribeLink', 'closesAt', 'campaignTitle'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Whom a campaign's default mails speak to: employers and alumni from a contact list, or students from a roster. */
type Audience = 'contacts' | 'students';

/** What the two audiences' mails say differently: the subject, the greeting and why we ask. */
const OPENINGS: Record<Audience, Record<Lang, { subject: string; greeting: string; why: string }>> = {
  contacts: {
    kk: {
      subject: 'Пікіріңіз маңызды: {{campaignTitle}}',
      greeting: 'Құрметті {{name}}!',
      why: 'Университет түлектерінің даярлығы туралы пікіріңізді білгіміз келеді ({{organisation}}). Сауалнама бірнеше минут алады, жауаптар анонимді түрде өңделеді.',
    },
    ru: {
      subject: 'Ваше мнение важно: {{campaignTitle}}',
      greeting: 'Уважаемый(ая) {{name}}!',
      why: 'Нам важно ваше мнение о подготовке выпускников университета ({{organisation}}). Опрос займёт несколько минут, ответы обрабатываются анонимно.',
    },
    en: {
      subject: 'Your opinion matters: {{campaignTitle}}',
      greeting: 'Dear {{name}},',
      why: 'We would value your view of how well our graduates were prepared ({{organisation}}). The survey takes a few minutes and answers are processed anonymously.',
    },
  },
  // Their survey, not their graduates; the name may be missing (NAMELESS).
  students: {
    kk: {
      subject: 'Сауалнамаға қатысыңыз: {{campaignTitle}}',
      greeting: 'Құрметті {{name}}!',
      why: 'Университет білім сапасын жақсарту үшін сіздің пікіріңізді сұрайды. Сауалнама бірнеше минут алады. Жауаптар анонимді: кімнің не жазғанын ешкім — оқытушылар да, әкімшілік те — біле алмайды.',
    },
    ru: {
      subject: 'Примите участие в опросе: {{campaignTitle}}',
      greeting: 'Здравствуйте, {{name}}!',
      why: 'Университет просит ваше мнение, чтобы улучшить качество обучения. Опрос займёт несколько минут. Ответы анонимны: никто — ни преподаватели, ни администрация — не сможет узнать, кто что написал.',
    },
    en: {
      subject: 'Take part in the survey: {{campaignTitle}}',
      greeting: 'Dear {{name}},',
      why: 'The university asks for your view to improve teaching and learning. The survey takes a few minutes. Answers are anonymous: nobody — teachers and administrators included — can tell who wrote what.',
    },
  },
};

/** How every default mail ends, per language: the personal link, until when the survey is open, how to stop the mails. */
const CLOSINGS: Record<Lang, string[]> = {
  kk: ['Сіздің жеке сілтемеңіз: {{link}}', 'Сауалнама {{closesAt}} дейін ашық.', 'Хаттарды алғыңыз келмесе: {{unsubscribeLink}}'],
  ru: ['Ваша личная ссылка: {{link}}', 'Опрос открыт до {{closesAt}}.', 'Чтобы больше не получать писем: {{unsubscribeLink}}'],
  en: ['Your personal link: {{link}}', 'The survey is open until {{closesAt}}.', 'To stop receiving these emails: {{unsubscribeLink}}'],
};

/** One audience's default templates in every language: its opening, then the common ending, a blank line between paragraphs. */
function defaultTemplates(audience: Audience): Templates {
  const template = (lang: Lang): MailTemplate => {
    const { subject, greeting, why } = OPENINGS[audience][lang];
    return { subject, body: [greeting, why, ...CLOSINGS[lang]].join('\n\n') };
  };
  return { kk: template('kk'), ru: template('ru'), en: template('en') };
}

export const DEFAULT_TEMPLATES: Templates = defaultTemplates('contacts');
/** Students from a roster: their survey, not their graduates; the name may be missing. */
export const STUDENT_TEMPLATES: Templates = defaultTemplates('students');

/** {{name}} of a roster row without a name. */
export const NAMELESS: Record<Lang, string> = { kk: 'студент', ru: 'студент', en: 'student' };

/** The defaults of a campaign: a contact list's texts for employer and alumni campaigns, else the students'. */
export const defaultTemplatesFor = (audience: AudienceKind): Templates => (audience === 'contacts' ? DEFAULT_TEMPLATES : STUDENT_TEMPLATES);

/** A reminder reuses the template with a short prefix in the subject. */
const REMINDER_PREFIX: Record<Lang, string> = { kk: 'Еске салу: ', ru: 'Напоминание: ', en: 'Reminder: ' };

export function effectiveTemplates(stored: Partial<Templates> | undefined, defaults: Templates = DEFAULT_TEMPLATES): Templates {
  return {
    kk: stored?.kk ?? defaults.kk,
    ru: stored?.ru ?? defaults.ru,
    en: stored?.en ?? defaults.en,
  };
}

export function fill(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => ((PLACEHOLDERS as readonly string[]).includes(key) ? values[key as Placeholder] : whole));
}

/** Placeholders a template uses that are not known (shown as an error when saving). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).filter((k) => !(PLACEHOLDERS as readonly string[]).includes(k));
}

export interface RenderedMail {
  subject: string;
  /** The plain-text part (the template filled as it is). */
  text: string;
  /** The HTML part: the same text, escaped, links made clickable. */
  html: string;
}

export function renderMail(template: MailTemplate, kind: SendKind, lang: Lang, values: Record<Placeholder, string>): RenderedMail {
  const filled = { ...values, name: values.name.trim() || NAMELESS[lang] };
  // Header injection: a subject is one line whatever the values hold.
  const subject = (kind === 'reminder' ? REMINDER_PREFIX[lang] : '') + fill(template.subject, filled).replace(/[\r\n]+/g, ' ').trim();
  return { subject, text: fill(template.body, filled), html: mailHtml(template.body, filled, lang, subject) };
}

/** A date in a mail: the university's day, written as every page writes it in that language. */
export function formatDate(date: Date, lang: Lang): string {
  return formatDay(date, lang);
}
