// Which groups lag behind in responding, so whoever runs the campaign knows where to go and remind. A group
// lags when its response rate is below LAG_SHARE of the rate of its nearest ancestor whose rate is shown
// (a cohort against its programme, a programme against its faculty, a faculty against the university).
// Only gated values are read: a group hidden as "fewer than k" is called lagging only when even k − 1
// responses would lag, which follows from k, its target and the ancestor's rate — all of them already shown.
import type { HiddenReason } from './suppression.js';

/** A group lags below this share of its surroundings' rate. */
export const LAG_SHARE = 0.75;

interface RatedUnit {
  key: string;
  parent?: string;
  n: number | null;
  reason?: HiddenReason;
  target?: number;
  rate?: number | null;
}

/** The keys of the groups that lag behind their nearest rated ancestor. */
export function laggingUnits(units: readonly RatedUnit[], k: number): Set<string> {
  const byKey = new Map(units.map((u) => [u.key, u]));
  const referenceOf = (unit: RatedUnit): number | undefined => {
    for (let p = unit.parent; p; p = byKey.get(p)?.parent) {
      const rate = byKey.get(p)?.rate;
      if (typeof rate === 'number') return rate;
    }
    return undefined;
  };
  const lagging = new Set<string>();
  for (const unit of units) {
    if (!unit.target) continue;
    const reference = referenceOf(unit);
    if (reference === undefined || reference <= 0) continue;
    const bar = LAG_SHARE * reference;
    if (typeof unit.rate === 'number') {
      if (unit.rate < bar) lagging.add(unit.key);
    } else if (unit.reason === 'small' && (k - 1) / unit.target < bar) {
      lagging.add(unit.key);
    }
  }
  return lagging;
}
