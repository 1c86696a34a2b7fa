// loadOrgSnapshot(): every unit of the structure, held in memory and reloaded only when the structure
// changed (version.ts). These collections are small (hundreds of documents), so a full load is cheap and
// every read, scope check and list filter works on the snapshot instead of scanning collections per request.
import { Cohort, Department, Discipline, Faculty, Programme, type CohortDoc, type DepartmentDoc, type DisciplineDoc, type FacultyDoc, type Level, type LocalizedName, type ProgrammeDoc } from './models.js';
import { currentOrgVersion, takeLocalDirty } from './version.js';

export interface FacultyUnit {
  id: string;
  code: string;
  name: LocalizedName;
  archived: boolean;
}
export interface DepartmentUnit {
  id: string;
  faculty: string;
  code: string;
  name: LocalizedName;
  archived: boolean;
}
export interface ProgrammeUnit {
  id: string;
  code: string;
  name: LocalizedName;
  level: Level;
  faculty: string;
  department: string;
  archived: boolean;
}
export interface CohortUnit {
  id: string;
  programme: string;
  entryYear: number;
  size: number;
  label: string;
  archived: boolean;
}
export interface DisciplineUnit {
  id: string;
  code: string;
  name: LocalizedName;
  department: string;
  programmes: string[];
  archived: boolean;
}

export interface OrgSnapshot {
  readonly version: string;
  readonly faculties: readonly FacultyUnit[];
  readonly departments: readonly DepartmentUnit[];
  readonly programmes: readonly ProgrammeUnit[];
  readonly cohorts: readonly CohortUnit[];
  readonly disciplines: readonly DisciplineUnit[];
  /** Lookups by id. */
  readonly faculty: ReadonlyMap<string, FacultyUnit>;
  readonly department: ReadonlyMap<string, DepartmentUnit>;
  readonly programme: ReadonlyMap<string, ProgrammeUnit>;
  readonly cohort: ReadonlyMap<string, CohortUnit>;
  readonly discipline: ReadonlyMap<string, DisciplineUnit>;
}

const name = (n: LocalizedName): LocalizedName => ({ kk: n.kk, ru: n.ru, en: n.en });
const byCode = <T extends { code: string }>(a: T, b: T) => a.code.localeCompare(b.code);

export function toFaculty(d: FacultyDoc): FacultyUnit {
  return { id: d._id, code: d.code, name: name(d.name), archived: Boolean(d.archived) };
}
export function toDepartment(d: DepartmentDoc): DepartmentUnit {
  return { id: d._id, faculty: d.faculty, code: d.code, name: name(d.name), archived: Boolean(d.archived) };
}
export function toProgramme(d: ProgrammeDoc): ProgrammeUnit {
  return { id: d._id, code: d.code, name: name(d.name), level: d.level, faculty: d.faculty, department: d.department, archived: Boolean(d.archived) };
}
export function toCohort(d: CohortDoc): CohortUnit {
  return { id: d._id, programme: d.programme, entryYear: d.entryYear, size: d.size, label: d.label, archived: Boolean(d.archived) };
}
export function toDiscipline(d: DisciplineDoc): DisciplineUnit {
  return { id: d._id, code: d.code, name: name(d.name), department: d.department, programmes: [...(d.programmes ?? [])], archived: Boolean(d.archived) };
}

function freeze<T extends object>(items: T[]): readonly T[] {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

function index<T extends { id: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((i) => [i.id, i]));
}

async function load(version: string): Promise<OrgSnapshot> {
  const [f, d, p, c, s] = await Promise.all([
    Faculty.find({}).lean<FacultyDoc[]>(),
    Department.find({}).lean<DepartmentDoc[]>(),
    Programme.find({}).lean<ProgrammeDoc[]>(),
    Cohort.find({}).lean<CohortDoc[]>(),
    Discipline.find({}).lean<DisciplineDoc[]>(),
  ]);
  const faculties = freeze(f.map(toFaculty).sort(byCode));
  const departments = freeze(d.map(toDepartment).sort(byCode));
  const programmes = freeze(p.map(toProgramme).sort(byCode));
  const cohorts = freeze(c.map(toCohort).sort((a, b) => b.entryYear - a.entryYear || a.label.localeCompare(b.label)));
  const disciplines = freeze(s.map(toDiscipline).sort(byCode));
  return Object.freeze({
    version,
    faculties,
    departments,
    programmes,
    cohorts,
    disciplines,
    faculty: index(faculties),
    department: index(departments),
    programme: index(programmes),
    cohort: index(cohorts),
    discipline: index(disciplines),
  });
}

let cached: OrgSnapshot | undefined;
let loading: { version: string; promise: Promise<OrgSnapshot> } | undefined;

/**
 * Every unit (archived ones too, flagged), frozen. Costs one read by _id when nothing changed; after a
 * change anywhere (this process or another) the next call reloads the five small collections.
 */
export async function loadOrgSnapshot(): Promise<OrgSnapshot> {
  const dirty = takeLocalDirty();
  const version = await currentOrgVersion();
  if (cached && !dirty && cached.version === version) return cached;
  if (loading && !dirty && loading.version === version) return loading.promise;
  const pending = { version, promise: load(version) };
  loading = pending;
  try {
    const snapshot = await pending.promise;
    if (loading === pending) cached = snapshot;
    return snapshot;
  } finally {
    if (loading === pending) loading = undefined;
  }
}

/** Drops the cache (for code that wrote the collections without the models, e.g. a raw driver call). */
export function invalidateOrgSnapshot(): void {
  cached = undefined;
}
