// Official graduate employment figures by programme and academic year (published each December), imported
// from a CSV as Excel saves it: programme code, academic year, graduates, employed. A report by line says
// what is wrong before anything is stored; a good file replaces the figures it names.
import { z } from 'zod';
import mongoose, { Schema } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import { forbidden } from '../lib/errors.js';
import { atLine, problem } from '../lib/problems.js';
import { parseCsv, type CsvProblem } from '../org/csv.js';
import { loadOrgSnapshot } from '../org/snapshot.js';

export interface EmploymentDoc {
  /** `${programme}|${academicYear}` */
  _id: string;
  programme: string;
  academicYear: string;
  graduates: number;
  employed: number;
}
export const Employment = mongoose.model<EmploymentDoc>(
  'Employment',
  new Schema<EmploymentDoc>({ _id: String, programme: String, academicYear: String, graduates: Number, employed: Number }, { versionKey: false }),
  'graduate_employment',
);

export const EMPLOYMENT_COLUMNS = { required: ['programme', 'academic_year', 'graduates', 'employed'] } as const;

export interface EmploymentReport {
  rows: { line: number; programme: string; academicYear: string; graduates: number; employed: number }[];
  problems: CsvProblem[];
  imported: number;
}

const year = /^(\d{4})-(\d{4})$/;
const count = z.coerce.number().int().min(0).max(100_000);

/** Checks a CSV (and stores it when `store` and it has no problems). Admins only: these are official figures. */
export async function importEmployment(actor: Actor, text: string, store: boolean): Promise<EmploymentReport> {
  if (actor.role !== 'admin') throw forbidden('Only the quality department imports official employment figures.');
  const parsed = parseCsv(text, EMPLOYMENT_COLUMNS);
  const org = await loadOrgSnapshot();
  const byCode = new Map(org.programmes.map((p) => [p.code.toLowerCase(), p.id]));
  const problems = [...parsed.problems];
  const rows: EmploymentReport['rows'] = [];
  for (const row of parsed.rows) {
    const c = row.cells;
    const programme = byCode.get((c.programme ?? '').trim().toLowerCase());
    const ay = year.exec((c.academic_year ?? '').trim());
    const graduates = count.safeParse(c.graduates);
    const employed = count.safeParse(c.employed);
    const before = problems.length;
    const at = (name: string, params: Record<string, string> = {}) => problems.push(atLine(row.line, problem(name, params)));
    if (!programme) at('noProgramme', { column: 'programme', value: (c.programme ?? '').slice(0, 80) });
    if (!ay || Number(ay[2]) !== Number(ay[1]) + 1) at('academicYear', { column: 'academic_year', value: (c.academic_year ?? '').slice(0, 40) });
    if (!graduates.success) at('wholeNumber', { column: 'graduates' });
    if (!employed.success) at('wholeNumber', { column: 'employed' });
    else if (graduates.success && employed.data > graduates.data) at('employedOverGraduates');
    if (problems.length === before) rows.push({ line: row.line, programme: programme!, academicYear: c.academic_year!.trim(), graduates: graduates.data!, employed: employed.data! });
  }
  if (!store || problems.length) return { rows, problems, imported: 0 };
  for (const r of rows) await Employment.replaceOne({ _id: `${r.programme}|${r.academicYear}` }, { programme: r.programme, academicYear: r.academicYear, graduates: r.graduates, employed: r.employed }, { upsert: true });
  await recordAudit(actor, { action: 'import', entity: 'graduate_employment', entityId: 'csv', after: { rows: rows.length } });
  return { rows, problems, imported: rows.length };
}

export async function employmentFor(programmes: readonly string[]): Promise<EmploymentDoc[]> {
  const wanted = new Set(programmes);
  // A small table (programmes × years); scanned, off any hot path.
  return ((await Employment.find({}).lean()) as EmploymentDoc[]).filter((e) => wanted.has(e.programme));
}
