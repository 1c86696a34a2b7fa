// What the respondent templates get: the step page (the items of an instrument page to show, given the
// answers so far, or the "about you" choices), progress, navigation and errors, in the respondent's language.
import { referencedItems, type Definition, type Item } from '../instruments/schema.js';
import { onlyIfHint } from '../instruments/condition-text.js';
import { itemView } from '../instruments/item-view.js';
import { LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import type { StoredAnswers } from '../responses/answers.js';
import type { AnswerError } from './answers.js';
import type { DraftDoc } from './drafts.js';
import type { Entry } from './entry.js';
import { needsAboutStep, offeredOnPage, pageAnswerIds, stepNumber, stepsFor, type Step } from './flow.js';

const pick = (text: { kk: string; ru: string; en: string } | undefined, lang: Lang) => (text ? text[lang] : undefined);

/** The items of a page to render: those visible given earlier answers, plus same-page conditionals
 *  (the browser shows or hides those; the server drops their answers if they end up hidden). */
export function pageView(def: Definition, page: number, answers: StoredAnswers, errors: AnswerError[], lang: Lang) {
  const p = def.pages[page]!;
  const items = p.items.filter((item) => offeredOnPage(def, page, item, answers));
  const onPage = pageAnswerIds(def, page);
  // A follow-up that depends on an answer on this page is always sent; the browser hides it until the answer
  // calls for it. Without JavaScript it stays in view, so it says when to answer it.
  const onlyIf = (item: Item) => (item.showIf && referencedItems(item.showIf).some((id) => onPage.has(id)) ? onlyIfHint(def, item.showIf, lang) : undefined);
  return { title: p.title[lang], intro: pick(p.intro, lang), items: items.map((item) => ({ ...itemView(item, answers, errors, lang), onlyIf: onlyIf(item) })) };
}

/** What every respondent page shows of the survey (never the token or the campaign's internals). */
export const publicEntry = (entry: Entry) => ({ base: entry.base, title: entry.definition.title, description: entry.definition.description, minutes: entry.definition.estimatedMinutes, afterword: entry.definition.afterword, campaignTitle: entry.campaign.title });

/**
 * The "about you" choices. Years of entry come grouped by programme; once a programme is known (chosen
 * before, or sent with a year of another programme) only its years are offered — so without JavaScript,
 * too, the year list is that programme's (the script filters it live as the programme changes).
 */
function aboutView(entry: Entry, draft: DraftDoc, lang: Lang, errors: AnswerError[]) {
  const { programmes, cohorts, disciplines, fixed } = entry.choice;
  const selected = draft.segment;
  const programmeLabel = (id: string) => {
    const p = programmes.find((x) => x.id === id);
    return p ? `${p.code} — ${p.name[lang]}` : '';
  };
  const known = fixed.programme ?? selected.programme;
  const groups = programmes
    .filter((p) => !known || p.id === known)
    .map((p) => ({
      programme: p.id,
      label: programmeLabel(p.id),
      cohorts: cohorts.filter((c) => c.programme === p.id).map((c) => ({ value: c.id, programme: c.programme, label: `${p.code} · ${c.label || c.entryYear}`, selected: selected.cohort === c.id })),
    }))
    .filter((g) => g.cohorts.length > 0);
  const aboutError = errors.find((e) => e.item === 'about');
  return {
    error: aboutError
      ? aboutError.code === 'cohort_mismatch' && known
        ? translate(lang, 'respond.about.mismatch', { programme: programmeLabel(known) })
        : translate(lang, 'respond.about.error')
      : undefined,
    programmes: fixed.programme ? [] : programmes.map((p) => ({ value: p.id, label: programmeLabel(p.id), selected: selected.programme === p.id })),
    cohorts: fixed.cohort ? [] : groups,
    disciplines: fixed.discipline ? [] : disciplines.map((d) => ({ value: d.id, label: `${d.code} — ${d.name[lang]}`, selected: selected.discipline === d.id })),
  };
}

export function stepPageModel(entry: Entry, draft: DraftDoc, step: Step, lang: Lang, errors: AnswerError[]) {
  const steps = stepsFor(entry.definition, needsAboutStep(entry.choice), draft.answers);
  const index = Math.max(0, steps.findIndex((s) => stepNumber(s) === stepNumber(step)));
  const isLast = index === steps.length - 1;
  const page = step.kind === 'page' ? pageView(entry.definition, step.page, draft.answers, errors, lang) : undefined;
  const errorCount = errors.length;
  return {
    respondent: true,
    inFormLanguage: true,
    lang,
    title: entry.definition.title[lang],
    entry: publicEntry(entry),
    action: `${entry.base}/step/${stepNumber(step)}`,
    about: step.kind === 'about' ? aboutView(entry, draft, lang, errors) : undefined,
    page,
    errorCount,
    progress: { current: index + 1, total: steps.length, value: index, max: steps.length },
    isFirst: index === 0,
    isLast,
    sid: draft.submissionId,
    /** Answers from other pages, for showIf rules evaluated in the browser. */
    known: JSON.stringify(step.kind === 'page' ? Object.fromEntries(Object.entries(draft.answers).filter(([k]) => !pageAnswerIds(entry.definition, step.page).has(k))) : {}),
    scripts: ['/static/js/respond.js'],
    languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], current: code === lang })),
  };
}
