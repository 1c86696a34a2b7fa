// The segment a response counts in: coarse units of the university's structure, never a person.
import { z } from 'zod';

export const segmentSchema = z.strictObject({
  faculty: z.string().max(60).optional(),
  programme: z.string().max(60).optional(),
  cohort: z.string().max(60).optional(),
  discipline: z.string().max(60).optional(),
});
export type Segment = z.infer<typeof segmentSchema>;

/** The aggregate keys a response with this segment counts in: university, then each unit it names. */
export function segmentKeys(segment: Segment): string[] {
  const keys = ['university'];
  if (segment.faculty) keys.push(`faculty~${segment.faculty}`);
  if (segment.programme) keys.push(`programme~${segment.programme}`);
  if (segment.cohort) keys.push(`cohort~${segment.cohort}`);
  if (segment.discipline) keys.push(`discipline~${segment.discipline}`);
  return keys;
}
