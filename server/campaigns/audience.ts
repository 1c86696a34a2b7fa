// A campaign's audience in terms of the university's structure: which faculties and programmes it
// touches (for scope), and which units a respondent of an open link chooses from (their segment).
import type { LocalizedText } from '../instruments/schema.js';
import type { Segment } from '../responses/segment.js';
import type { AudienceKind } from './model.js';
import { orgView } from './org-view.js';

export interface OrgView {
  faculties: { id: string; name: LocalizedText }[];
  programmes: { id: string; faculty: string; code: string; name: LocalizedText }[];
  cohorts: { id: string; programme: string; entryYear: number; label: string; size: number }[];
  disciplines: { id: string; programmes: string[]; code: string; name: LocalizedText }[];
}

interface Audience {
  kind: AudienceKind;
  ids: string[];
}

/** Faculties and programmes the audience belongs to. University-wide campaigns list all faculties. */
export function deriveScope(audience: Audience, org: OrgView): { faculties: string[]; programmes: string[] } {
  const programmeIds = new Set<string>();
  switch (audience.kind) {
    case 'university':
    case 'contacts':
      if (audience.kind === 'contacts' && audience.ids.length) for (const id of audience.ids) programmeIds.add(id);
      else for (const p of org.programmes) programmeIds.add(p.id);
      break;
    case 'faculty':
      for (const p of org.programmes) if (audience.ids.includes(p.faculty)) programmeIds.add(p.id);
      break;
    case 'programme':
      for (const id of audience.ids) programmeIds.add(id);
      break;
    case 'cohort':
      for (const c of org.cohorts) if (audience.ids.includes(c.id)) programmeIds.add(c.programme);
      break;
    case 'discipline':
      for (const d of org.disciplines) if (audience.ids.includes(d.id)) for (const p of d.programmes) programmeIds.add(p);
      break;
  }
  const programmes = org.programmes.filter((p) => programmeIds.has(p.id));
  const faculties = [...new Set([...programmes.map((p) => p.faculty), ...(audience.kind === 'faculty' ? audience.ids : [])])];
  return { faculties: faculties.sort(), programmes: programmes.map((p) => p.id).sort() };
}

export async function audienceScope(audience: Audience): Promise<{ faculties: string[]; programmes: string[] }> {
  return deriveScope(audience, await orgView());
}

export interface SegmentChoice {
  programmes: OrgView['programmes'];
  cohorts: OrgView['cohorts'];
  disciplines: OrgView['disciplines'];
  /** The part of the segment fixed by the campaign (e.g. a single programme or discipline). */
  fixed: Segment;
}

/** What a respondent of this campaign chooses on the "about you" step, and what is fixed. */
export function segmentChoice(audience: Audience, scope: { programmes: string[] }, org: OrgView): SegmentChoice {
  const programmes = org.programmes.filter((p) => scope.programmes.includes(p.id));
  const fixed: Segment = {};
  if (programmes.length === 1) Object.assign(fixed, { programme: programmes[0]!.id, faculty: programmes[0]!.faculty });
  let cohorts = org.cohorts.filter((c) => scope.programmes.includes(c.programme));
  if (audience.kind === 'cohort') cohorts = cohorts.filter((c) => audience.ids.includes(c.id));
  if (cohorts.length === 1) fixed.cohort = cohorts[0]!.id;
  const disciplines = audience.kind === 'discipline' ? org.disciplines.filter((d) => audience.ids.includes(d.id)) : [];
  if (disciplines.length === 1) fixed.discipline = disciplines[0]!.id;
  return { programmes, cohorts, disciplines, fixed };
}

/** Checks a respondent's chosen segment against the campaign and fills faculty from the programme. */
export function resolveSegment(chosen: Segment, choice: SegmentChoice): Segment | null {
  const segment: Segment = { ...chosen, ...choice.fixed };
  const programme = choice.programmes.find((p) => p.id === segment.programme);
  if (choice.programmes.length && !programme) return null;
  if (programme) segment.faculty = programme.faculty;
  if (segment.cohort !== undefined) {
    const cohort = choice.cohorts.find((c) => c.id === segment.cohort);
    if (!cohort || cohort.programme !== segment.programme) return null;
  } else if (choice.cohorts.some((c) => c.programme === segment.programme)) return null;
  if (choice.disciplines.length) {
    if (!choice.disciplines.some((d) => d.id === segment.discipline)) return null;
  } else delete segment.discipline;
  return segment;
}
