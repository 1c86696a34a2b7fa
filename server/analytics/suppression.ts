// THE suppression gate. Every figure that leaves analytics (pages, API, sockets, exports) passes here.
// Primary: a unit with fewer than k responses is hidden (its n too: "fewer than k").
// Complementary: among the children of a visible parent, if the hidden children together hold fewer
// than k responses, more children (smallest first) are hidden until they hold at least k — otherwise
// "parent minus the visible children" would reveal a small group.
// Parts of a hidden unit are hidden too: a programme hidden only to protect a small sibling would
// otherwise be rebuilt as the sum of its visible cohorts, and the faculty minus that sum is the small one.
// The same gate runs per item on the numbers who answered it (service.ts), so an item's figures cannot be
// differenced either; sensitive items are forced hidden below faculty level before it runs.

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

/** An item's figures inside a visible unit are shown only if at least k answered it. */
export function itemVisible(answered: number, k: number): boolean {
  return answered >= k;
}
