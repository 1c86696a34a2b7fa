// Structure services: list/get/create/update/archive/restore for each kind of unit, with authorisation here
// (admins change the structure; everyone else reads only the units in their scope, and an out-of-scope
// unit answers 404 exactly like a missing one). Reads come from the snapshot; writes go through the models.
import type { Model } from 'mongoose';
import type { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/service.js';
import { AppError, conflict, forbidden, notFound } from '../lib/errors.js';
import { parseOrThrow } from '../lib/validate.js';
import { newId } from './ids.js';
import { Cohort, Department, Discipline, Faculty, Programme } from './models.js';
import * as s from './schemas.js';
import { canEditStructure, sees, visibleScope, type VisibleScope } from './scope.js';
import { loadOrgSnapshot, type CohortUnit, type DepartmentUnit, type DisciplineUnit, type FacultyUnit, type OrgSnapshot, type ProgrammeUnit } from './snapshot.js';

export const UNIT_KINDS = ['faculties', 'departments', 'programmes', 'cohorts', 'disciplines'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

interface Unit {
  id: string;
  archived: boolean;
}

/** A field-level problem, as the pages show it next to the field. */
export interface FieldProblem {
  path: string;
  message: string;
}

export function invalid(path: string, message: string): AppError {
  return new AppError(400, 'validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/** The models seen through one loose type (each kind's own model is typed in models.ts). */
export interface UnitRecord {
  _id: string;
  archived: boolean;
  [key: string]: unknown;
}
export type UnitModel = Model<UnitRecord>;

interface UnitSpec<U extends Unit, C> {
  kind: UnitKind;
  prefix: string;
  /** "programme", for messages. */
  noun: string;
  model: UnitModel;
  all(org: OrgSnapshot): readonly U[];
  byId(org: OrgSnapshot): ReadonlyMap<string, U>;
  visible(scope: VisibleScope, unit: U, org: OrgSnapshot): boolean;
  create: z.ZodType<C>;
  patch: z.ZodType<Partial<C>>;
  /** The stored fields of an existing unit, in input form (for merging a patch). */
  fields(unit: U): C;
  /** Reference and uniqueness checks against the snapshot; throws invalid()/conflict(). */
  check(org: OrgSnapshot, input: C, selfId?: string): void;
  matches(unit: U, query: s.ListQuery, org: OrgSnapshot): boolean;
  /** What must be unique, as one string (the CSV import checks duplicates inside a file with it). */
  uniqueKey(input: C): string;
}

function liveRef<T extends Unit>(map: ReadonlyMap<string, T>, id: string, path: string, noun: string): T {
  const found = map.get(id);
  if (!found) throw invalid(path, `no such ${noun}`);
  if (found.archived) throw invalid(path, `the ${noun} is archived`);
  return found;
}

function unique<T extends Unit>(items: readonly T[], selfId: string | undefined, same: (t: T) => boolean, path: string, what: string): void {
  if (items.some((t) => t.id !== selfId && same(t))) throw new AppError(409, 'conflict', `${what} already exists.`, [{ path, message: `${what.charAt(0).toLowerCase()}${what.slice(1)} already exists` }]);
}

const faculties: UnitSpec<FacultyUnit, s.FacultyInput> = {
  kind: 'faculties',
  prefix: 'fac',
  noun: 'faculty',
  model: Faculty as unknown as UnitModel,
  all: (o) => o.faculties,
  byId: (o) => o.faculty,
  visible: (sc, u) => sees.faculty(sc, u),
  create: s.facultyCreate,
  patch: s.facultyPatch,
  fields: (u) => ({ code: u.code, name: u.name }),
  check(org, input, selfId) {
    unique(org.faculties, selfId, (f) => f.code.toLowerCase() === input.code.toLowerCase(), 'code', `A faculty with code ${input.code}`);
  },
  matches: () => true,
  uniqueKey: (i) => i.code.toLowerCase(),
};

const departments: UnitSpec<DepartmentUnit, s.DepartmentInput> = {
  kind: 'departments',
  prefix: 'dep',
  noun: 'department',
  model: Department as unknown as UnitModel,
  all: (o) => o.departments,
  byId: (o) => o.department,
  visible: (sc, u) => sees.department(sc, u),
  create: s.departmentCreate,
  patch: s.departmentPatch,
  fields: (u) => ({ faculty: u.faculty, code: u.code, name: u.name }),
  check(org, input, selfId) {
    liveRef(org.faculty, input.faculty, 'faculty', 'faculty');
    unique(org.departments, selfId, (d) => d.code.toLowerCase() === input.code.toLowerCase(), 'code', `A department with code ${input.code}`);
  },
  matches: (u, q) => !q.faculty || u.faculty === q.faculty,
  uniqueKey: (i) => i.code.toLowerCase(),
};

const programmes: UnitSpec<ProgrammeUnit, s.ProgrammeInput> = {
  kind: 'programmes',
  prefix: 'prg',
  noun: 'programme',
  model: Programme as unknown as UnitModel,
  all: (o) => o.programmes,
  byId: (o) => o.programme,
  visible: (sc, u) => sees.programme(sc, u),
  create: s.programmeCreate,
  patch: s.programmePatch,
  fields: (u) => ({ code: u.code, name: u.name, level: u.level, faculty: u.faculty, department: u.department }),
  check(org, input, selfId) {
    const expected = s.LEVEL_OF_PREFIX[input.code.slice(0, 2)];
    if (expected !== input.level) throw invalid('level', `the code ${input.code} is a ${expected} code, so the level must be ${expected}`);
    liveRef(org.faculty, input.faculty, 'faculty', 'faculty');
    const dept = liveRef(org.department, input.department, 'department', 'department');
    if (dept.faculty !== input.faculty) throw invalid('department', 'the department belongs to another faculty');
    unique(org.programmes, selfId, (p) => p.code === input.code, 'code', `A programme with code ${input.code}`);
  },
  matches: (u, q) => (!q.faculty || u.faculty === q.faculty) && (!q.department || u.department === q.department) && (!q.level || u.level === q.level),
  uniqueKey: (i) => i.code,
};

const cohorts: UnitSpec<CohortUnit, s.CohortInput> = {
  kind: 'cohorts',
  prefix: 'coh',
  noun: 'cohort',
  model: Cohort as unknown as UnitModel,
  all: (o) => o.cohorts,
  byId: (o) => o.cohort,
  visible: (sc, u) => sees.cohort(sc, u),
  create: s.cohortCreate,
  patch: s.cohortPatch,
  fields: (u) => ({ programme: u.programme, entryYear: u.entryYear, size: u.size, label: u.label }),
  check(org, input, selfId) {
    liveRef(org.programme, input.programme, 'programme', 'programme');
    unique(org.cohorts, selfId, (c) => c.programme === input.programme && c.entryYear === input.entryYear && c.label === input.label, 'label', `A cohort ${input.label} (${input.entryYear}) of this programme`);
  },
  matches: (u, q, org) => (!q.programme || u.programme === q.programme) && (!q.faculty || org.programme.get(u.programme)?.faculty === q.faculty),
  uniqueKey: (i) => `${i.programme}|${i.entryYear}|${i.label}`,
};

const disciplines: UnitSpec<DisciplineUnit, s.DisciplineInput> = {
  kind: 'disciplines',
  prefix: 'dis',
  noun: 'discipline',
  model: Discipline as unknown as UnitModel,
  all: (o) => o.disciplines,
  byId: (o) => o.discipline,
  visible: (sc, u, org) => sees.discipline(sc, u, org),
  create: s.disciplineCreate as unknown as z.ZodType<s.DisciplineInput>,
  patch: s.disciplinePatch,
  fields: (u) => ({ code: u.code, name: u.name, department: u.department, programmes: [...u.programmes] }),
  check(org, input, selfId) {
    liveRef(org.department, input.department, 'department', 'department');
    input.programmes.forEach((p) => liveRef(org.programme, p, 'programmes', 'programme'));
    unique(org.disciplines, selfId, (d) => d.code.toLowerCase() === input.code.toLowerCase(), 'code', `A discipline with code ${input.code}`);
  },
  matches: (u, q) => (!q.department || u.department === q.department) && (!q.programme || u.programmes.includes(q.programme)),
  uniqueKey: (i) => i.code.toLowerCase(),
};

export const SPECS = { faculties, departments, programmes, cohorts, disciplines } as const;

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

function assertEditor(actor: Actor): void {
  if (!canEditStructure(actor)) throw forbidden('Only the quality assurance department changes the university structure.');
}

export interface UnitService<U extends Unit, C> {
  list(actor: Actor, query?: s.ListQuery): Promise<U[]>;
  get(actor: Actor, id: string): Promise<U>;
  create(actor: Actor, input: unknown): Promise<U>;
  update(actor: Actor, id: string, patch: unknown): Promise<U>;
  archive(actor: Actor, id: string): Promise<U>;
  restore(actor: Actor, id: string): Promise<U>;
  /** Checks an input as create() would, without writing (the CSV import uses it). */
  validate(org: OrgSnapshot, input: unknown): C;
  uniqueKey(input: C): string;
}

function unitService<U extends Unit, C>(spec: UnitSpec<U, C>): UnitService<U, C> {
  const find = async (actor: Actor, id: string): Promise<{ org: OrgSnapshot; unit: U }> => {
    const org = await loadOrgSnapshot();
    const unit = spec.byId(org).get(id);
    if (!unit || !spec.visible(visibleScope(actor, org), unit, org)) throw notFound(`No such ${spec.noun}.`);
    return { org, unit };
  };
  const reload = async (id: string): Promise<U> => {
    const unit = spec.byId(await loadOrgSnapshot()).get(id);
    if (!unit) throw notFound(`No such ${spec.noun}.`);
    return unit;
  };
  const validate = (org: OrgSnapshot, input: unknown, selfId?: string): C => {
    const data = parseOrThrow(spec.create, input, spec.noun);
    spec.check(org, data, selfId);
    return data;
  };
  const setArchived = async (actor: Actor, id: string, archived: boolean): Promise<U> => {
    assertEditor(actor);
    const { unit } = await find(actor, id);
    if (unit.archived === archived) return unit;
    await spec.model.updateOne({ _id: id }, { $set: { archived } });
    await recordAudit(actor, { action: archived ? 'archive' : 'restore', entity: spec.kind, entityId: id, before: { archived: unit.archived }, after: { archived } });
    return reload(id);
  };

  return {
    async list(actor, query = {}) {
      const org = await loadOrgSnapshot();
      const scope = visibleScope(actor, org);
      return spec.all(org).filter((u) => (query.includeArchived || !u.archived) && spec.visible(scope, u, org) && spec.matches(u, query, org));
    },
    async get(actor, id) {
      return (await find(actor, id)).unit;
    },
    validate: (org, input) => validate(org, input),
    uniqueKey: (input) => spec.uniqueKey(input),
    async create(actor, input) {
      assertEditor(actor);
      const data = validate(await loadOrgSnapshot(), input);
      const _id = newId(spec.prefix);
      try {
        await spec.model.create({ _id, ...(data as Record<string, unknown>) });
      } catch (err) {
        if (isDuplicateKey(err)) throw conflict(`This ${spec.noun} already exists.`);
        throw err;
      }
      const created = await reload(_id);
      await recordAudit(actor, { action: 'create', entity: spec.kind, entityId: _id, after: created });
      return created;
    },
    async update(actor, id, patch) {
      assertEditor(actor);
      const { org, unit } = await find(actor, id);
      const changes = parseOrThrow(spec.patch, patch, spec.noun);
      const data = validate(org, { ...spec.fields(unit), ...changes }, id);
      try {
        await spec.model.updateOne({ _id: id }, { $set: data as Record<string, unknown> });
      } catch (err) {
        if (isDuplicateKey(err)) throw conflict(`Another ${spec.noun} already uses this.`);
        throw err;
      }
      const updated = await reload(id);
      const diff = changedFields(unit as unknown as Record<string, unknown>, updated as unknown as Record<string, unknown>);
      if (Object.keys(diff.after).length) await recordAudit(actor, { action: 'update', entity: spec.kind, entityId: id, ...diff });
      return updated;
    },
    archive: (actor, id) => setArchived(actor, id, true),
    restore: (actor, id) => setArchived(actor, id, false),
  };
}

/** The structure services, e.g. `org.programmes.list(actor, { faculty })`. */
export const org = {
  faculties: unitService(faculties),
  departments: unitService(departments),
  programmes: unitService(programmes),
  cohorts: unitService(cohorts),
  disciplines: unitService(disciplines),
};
