// One notion of a campaign's target population. Students of a part of the structure (a student instrument,
// audience university, faculty, programme or cohort) are counted by enrolment: each cohort's size, each
// programme and faculty the sum of its cohorts, and the campaign the sum of its units — never a number typed
// by hand. Audiences without enrolment in the structure — employers and alumni by invitation (contacts),
// staff, external reviewers, course evaluations (disciplines have no enrolment here) — keep the explicit
// target the campaign states (targetSize), and their groups have none.
import { getPublishedDefinition } from '../instruments/service.js';
import type { Definition } from '../instruments/schema.js';
import type { OrgView } from './audience.js';
import type { AudienceKind, CampaignDoc } from './model.js';
import { orgView } from './org-view.js';

export type TargetFrom = 'enrolment' | 'explicit';

const ENROLLED_KINDS: readonly AudienceKind[] = ['university', 'faculty', 'programme', 'cohort'];

/** Where the campaign's target comes from: enrolment for students of a part of the structure, else stated. */
export function targetFrom(audienceKind: AudienceKind, instrumentAudience: Definition['audience']): TargetFrom {
  return instrumentAudience === 'student' && ENROLLED_KINDS.includes(audienceKind) ? 'enrolment' : 'explicit';
}

type AudienceOf = Pick<CampaignDoc, 'audience' | 'programmes' | 'faculties'>;

/** The cohorts a campaign's audience covers (its programmes' cohorts; only the chosen ones for a cohort audience). */
export function audienceCohorts(campaign: AudienceOf, org: OrgView): OrgView['cohorts'] {
  const chosen = campaign.audience.kind === 'cohort' ? (id: string) => campaign.audience.ids.includes(id) : () => true;
  return org.cohorts.filter((c) => campaign.programmes.includes(c.programme) && chosen(c.id));
}

export interface UnitTargets {
  /** The campaign's target: the sum of its faculties' enrolment, or the stated target; 0 = unknown. */
  total: number;
  from: TargetFrom;
  faculty: Map<string, number>;
  programme: Map<string, number>;
  cohort: Map<string, number>;
}

/**
 * Every unit's target in one view of the structure. With enrolment, a faculty holds the cohorts of its
 * programmes in the audience, and the total is the sum of the faculties (so it is the sum of the units
 * shown, whatever archiving or moves happened since the campaign was created).
 */
export function unitTargets(campaign: AudienceOf & Pick<CampaignDoc, 'targetSize'>, from: TargetFrom, org: OrgView): UnitTargets {
  const empty = { faculty: new Map<string, number>(), programme: new Map<string, number>(), cohort: new Map<string, number>() };
  if (from === 'explicit') return { total: campaign.targetSize > 0 ? campaign.targetSize : 0, from, ...empty };
  const facultyOf = new Map(org.programmes.filter((p) => campaign.programmes.includes(p.id)).map((p) => [p.id, p.faculty]));
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const c of audienceCohorts(campaign, org)) {
    const faculty = facultyOf.get(c.programme);
    if (!faculty || !campaign.faculties.includes(faculty)) continue;
    empty.cohort.set(c.id, c.size);
    add(empty.programme, c.programme, c.size);
    add(empty.faculty, faculty, c.size);
  }
  return { total: [...empty.faculty.values()].reduce((s, n) => s + n, 0), from, ...empty };
}

/** The campaign's unit targets in the current view of the structure (its pinned instrument says whose). */
export async function targetsOf(campaign: CampaignDoc, org?: OrgView): Promise<UnitTargets> {
  // A version that cannot be read (it always can: campaigns pin published ones) leaves the stated target.
  const [definition, view] = await Promise.all([getPublishedDefinition(campaign.instrument.id, campaign.instrument.version).catch(() => undefined), org ?? orgView()]);
  return unitTargets(campaign, definition ? targetFrom(campaign.audience.kind, definition.audience) : 'explicit', view);
}
