// Input schemas for the structure, shared by the API, the pages and the CSV import. Text that a spreadsheet
// would run as a formula (leading = + - @) is refused everywhere, so exports of these names stay safe.
import { z } from 'zod';
import { LEVELS, type Level } from './models.js';

export const FORMULA_START = /^[=+\-@\t\r]/;
const noFormula = (s: string) => !FORMULA_START.test(s);
const FORMULA_MESSAGE = 'must not start with =, +, - or @ (spreadsheet formulas are not accepted)';

// Lengths are counted before trimming, as the OpenAPI document states them (maxLength of what is sent).
export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).trim().min(1, 'must not be empty').refine(noFormula, FORMULA_MESSAGE);

export const unitCode = z
  .string()
  .max(32, 'must be at most 32 characters')
  .trim()
  .min(1, 'must not be empty')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.\-/]*$/u, 'must be letters and digits (and - _ . /), starting with a letter or digit');

/** The Kazakh classifier of programmes: level prefix (6B bachelor, 7M master, 8D doctoral) and five digits. */
export const PROGRAMME_CODE = /^(6B|7M|8D)\d{5}$/;
export const LEVEL_OF_PREFIX: Record<string, Level> = { '6B': 'bachelor', '7M': 'master', '8D': 'doctoral' };
export const programmeCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(PROGRAMME_CODE, 'must be a classifier code such as 6B06101: 6B, 7M or 8D and five digits'));

export const localizedName = z.strictObject({ kk: text(300), ru: text(300), en: text(300) });
export const unitId = z.string().max(40).trim().min(1, 'must not be empty');
export const level = z.enum(LEVELS, { message: 'must be bachelor, master or doctoral' });
const year = z.coerce.number({ message: 'must be a year' }).int('must be a whole year').min(1990, 'must be 1990 or later').max(2100, 'must be 2100 or earlier');
const size = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(100_000, 'must be at most 100000');

export const facultyCreate = z.strictObject({ code: unitCode, name: localizedName });
export const facultyPatch = facultyCreate.partial();

export const departmentCreate = z.strictObject({ faculty: unitId, code: unitCode, name: localizedName });
export const departmentPatch = departmentCreate.partial();

export const programmeCreate = z.strictObject({ code: programmeCode, name: localizedName, level, faculty: unitId, department: unitId });
export const programmePatch = programmeCreate.partial();

export const cohortCreate = z.strictObject({ programme: unitId, entryYear: year, size, label: text(100) });
export const cohortPatch = cohortCreate.partial();

export const disciplineCreate = z.strictObject({ code: unitCode, name: localizedName, department: unitId, programmes: z.array(unitId).max(200).default([]) });
export const disciplinePatch = z.strictObject({ code: unitCode, name: localizedName, department: unitId, programmes: z.array(unitId).max(200) }).partial();

/**
 * The API's bodies where the forms and the CSV import read more loosely: JSON numbers (not "2020"),
 * and a programme code exactly as the classifier writes it (any case). Stated as such in the OpenAPI document.
 */
const programmeCodeExact = z
  .string()
  .regex(/^(?:6[Bb]|7[Mm]|8[Dd])[0-9]{5}$/, 'must be a classifier code such as 6B06101: 6B, 7M or 8D and five digits')
  .transform((s) => s.toUpperCase());
const yearNumber = z.number({ message: 'must be a year' }).int('must be a whole year').min(1990, 'must be 1990 or later').max(2100, 'must be 2100 or earlier');
const sizeNumber = z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(100_000, 'must be at most 100000');
const programmeBody = programmeCreate.extend({ code: programmeCodeExact, level: level.describe("the code's level: 6B bachelor, 7M master, 8D doctoral") });
const cohortBody = cohortCreate.extend({ entryYear: yearNumber, size: sizeNumber });
export const apiBodies = {
  programmes: { create: programmeBody, patch: programmeBody.partial() },
  cohorts: { create: cohortBody, patch: cohortBody.partial() },
};

export type FacultyInput = z.infer<typeof facultyCreate>;
export type DepartmentInput = z.infer<typeof departmentCreate>;
export type ProgrammeInput = z.infer<typeof programmeCreate>;
export type CohortInput = z.infer<typeof cohortCreate>;
export type DisciplineInput = z.infer<typeof disciplineCreate>;

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const listQueries = {
  faculties: z.object({ includeArchived: flag.optional() }),
  departments: z.object({ faculty: unitId.optional(), includeArchived: flag.optional() }),
  programmes: z.object({ faculty: unitId.optional(), department: unitId.optional(), level: level.optional(), includeArchived: flag.optional() }),
  cohorts: z.object({ programme: unitId.optional(), faculty: unitId.optional(), includeArchived: flag.optional() }),
  disciplines: z.object({ department: unitId.optional(), programme: unitId.optional(), includeArchived: flag.optional() }),
};
export type ListQuery = { includeArchived?: boolean; faculty?: string; department?: string; programme?: string; level?: Level };
