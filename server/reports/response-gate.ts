// The gate of the response-level export, through the suppression functions every figure passes
// (suppression.ts). Pure: unit counts in, what each row may show out.
//
// A row is labelled with the deepest unit of its path that the unit gate shows (gateUnits, with every unit
// below faculty forced hidden when the instrument has sensitive questions, as their figures are). The rows
// labelled L — L's own responses and those of its hidden parts — are then exactly "L minus its shown
// parts", a group the gate already keeps at k or more (or empty). An answer to item X is shown in those
// rows only when the dashboard could already tell their figures for X: L's X is shown there (gateItem, the
// dashboard's own item gate) and so is X in each of L's shown parts. So the rows tell nothing the
// dashboard does not, and nothing about fewer than k people that it hides (THREATS.md A2).
import type { TreeUnit } from '../analytics/suppression.js';
import { belowFaculty, gateItem, gateUnits } from '../analytics/suppression.js';

export interface ResponseGateInput {
  units: readonly TreeUnit[];
  /** Responses per unit key (the unit and everything under it). */
  n: (unit: string) => number;
  /** Items: id, sensitive, and how many answered it per unit key (as the item's figure counts its n). */
  items: readonly { id: string; sensitive: boolean; answered: (unit: string) => number }[];
  k: number;
}

export interface ResponseGate {
  /** The unit a row whose path is `path` (university first) is labelled with, or undefined: the row is left out. */
  labelOf(path: readonly string[]): string | undefined;
  /** Items whose answers rows labelled `unit` show. */
  shownItems(unit: string): ReadonlySet<string>;
}

export function responseGate(input: ResponseGateInput): ResponseGate {
  const { units, n, items, k } = input;
  const dashboardHidden = gateUnits(units, n, k);
  const sensitiveInstrument = items.some((i) => i.sensitive);
  const labelHidden = gateUnits(units, n, k, sensitiveInstrument ? units.filter(belowFaculty).map((u) => u.key) : []);
  const shownParts = new Map<string, string[]>();
  for (const u of units) if (u.parent && !labelHidden.has(u.key) && n(u.key) > 0) shownParts.set(u.parent, [...(shownParts.get(u.parent) ?? []), u.key]);
  const shown = new Map<string, Set<string>>(units.map((u) => [u.key, new Set<string>()]));
  for (const item of items) {
    const visible = gateItem({ units, hidden: dashboardHidden, k, sensitive: item.sensitive, answered: item.answered });
    for (const u of units) {
      if (labelHidden.has(u.key) || !visible(u.key)) continue;
      if ((shownParts.get(u.key) ?? []).every((part) => item.answered(part) === 0 || visible(part))) shown.get(u.key)!.add(item.id);
    }
  }
  return {
    labelOf(path) {
      let label: string | undefined;
      for (const key of path) {
        if (labelHidden.has(key)) break;
        label = key;
      }
      return label;
    },
    shownItems: (unit) => shown.get(unit) ?? new Set(),
  };
}
