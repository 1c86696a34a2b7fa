// The segment a response counts in — coarse units of the university's structure, never a person — and
// THE rule that maps a segment to the units it counts in (aggregates, respondent-level figures and the
// gate all key units by it, so they cannot disagree).
import { z } from 'zod';

export const segmentSchema = z.strictObject({
  faculty: z.string().max(60).optional(),
  programme: z.string().max(60).optional(),
  cohort: z.string().max(60).optional(),
  discipline: z.string().max(60).optional(),
});
export type Segment = z.infer<typeof segmentSchema>;

export const LEVELS = ['university', 'faculty', 'programme', 'cohort', 'discipline'] as const;
export type Level = (typeof LEVELS)[number];
/** The one unit of the university level (its id inside the university aggregate). */
export const UNIVERSITY_UNIT = 'all';

/** Keys may not contain "." or start with "$" (both stores); ids are checked when they are created. */
export function safeKey(key: string): string {
  return key.replace(/[.$]/g, '_');
}

/** A unit's key across analytics: "university", or "<level>~<id>". */
export const unitKey = (level: Level, id: string): string => (level === 'university' ? 'university' : `${level}~${safeKey(id)}`);

export interface SegmentUnit {
  level: Level;
  /** The unit's id inside its level ("all" for the university). */
  id: string;
  /** unitKey(level, id) */
  key: string;
}

/** One string per distinct segment, for grouping responses by segment (their units are then worked out once). */
export const segmentKey = (s: Segment): string => JSON.stringify([s.faculty, s.programme, s.cohort, s.discipline]);

/** The units a response with this segment counts in: the university, then each unit it names. */
export function segmentUnits(segment: Segment): SegmentUnit[] {
  const units: SegmentUnit[] = [{ level: 'university', id: UNIVERSITY_UNIT, key: 'university' }];
  for (const level of ['faculty', 'programme', 'cohort', 'discipline'] as const) {
    const id = segment[level];
    if (id) units.push({ level, id: safeKey(id), key: unitKey(level, id) });
  }
  return units;
}
