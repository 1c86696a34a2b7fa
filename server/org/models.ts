// The university's structure: faculties, departments, programmes, cohorts, disciplines. Small collections,
// read through the in-memory snapshot (snapshot.ts); any write through these models invalidates it.
import mongoose, { Schema, type Model } from 'mongoose';
import { newId } from './ids.js';
import { markOrgChanged } from './version.js';

export interface LocalizedName {
  kk: string;
  ru: string;
  en: string;
}

export const LEVELS = ['bachelor', 'master', 'doctoral'] as const;
export type Level = (typeof LEVELS)[number];

interface Common {
  _id: string;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export interface FacultyDoc extends Common {
  code: string;
  name: LocalizedName;
}
export interface DepartmentDoc extends Common {
  faculty: string;
  code: string;
  name: LocalizedName;
}
export interface ProgrammeDoc extends Common {
  code: string;
  name: LocalizedName;
  level: Level;
  faculty: string;
  department: string;
}
export interface CohortDoc extends Common {
  programme: string;
  entryYear: number;
  size: number;
  label: string;
}
export interface DisciplineDoc extends Common {
  code: string;
  name: LocalizedName;
  department: string;
  programmes: string[];
}

const name = {
  kk: { type: String, required: true, trim: true },
  ru: { type: String, required: true, trim: true },
  en: { type: String, required: true, trim: true },
};
const options = { versionKey: false as const, timestamps: true };

/** Every write through a model (save, insertMany, updates, deletes) marks the structure as changed. */
function invalidating<T>(schema: Schema<T>): Schema<T> {
  const after = () => markOrgChanged();
  schema.post('save', after);
  schema.post('insertMany', after);
  for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'deleteOne', 'deleteMany', 'findOneAndDelete', 'replaceOne'] as const) {
    schema.post(op, after);
  }
  return schema;
}

const facultySchema = invalidating(
  new Schema<FacultyDoc>(
    { _id: { type: String, default: () => newId('fac') }, code: { type: String, required: true, unique: true }, name, archived: { type: Boolean, default: false } },
    { ...options, collection: 'faculties' },
  ),
);

const departmentSchema = invalidating(
  new Schema<DepartmentDoc>(
    {
      _id: { type: String, default: () => newId('dep') },
      faculty: { type: String, required: true },
      code: { type: String, required: true, unique: true },
      name,
      archived: { type: Boolean, default: false },
    },
    { ...options, collection: 'departments' },
  ),
);

const programmeSchema = invalidating(
  new Schema<ProgrammeDoc>(
    {
      _id: { type: String, default: () => newId('prg') },
      code: { type: String, required: true, unique: true },
      name,
      level: { type: String, enum: LEVELS, required: true },
      faculty: { type: String, required: true },
      department: { type: String, required: true },
      archived: { type: Boolean, default: false },
    },
    { ...options, collection: 'programmes' },
  ),
);

const cohortSchema = invalidating(
  new Schema<CohortDoc>(
    {
      _id: { type: String, default: () => newId('coh') },
      programme: { type: String, required: true },
      entryYear: { type: Number, required: true },
      size: { type: Number, required: true, min: 0 },
      label: { type: String, required: true, trim: true },
      archived: { type: Boolean, default: false },
    },
    { ...options, collection: 'cohorts' },
  ),
);
cohortSchema.index({ programme: 1, entryYear: 1, label: 1 }, { unique: true });

const disciplineSchema = invalidating(
  new Schema<DisciplineDoc>(
    {
      _id: { type: String, default: () => newId('dis') },
      code: { type: String, required: true, unique: true },
      name,
      department: { type: String, required: true },
      programmes: { type: [String], default: [] },
      archived: { type: Boolean, default: false },
    },
    { ...options, collection: 'disciplines' },
  ),
);

export const Faculty: Model<FacultyDoc> = mongoose.model<FacultyDoc>('Faculty', facultySchema);
export const Department: Model<DepartmentDoc> = mongoose.model<DepartmentDoc>('Department', departmentSchema);
export const Programme: Model<ProgrammeDoc> = mongoose.model<ProgrammeDoc>('Programme', programmeSchema);
export const Cohort: Model<CohortDoc> = mongoose.model<CohortDoc>('Cohort', cohortSchema);
export const Discipline: Model<DisciplineDoc> = mongoose.model<DisciplineDoc>('Discipline', disciplineSchema);

/** A draft CSV import waiting for the admin's confirmation (kept in the database, so any process can confirm it). */
export interface ImportDraftDoc {
  _id: string;
  kind: string;
  text: string;
  userId: string;
  createdAt: Date;
}
const importDraftSchema = new Schema<ImportDraftDoc>(
  {
    _id: { type: String, default: () => newId('imp') },
    kind: { type: String, required: true },
    text: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false, collection: 'org_import_drafts' },
);
export const ImportDraft = mongoose.model<ImportDraftDoc>('OrgImportDraft', importDraftSchema);
