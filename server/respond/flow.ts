// The steps of a respondent's way through a campaign: an optional "about you" step (their programme
// and cohort) followed by the instrument's pages that have at least one item to show.
import { referencedItems, type Definition, type Item } from '../instruments/schema.js';
import { isVisible, type Answers } from '../instruments/conditions.js';
import type { SegmentChoice } from '../campaigns/audience.js';
import type { StoredAnswers } from '../responses/answers.js';

export type Step = { kind: 'about' } | { kind: 'page'; page: number };

export function needsAboutStep(choice: SegmentChoice): boolean {
  const cohortChoice = choice.cohorts.length > 1 || (choice.cohorts.length === 1 && !choice.fixed.cohort);
  return (choice.programmes.length > 1 && !choice.fixed.programme) || cohortChoice || (choice.disciplines.length > 1 && !choice.fixed.discipline);
}

/** The answer ids of a page's items (matrix rows included). */
export function pageAnswerIds(def: Definition, page: number): Set<string> {
  return new Set(def.pages[page]!.items.flatMap((i) => (i.type === 'matrix' ? [i.id, ...i.rows.map((r) => r.id)] : [i.id])));
}

/** An item on `page` is offered when its condition holds on earlier answers, or depends on the same
 *  page (then the browser shows or hides it live, and the server drops its answer if it ends up hidden). */
export function offeredOnPage(def: Definition, page: number, item: Item, answers: StoredAnswers): boolean {
  if (!item.showIf) return true;
  const ids = pageAnswerIds(def, page);
  if (referencedItems(item.showIf).some((id) => ids.has(id))) return true;
  const earlier = Object.fromEntries(Object.entries(answers).filter(([k]) => !ids.has(k))) as Answers;
  return isVisible(item, earlier);
}

/** Pages whose items are all hidden by answers on earlier pages are skipped. */
export function pageShown(def: Definition, page: number, answers: StoredAnswers): boolean {
  return def.pages[page]!.items.some((item) => offeredOnPage(def, page, item, answers));
}

export function stepsFor(def: Definition, withAbout: boolean, answers: StoredAnswers): Step[] {
  const steps: Step[] = withAbout ? [{ kind: 'about' }] : [];
  def.pages.forEach((_, page) => {
    if (pageShown(def, page, answers)) steps.push({ kind: 'page', page });
  });
  return steps;
}

/** Step numbers in URLs: 0 is "about you", 1..n are instrument pages (page index + 1). */
export const stepNumber = (step: Step) => (step.kind === 'about' ? 0 : step.page + 1);
export const stepFromNumber = (n: number): Step => (n === 0 ? { kind: 'about' } : { kind: 'page', page: n - 1 });
