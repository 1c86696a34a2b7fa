// Warnings about a definition that is valid but should not be published as it is: questions that ask for
// personal data (every Pikir survey is anonymous, so such an answer would name the respondent) and texts
// whose kk/ru/en versions are untranslated copies. The builder shows them as you edit, imports list them,
// and publishing asks for a confirmation while any remain (service.ts).
import type { Lang } from '../lib/i18n/index.js';
import type { Item } from './schema.js';
import { localizedTexts } from './texts.js';

export type PersonalData = 'email' | 'phone' | 'name' | 'id_number' | 'address' | 'birth_date';

export interface DefinitionWarning {
  kind: 'personal_data' | 'untranslated';
  /** Where, as validation paths are written: "pages[0].items[2].text". */
  path: string;
  /** The item (or matrix row, option …) the text belongs to. */
  owner?: string;
  /** personal_data: what the question asks for. */
  asks?: PersonalData;
  /** untranslated: the languages whose text is a copy (or not in that language's script). */
  langs?: Lang[];
  /** The text concerned, shortened, to recognise it in a list. */
  excerpt: string;
}

// Words that ask for something that names a person, in the three languages (and the usual spellings).
const PERSONAL: [PersonalData, RegExp][] = [
  ['email', /e-?mail|электрон\S*\s+(почт|пошт)|эл\.\s*(почт|пошт)|\bпочт\S*\s+адрес|email/i],
  ['phone', /phone|телефон|ұялы\s+байланыс|whatsapp|telegram/i],
  ['name', /\b(your|full|first|last|family)\s+name\b|\bname\s+and\s+surname\b|фамили|имя\s+и\s+отчеств|\bфио\b|\bаты[-\s]жөн|тегіңіз|есіміңіз|ваше\s+имя|как\s+вас\s+зовут/i],
  ['id_number', /\b(иин|жсн|iin)\b|student\s+(id|number)|номер\s+(студенческ|зач[её]тн)|студенттік\s+билет|passport|паспорт/i],
  ['address', /home\s+address|домашн\S*\s+адрес|тұратын\s+мекен/i],
  ['birth_date', /date\s+of\s+birth|дат\S*\s+рождени|туған\s+(күн|жыл)/i],
];

/** What a free-answer question asks for, when it is personal data (choice questions are not asked for it). */
export function personalDataAsked(item: Item): PersonalData | undefined {
  if (item.type !== 'text' && item.type !== 'number') return undefined;
  const text = `${item.text.kk} ${item.text.ru} ${item.text.en} ${item.help ? `${item.help.kk} ${item.help.ru} ${item.help.en}` : ''}`;
  return PERSONAL.find(([, pattern]) => pattern.test(text))?.[0];
}

const CYRILLIC = /[\u0400-\u04ff]/g;
const LATIN = /[a-z]/gi;
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;
const words = (text: string) => text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The languages of one text that look untranslated: the same words as another language's (two words or
 * more — a single shared term such as "Информатика" is both Kazakh and Russian), a kk or ru text in Latin
 * letters only, or an en text in Cyrillic only.
 */
export function untranslatedLanguages(text: Record<Lang, string>): Lang[] {
  const out = new Set<Lang>();
  const pairs: [Lang, Lang][] = [['kk', 'ru'], ['kk', 'en'], ['ru', 'en']];
  for (const [a, b] of pairs) {
    if (same(text[a], text[b]) && words(text[a]) >= 2) {
      // The copy is the one not in its own script; when both could be (kk and ru), name both.
      if (b === 'en' && count(text[a], CYRILLIC) === 0) out.add(a);
      else if (b === 'en') out.add('en');
      else {
        out.add(a);
        out.add(b);
      }
    }
  }
  for (const lang of ['kk', 'ru'] as const) if (count(text[lang], CYRILLIC) === 0 && count(text[lang], LATIN) >= 4 && words(text[lang]) >= 2) out.add(lang);
  if (count(text.en, LATIN) === 0 && count(text.en, CYRILLIC) >= 4) out.add('en');
  return (['kk', 'ru', 'en'] as const).filter((l) => out.has(l));
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/** Every warning of a definition (which may itself be invalid: the builder asks while you edit). */
export function definitionWarnings(definition: unknown): DefinitionWarning[] {
  const warnings: DefinitionWarning[] = [];
  const pages = (definition as { pages?: unknown }).pages;
  if (Array.isArray(pages)) {
    pages.forEach((page: { items?: unknown }, p) => {
      if (!Array.isArray(page?.items)) return;
      page.items.forEach((item: Item, i) => {
        if (!item || typeof item !== 'object' || !item.text || typeof item.text !== 'object') return;
        const asks = personalDataAsked(item);
        if (asks) warnings.push({ kind: 'personal_data', path: `pages[${p}].items[${i}]`, owner: item.id, asks, excerpt: excerpt(item.text.en ?? '') });
      });
    });
  }
  for (const row of localizedTexts(definition)) {
    const langs = untranslatedLanguages(row);
    if (langs.length) warnings.push({ kind: 'untranslated', path: row.path, ...(row.owner ? { owner: row.owner } : {}), langs, excerpt: excerpt(row.en || row.ru || row.kk) });
  }
  return warnings;
}
