// What the editor page renders: the JSON definition with its problems listed by path, and the texts of the
// definition in kk/ru/en side by side for translators (with the problems of each text next to it).
import { LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { problemView, type Problem, type ProblemView } from './problems.js';
import type { UnmappedEntry } from './surveyjs.js';
import { definitionProblems } from './validate.js';
import { definitionWarnings, type DefinitionWarning } from './warnings.js';
import { localizedTexts, type TextRow } from './texts.js';

/** A small valid instrument to start from, in the three languages. */
export const STARTER_DEFINITION = {
  id: 'new-survey',
  title: { kk: 'Жаңа сауалнама', ru: 'Новый опрос', en: 'New survey' },
  description: {
    kk: 'Сауалнама жасырын. Кез келген сұрақты өткізіп жіберуге болады.',
    ru: 'Опрос анонимный. Любой вопрос можно пропустить.',
    en: 'The survey is anonymous. You can skip any question.',
  },
  audience: 'student',
  estimatedMinutes: 5,
  scales: [],
  pages: [
    {
      id: 'main',
      title: { kk: 'Негізгі сұрақтар', ru: 'Основные вопросы', en: 'Main questions' },
      items: [
        {
          id: 'overall',
          type: 'likert',
          required: true,
          text: { kk: 'Жалпы алғанда мен қанағаттанамын.', ru: 'В целом я удовлетворён.', en: 'Overall, I am satisfied.' },
        },
        {
          id: 'comment',
          type: 'text',
          long: true,
          text: { kk: 'Нені жақсартуға болады?', ru: 'Что можно улучшить?', en: 'What could be improved?' },
        },
      ],
    },
  ],
};

interface TextField {
  name: string;
  id: string;
  lang: Lang;
  label: string;
  value: string;
  error?: string;
}

export interface TextRowView {
  label: string;
  owner?: string;
  long: boolean;
  error?: string;
  fields: TextField[];
}


/** "pages[0].items[2].text.kk" → "t.pages.0.items.2.text" and "kk". */
function fieldOfPath(path: string): { field: string; lang?: Lang } {
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  const m = /^(.*)\.(kk|ru|en)$/.exec(dotted);
  return m ? { field: `t.${m[1]}`, lang: m[2] as Lang } : { field: `t.${dotted}` };
}

function rowLabel(row: TextRow, lang: Lang): string {
  const prop = translate(lang, `instruments.texts.prop.${row.prop}`);
  return row.position ? `${prop} ${row.position}` : prop;
}

/** The translators' table, grouped by instrument-level texts and then page by page. */
export function textSections(definition: unknown, problems: Problem[], lang: Lang) {
  const byField = new Map<string, ProblemView & { lang?: Lang }>();
  for (const p of problems) {
    const { field, lang: l } = fieldOfPath(p.path);
    const key = l ? `${field}.${l}` : field;
    if (!byField.has(key)) byField.set(key, { ...problemView(p, lang), lang: l });
  }
  const rows = localizedTexts(definition);
  const pages = (definition as { pages?: { title?: Record<Lang, string> }[] }).pages ?? [];
  const sections: { heading: string; rows: TextRowView[] }[] = [];
  let index = 0;
  for (const row of rows) {
    const heading = row.page === null ? translate(lang, 'instruments.texts.general') : translate(lang, 'instruments.texts.page', { n: row.page + 1, title: pages[row.page]?.title?.[lang] ?? '' });
    if (sections[sections.length - 1]?.heading !== heading) sections.push({ heading, rows: [] });
    index++;
    sections[sections.length - 1]!.rows.push({
      label: rowLabel(row, lang),
      owner: row.owner,
      long: row.long,
      error: byField.get(row.field)?.text,
      fields: LANGUAGES.map((l) => ({ name: `${row.field}.${l}`, id: `tx-${index}-${l}`, lang: l, value: row[l], label: LANGUAGE_NAMES[l], error: byField.get(`${row.field}.${l}`)?.text })),
    });
  }
  return sections;
}

export interface UnmappedView {
  where: string;
  text: string;
}

/** The import report in the page language. */
export function unmappedViews(entries: UnmappedEntry[], lang: Lang): UnmappedView[] {
  return entries.map((e) => ({
    where: e.at,
    text: translate(lang, `instruments.unmapped.${e.kind}`, { name: e.name, detail: e.detail ?? '', langs: (e.langs ?? []).join(', '), from: e.from ?? '' }),
  }));
}

export interface WarningView {
  kind: DefinitionWarning['kind'];
  path: string;
  owner?: string;
  text: string;
  excerpt: string;
}

/** Warnings in the page language: what a question asks for, or which languages are copies. */
export function warningViews(warnings: DefinitionWarning[], lang: Lang): WarningView[] {
  return warnings.map((w) => ({
    kind: w.kind,
    path: w.path,
    ...(w.owner ? { owner: w.owner } : {}),
    excerpt: w.excerpt,
    text:
      w.kind === 'personal_data'
        ? translate(lang, 'instruments.warnings.personal', { what: translate(lang, `instruments.warnings.asks.${w.asks}`) })
        : translate(lang, 'instruments.warnings.untranslated', { langs: (w.langs ?? []).map((l) => LANGUAGE_NAMES[l]).join(', ') }),
  }));
}

/** The builder's check: a candidate's problems (each by path, also in the page language) and its warnings. */
export function checkDefinition(definition: unknown, lang: Lang) {
  let problems: Problem[];
  try {
    problems = definitionProblems(definition).slice(0, 200);
  } catch (err) {
    // Nested deeper than the stack allows (only a hostile body is): one problem, not a server error.
    if (!(err instanceof RangeError)) throw err;
    problems = [{ path: '', message: 'nested too deeply' }];
  }
  return {
    problems: problems.map((p) => ({ ...p, text: problemView(p, lang).text })),
    warnings: warningViews(definitionWarnings(definition), lang),
  };
}
