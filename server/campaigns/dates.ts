// Campaign dates as a university reads them: days in the university's time zone (server/lib/dates.ts,
// TIME_ZONE) and academic years from September to August ("2025-2026").
import { z } from 'zod';
import { localDay } from '../lib/dates.js';
import { namedSchema } from '../lib/openapi.js';

export { endOfDay, localDay, startOfDay } from '../lib/dates.js';

export const ACADEMIC_YEAR = /^(\d{4})-(\d{4})$/;

/** "2025-10" for the university's calendar month of an instant. */
export function localMonth(at: Date): string {
  return localDay(at).slice(0, 7);
}

/** The academic year an instant falls in: September starts a new one. */
export function academicYearOf(at: Date): string {
  const [y, m] = localMonth(at).split('-').map(Number) as [number, number];
  const start = m >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

export function isAcademicYear(value: string): boolean {
  const m = ACADEMIC_YEAR.exec(value);
  return Boolean(m && Number(m[2]) === Number(m[1]) + 1);
}

/**
 * An academic year on the API: "1990-1991" … "2099-2100". A list rather than a pattern, so the OpenAPI
 * document states the rule the server applies (the second year follows the first).
 */
export const ACADEMIC_YEARS = Array.from({ length: 110 }, (_, i) => `${1990 + i}-${1991 + i}`) as [string, ...string[]];
export const academicYearSchema = namedSchema('AcademicYear', z.enum(ACADEMIC_YEARS, { message: 'must be an academic year such as 2025-2026' }));

/** The twelve months of an academic year, "2025-09" … "2026-08". */
export function monthsOf(year: string): string[] {
  const start = Number(year.slice(0, 4));
  return Array.from({ length: 12 }, (_, i) => {
    const m = ((8 + i) % 12) + 1;
    return `${i < 4 ? start : start + 1}-${String(m).padStart(2, '0')}`;
  });
}

/** The years a selector offers: two back, two ahead of `around`, and any year that has campaigns. */
export function yearChoices(around: string, extra: Iterable<string> = []): string[] {
  const start = Number(around.slice(0, 4));
  const years = new Set(Array.from({ length: 5 }, (_, i) => `${start - 2 + i}-${start - 1 + i}`));
  for (const y of extra) if (isAcademicYear(y)) years.add(y);
  return [...years].sort();
}
