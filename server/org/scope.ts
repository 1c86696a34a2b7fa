// Who may see which part of the structure (and of anything tied to it: results, campaigns). One rule:
//  - admin: everything;
//  - council: everything in their faculties;
//  - programme_leader: their programmes (and the faculty and department those belong to, by name only);
//  - viewer: everything in their faculties plus their programmes.
// Services apply it; routes never decide scope.
import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { CohortUnit, DepartmentUnit, DisciplineUnit, FacultyUnit, OrgSnapshot, ProgrammeUnit } from './snapshot.js';

/** Faculties whose whole content the actor sees (council members and viewers). */
function fullFaculties(actor: Actor): string[] {
  return actor.role === 'council' || actor.role === 'viewer' ? actor.faculties : [];
}

/** Programmes the actor is scoped to by name (programme leaders and viewers). */
function namedProgrammes(actor: Actor): string[] {
  return actor.role === 'programme_leader' || actor.role === 'viewer' ? actor.programmes : [];
}

/**
 * May the actor see something that belongs to this unit? Pass both ids when the thing has both
 * (a programme-level result carries its programme AND that programme's faculty): a council member's
 * scope is faculties, a programme leader's is programmes. Fails closed: nothing given → admins only.
 */
export function canSeeUnit(actor: Actor, unit: { faculty?: string | null; programme?: string | null }): boolean {
  if (actor.role === 'admin') return true;
  if (unit.faculty && fullFaculties(actor).includes(unit.faculty)) return true;
  if (unit.programme && namedProgrammes(actor).includes(unit.programme)) return true;
  return false;
}

/** Only admins change the structure (and accounts). */
export function canEditStructure(actor: Actor): boolean {
  return actor.role === 'admin';
}

export interface VisibleScope {
  all: boolean;
  faculties: ReadonlySet<string>;
  departments: ReadonlySet<string>;
  programmes: ReadonlySet<string>;
  /** Faculties seen whole (every department, discipline, cohort in them). */
  wholeFaculties: ReadonlySet<string>;
}

/** The ids of every unit the actor may see, expanded through the snapshot (programme → faculty, …). */
export function visibleScope(actor: Actor, org: OrgSnapshot): VisibleScope {
  if (actor.role === 'admin') {
    return { all: true, faculties: new Set(org.faculty.keys()), departments: new Set(org.department.keys()), programmes: new Set(org.programme.keys()), wholeFaculties: new Set(org.faculty.keys()) };
  }
  const whole = new Set(fullFaculties(actor));
  const named = new Set(namedProgrammes(actor));
  const programmes = new Set(org.programmes.filter((p) => whole.has(p.faculty) || named.has(p.id)).map((p) => p.id));
  const faculties = new Set([...whole].filter((id) => org.faculty.has(id)));
  const departments = new Set(org.departments.filter((d) => whole.has(d.faculty)).map((d) => d.id));
  for (const id of programmes) {
    const p = org.programme.get(id)!;
    faculties.add(p.faculty);
    departments.add(p.department);
  }
  return { all: false, faculties, departments, programmes, wholeFaculties: whole };
}

export const sees = {
  faculty: (s: VisibleScope, u: FacultyUnit) => s.all || s.faculties.has(u.id),
  department: (s: VisibleScope, u: DepartmentUnit) => s.all || s.departments.has(u.id),
  programme: (s: VisibleScope, u: ProgrammeUnit) => s.all || s.programmes.has(u.id),
  cohort: (s: VisibleScope, u: CohortUnit) => s.all || s.programmes.has(u.programme),
  discipline: (s: VisibleScope, u: DisciplineUnit, org: OrgSnapshot) =>
    s.all || u.programmes.some((p) => s.programmes.has(p)) || s.wholeFaculties.has(org.department.get(u.department)?.faculty ?? ''),
};

/** Keeps the items the actor may see; `unitOf` says which faculty/programme an item belongs to. */
export function filterVisible<T>(actor: Actor, items: readonly T[], unitOf: (item: T) => { faculty?: string | null; programme?: string | null }): T[] {
  return actor.role === 'admin' ? [...items] : items.filter((item) => canSeeUnit(actor, unitOf(item)));
}

/**
 * A MongoDB filter with the same meaning as canSeeUnit, for documents that carry faculty and/or programme
 * fields (names configurable). {} for admins; matches nothing for an empty scope. Remember that on the
 * embedded store any such filter is a full scan: use it on small collections or off the hot path.
 */
export function scopeFilter(actor: Actor, fields: { faculty?: string; programme?: string } = {}): Record<string, unknown> {
  if (actor.role === 'admin') return {};
  const facultyField = fields.faculty ?? 'faculty';
  const programmeField = fields.programme ?? 'programme';
  const or: Record<string, unknown>[] = [];
  const f = fullFaculties(actor);
  const p = namedProgrammes(actor);
  // Trusted: the operators are ours (mongoose's sanitizeFilter would otherwise turn them into $eq).
  const anyOf = (values: string[]) => mongoose.trusted({ $in: [...values] }) as unknown;
  if (f.length) or.push({ [facultyField]: anyOf(f) });
  if (p.length) or.push({ [programmeField]: anyOf(p) });
  if (!or.length) return { _id: anyOf([]) };
  return or.length === 1 ? or[0]! : { $or: or };
}
