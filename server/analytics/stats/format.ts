// Display rounding of the statistics (see the table in index.ts): decimal half-away-from-zero rounding and locale formatting.

/** Shown for a figure that does not exist (null: n = 0, n < 2, zero variance …). */
export const MISSING = '—';

/**
 * Round x to `digits` decimals, half away from zero, on the shortest decimal form of x (so 1.005 → 1.01 and
 * 0.0455 → 0.046, unlike Math.round(x·100)/100 or toFixed, which see the binary value 1.00499…).
 */
export function roundTo(x: number, digits: number): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) throw new RangeError(`digits must be a whole number 0..15 (got ${digits})`);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e15) return x; // no fractional digits left to round at that size
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  const shifted = Math.round(Number(`${mantissa}e${Number(exponent) + digits}`));
  const rounded = Number(`${shifted}e-${digits}`);
  return rounded === 0 ? 0 : Math.sign(x) * rounded;
}

function formatFixed(x: number, digits: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(roundTo(x, digits));
}

/** A share on 0..1 as a percentage with 1 decimal and the locale's percent sign: 0.4532 → "45.3%" (ru: "45,3 %"). */
export function formatPercent(share: number | null, locale = 'en'): string {
  if (share === null || !Number.isFinite(share)) return MISSING;
  const value = roundTo(share * 100, 1);
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }).format(value / 100);
}

/** A figure already on a percentage-point scale (NPS, −100..100) to 1 decimal: 12.345 → "12.3". */
export function formatPoints(value: number | null, locale = 'en'): string {
  return value === null || !Number.isFinite(value) ? MISSING : formatFixed(value, 1, locale);
}

/** A mean, SD, SE or mean interval bound to 2 decimals: 3.456 → "3.46". */
export function formatMean(value: number | null, locale = 'en'): string {
  return value === null || !Number.isFinite(value) ? MISSING : formatFixed(value, 2, locale);
}

/** A test statistic, alpha or effect size to 2 decimals (same rule as means). */
export const formatStatistic = formatMean;

/** A p-value to 3 decimals, or "< 0.001" below 0.001: 0.04549 → "0.045", 0.0004 → "< 0.001". */
export function formatP(p: number | null, locale = 'en'): string {
  if (p === null || !Number.isFinite(p)) return MISSING;
  if (p < 0.001) return `< ${formatFixed(0.001, 3, locale)}`;
  return formatFixed(p, 3, locale);
}
