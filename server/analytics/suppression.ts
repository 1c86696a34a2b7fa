// THE suppression gate. Every figure that leaves analytics (pages, API, sockets, exports, reports) passes
// here: the unit gate (hiddenUnits), then one gate per kind of figure — items, scale indices, comments —
// and the publication rule for public summaries.
// Primary: a unit with fewer than k responses is hidden (its n too: "fewer than k").
// Complementary: among the children of a visible parent, if the hidden children together hold fewer
// than k responses, more children (smallest first) are hidden until they hold at least k — otherwise
// "parent minus the visible children" would reveal a small group.
// Parts of a hidden unit are hidden too: a programme hidden only to protect a small sibling would
// otherwise be rebuilt as the sum of its visible cohorts, and the faculty minus that sum is the small one.
// The same gate runs per item on the numbers who answered it (gateItem), so an item's figures cannot be
// differenced either; sensitive items are forced hidden below faculty level before it runs.
import type { Level } from '../responses/segment.js';

export interface GateUnit {
  key: string;
  /** Key of the unit this one is a part of (a programme's faculty, a cohort's programme). */
  parent?: string;
  n: number;
}

/** Returns the keys of the units to hide; `forced` are hidden whatever their n (and so are their parts). */
export function hiddenUnits(units: GateUnit[], k: number, forced: Iterable<string> = []): Set<string> {
  const hidden = new Set([...units.filter((u) => u.n > 0 && u.n < k).map((u) => u.key), ...forced]);
  const children = new Map<string, GateUnit[]>();
  for (const u of units) if (u.parent) children.set(u.parent, [...(children.get(u.parent) ?? []), u]);
  // Repeat until stable: hiding a child can make its own parent's children need another pass.
  for (let changed = true; changed; ) {
    changed = false;
    for (const u of units) {
      if (u.parent && hidden.has(u.parent) && !hidden.has(u.key)) {
        hidden.add(u.key);
        changed = true;
      }
    }
    for (const [parent, kids] of children) {
      const parentUnit = units.find((u) => u.key === parent);
      if (parentUnit && hidden.has(parent)) continue;
      const answered = kids.filter((c) => c.n > 0);
      const hiddenKids = answered.filter((c) => hidden.has(c.key));
      // What "parent minus visible children" reveals: the hidden children plus responses with no child unit.
      const unassigned = parentUnit ? Math.max(0, parentUnit.n - answered.reduce((s, c) => s + c.n, 0)) : 0;
      let hiddenSum = hiddenKids.reduce((s, c) => s + c.n, 0) + unassigned;
      if (hiddenSum === 0) continue;
      const candidates = answered.filter((c) => !hidden.has(c.key)).sort((a, b) => a.n - b.n);
      while (hiddenSum < k && candidates.length) {
        const next = candidates.shift()!;
        hidden.add(next.key);
        hiddenSum += next.n;
        changed = true;
      }
      if (hiddenSum < k && parentUnit && !hidden.has(parent) && parentUnit.parent) {
        // Every child is hidden and still fewer than k: the parent would reveal them; hide it as well.
        hidden.add(parent);
        changed = true;
      }
    }
  }
  return hidden;
}

/** Why a group's figure is not shown, in words the dashboards translate. */
export type HiddenReason =
  /** fewer than k responses */
  | 'small'
  /** k or more, hidden so that subtracting it from its parent does not reveal a smaller group */
  | 'protects'
  /** a sensitive (integrity) question below faculty level */
  | 'sensitive'
  /** the campaign shows counts only while it is open */
  | 'counts-only'
  /** a level above the viewer's scope whose difference from the viewer's units would be one group outside it */
  | 'scope'
  /** public summaries: the group's response rate is below 50 % */
  | 'low-rate';

/** The reason a gate gives for hiding a figure resting on n responses. */
export const hiddenReason = (n: number, k: number): HiddenReason => (n < k ? 'small' : 'protects');

/** An item's figures inside a visible unit are shown only if at least k answered it. */
export function itemVisible(answered: number, k: number): boolean {
  return answered >= k;
}

/** A unit of a campaign's tree as the gate sees it. */
export interface TreeUnit {
  key: string;
  parent?: string;
  level: Level;
}

/** Sensitive (integrity) figures are shown only at these levels: below them a group is too easy to name. */
const SENSITIVE_LEVELS: ReadonlySet<Level> = new Set(['university', 'faculty']);
export const belowFaculty = (unit: TreeUnit): boolean => !SENSITIVE_LEVELS.has(unit.level);

/** The unit gate over a campaign's whole tree (never a viewer's part of it, so scopes cannot be combined). */
export function gateUnits(units: readonly TreeUnit[], n: (key: string) => number, k: number, forced: Iterable<string> = []): Set<string> {
  return hiddenUnits(
    units.map((u) => ({ key: u.key, parent: u.parent, n: n(u.key) })),
    k,
    forced,
  );
}

/** A figure's own gate, on the numbers it rests on: hidden where its unit is, below faculty when sensitive. */
function gateFigure(units: readonly TreeUnit[], hidden: ReadonlySet<string>, n: (key: string) => number, k: number, sensitive: boolean): (key: string) => boolean {
  const forced = sensitive ? [...hidden, ...units.filter(belowFaculty).map((u) => u.key)] : hidden;
  const hiddenHere = gateUnits(units, n, k, forced);
  return (key) => !hiddenHere.has(key) && itemVisible(n(key), k);
}

export interface FigureGateInput {
  /** The campaign's whole tree. */
  units: readonly TreeUnit[];
  /** Units hidden by the unit gate. */
  hidden: ReadonlySet<string>;
  k: number;
  sensitive: boolean;
}

/** An item's figures per unit: visible only if at least k answered it and no subtraction reveals fewer. */
export function gateItem(input: FigureGateInput & { answered: (key: string) => number }): (key: string) => boolean {
  return gateFigure(input.units, input.hidden, input.answered, input.k, input.sensitive);
}

/**
 * A scale's index per unit, gated like an item on the respondents it rests on; its Cronbach's alpha rests
 * on those who answered every item of the scale and is shown only when they are k or more.
 */
export function gateScale(input: FigureGateInput & { indexN: (key: string) => number; alphaN: (key: string) => number }): (key: string) => { index: boolean; alpha: boolean } {
  const visible = gateFigure(input.units, input.hidden, input.indexN, input.k, input.sensitive);
  return (key) => {
    const index = visible(key);
    return { index, alpha: index && input.alphaN(key) >= input.k };
  };
}

/**
 * A unit's open comments: only for a visible unit with at least k respondents, and answers to sensitive
 * text items only at faculty level and above.
 */
export function gateComments(input: { unit: TreeUnit; hidden: ReadonlySet<string>; respondents: number; k: number }): { shown: boolean; sensitiveShown: boolean } {
  const shown = !input.hidden.has(input.unit.key) && input.respondents >= input.k;
  return { shown, sensitiveShown: shown && !belowFaculty(input.unit) };
}

/** Public summaries withhold a group whose response rate is known and below this (the UK NSS rule). */
export const MIN_PUBLISHED_RATE = 0.5;

/** The publication rule: groups whose figures may not speak for the group (known rate below 50 %). */
export function withheldForPublication(units: readonly { key: string; suppressed: boolean; rate?: number | null }[]): Set<string> {
  return new Set(units.filter((u) => !u.suppressed && u.rate != null && u.rate < MIN_PUBLISHED_RATE).map((u) => u.key));
}
