// Option shares for single- and multiple-choice items, each with a Wilson interval, and tallies from raw answers.
import { wilsonInterval, type ProportionInterval } from './proportion.js';
import { assertCount } from './validate.js';

export interface ChoiceShare {
  option: string;
  count: number;
  /** count / n with its Wilson interval; null when n = 0. */
  share: ProportionInterval | null;
}

export interface ChoiceShares {
  /** Denominator: respondents who answered the item. */
  n: number;
  /** Options in the order given. */
  options: ChoiceShare[];
}

/** Option counts in display order (object key order; a Map keeps any order). */
export type OptionCounts = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

function entries(counts: OptionCounts): [string, number][] {
  const list = counts instanceof Map ? [...counts.entries()] : Object.entries(counts as Readonly<Record<string, number>>);
  for (const [option, count] of list) assertCount(`count of option "${option}"`, count);
  return list;
}

function shares(list: [string, number][], n: number, z: number): ChoiceShares {
  return { n, options: list.map(([option, count]) => ({ option, count, share: wilsonInterval(count, n, z) })) };
}

/** Single choice: each respondent picks one option, so n = Σ counts and the shares add up to 1. */
export function singleChoiceShares(counts: OptionCounts, z = 1.96): ChoiceShares {
  const list = entries(counts);
  const n = list.reduce((total, [, count]) => total + count, 0);
  return shares(list, n, z);
}

/**
 * Multiple choice: share of respondents choosing each option, n = `respondents` who answered the item
 * (chose at least one option). Shares may add up to more than 1. A count above n is rejected.
 */
export function multipleChoiceShares(counts: OptionCounts, respondents: number, z = 1.96): ChoiceShares {
  assertCount('respondents', respondents);
  const list = entries(counts);
  for (const [option, count] of list) {
    if (count > respondents) throw new RangeError(`option "${option}" was chosen ${count} times by only ${respondents} respondents`);
  }
  return shares(list, respondents, z);
}

function tallyInit(options: readonly string[] | undefined): Map<string, number> {
  return new Map((options ?? []).map((option) => [option, 0]));
}

/**
 * Tally single-choice answers (null = not answered). Options listed in `options` come first in that order,
 * with zero counts kept; options not listed follow in order of first appearance.
 */
export function tallySingleChoice(answers: readonly (string | null)[], options?: readonly string[]): Map<string, number> {
  const counts = tallyInit(options);
  for (const answer of answers) {
    if (answer === null) continue;
    counts.set(answer, (counts.get(answer) ?? 0) + 1);
  }
  return counts;
}

/**
 * Tally multiple-choice answers. null or an empty selection = not answered; an option repeated within one
 * answer counts once. Returns the counts (ordered as in tallySingleChoice) and the respondents who answered.
 */
export function tallyMultipleChoice(
  answers: readonly (readonly string[] | null)[],
  options?: readonly string[],
): { counts: Map<string, number>; respondents: number } {
  const counts = tallyInit(options);
  let respondents = 0;
  for (const answer of answers) {
    if (answer === null || answer.length === 0) continue;
    respondents++;
    for (const option of new Set(answer)) counts.set(option, (counts.get(option) ?? 0) + 1);
  }
  return { counts, respondents };
}
