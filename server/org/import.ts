// CSV import of the structure: every row is checked first (shape, formulas, references, duplicates inside
// the file and against what exists); only a file with no problem is imported, all rows or none: if an
// insert fails part-way, what was inserted is deleted again.
import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import { recordAuditMany } from '../audit/service.js';
import { AppError, forbidden, notFound } from '../lib/errors.js';
import { atLine, problem, type Problem } from '../lib/problems.js';
import { newId } from './ids.js';
import { ImportDraft, type ImportDraftDoc } from './models.js';
import { parseCsv, type CsvProblem, type CsvRow } from './csv.js';
import { fieldProblem } from './import-problems.js';
import { LEVEL_OF_PREFIX } from './schemas.js';
import { canEditStructure } from './scope.js';
import { org as services, SPECS, type FieldProblem, type UnitModel } from './service.js';
import { loadOrgSnapshot, type OrgSnapshot } from './snapshot.js';

export const IMPORT_KINDS = ['faculties', 'departments', 'programmes', 'cohorts', 'disciplines'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const NAMES = ['name_kk', 'name_ru', 'name_en'] as const;

/** The columns of each kind's file; references are by code (faculty, department, programme codes). */
export const IMPORT_COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  faculties: { required: ['code', ...NAMES], optional: [] },
  departments: { required: ['faculty', 'code', ...NAMES], optional: [] },
  programmes: { required: ['code', ...NAMES, 'faculty', 'department'], optional: ['level'] },
  cohorts: { required: ['programme', 'entry_year', 'size', 'label'], optional: [] },
  disciplines: { required: ['code', ...NAMES, 'department'], optional: ['programmes'] },
};

export interface ImportRowReport {
  line: number;
  values: string[];
  problems: Problem[];
}

export interface ImportReport {
  kind: ImportKind;
  columns: string[];
  rows: ImportRowReport[];
  /** Every problem, in line order (line 1 is the header). */
  problems: CsvProblem[];
  /** Rows that would be (or were) imported: all of them, or 0 when there is any problem. */
  importable: number;
  imported: number;
}

class RowProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** The unit a code names; `column` is the file's column, `noun` what it names. */
function lookupByCode<T extends { code: string; id: string }>(items: readonly T[], code: string, column: string, noun: 'Faculty' | 'Department' | 'Programme'): string {
  const found = items.find((i) => i.code.toLowerCase() === code.trim().toLowerCase());
  if (!found) throw new RowProblem(problem(`no${noun}`, { column, value: code.length > 80 ? `${code.slice(0, 80)}…` : code }));
  return found.id;
}

const name = (c: Record<string, string>) => ({ kk: c.name_kk ?? '', ru: c.name_ru ?? '', en: c.name_en ?? '' });

/** A row's cells → the service input (codes resolved to ids). */
function toInput(kind: ImportKind, c: Record<string, string>, org: OrgSnapshot): unknown {
  switch (kind) {
    case 'faculties':
      return { code: c.code, name: name(c) };
    case 'departments':
      return { faculty: lookupByCode(org.faculties, c.faculty ?? '', 'faculty', 'Faculty'), code: c.code, name: name(c) };
    case 'programmes': {
      const code = (c.code ?? '').trim().toUpperCase();
      const level = (c.level ?? '').trim().toLowerCase() || LEVEL_OF_PREFIX[code.slice(0, 2)] || '';
      return { code, name: name(c), level, faculty: lookupByCode(org.faculties, c.faculty ?? '', 'faculty', 'Faculty'), department: lookupByCode(org.departments, c.department ?? '', 'department', 'Department') };
    }
    case 'cohorts':
      return { programme: lookupByCode(org.programmes, c.programme ?? '', 'programme', 'Programme'), entryYear: c.entry_year, size: c.size, label: c.label };
    case 'disciplines': {
      const codes = (c.programmes ?? '').split(/[\s,;|]+/).filter(Boolean);
      return { code: c.code, name: name(c), department: lookupByCode(org.departments, c.department ?? '', 'department', 'Department'), programmes: codes.map((p) => lookupByCode(org.programmes, p, 'programmes', 'Programme')) };
    }
  }
}

function rowProblems(kind: ImportKind, err: unknown, cells: Record<string, string>): Problem[] {
  if (err instanceof RowProblem) return [err.problem];
  if (err instanceof AppError) {
    const details = Array.isArray(err.details) ? (err.details as FieldProblem[]) : [];
    return details.length ? details.map((d) => fieldProblem(kind, d, cells)) : [fieldProblem(kind, { path: '', message: err.message }, cells)];
  }
  throw err;
}

interface Checked {
  report: ImportReport;
  inputs: unknown[];
}

/** Checks a whole file without writing anything. */
export async function checkImport(kind: ImportKind, text: string): Promise<Checked> {
  const parsed = parseCsv(text, IMPORT_COLUMNS[kind]);
  const orgNow = await loadOrgSnapshot();
  const service = services[kind];
  const byLine = new Map<number, Problem[]>();
  for (const p of parsed.problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  const seen = new Map<string, number>();
  const inputs: unknown[] = [];
  const rows: ImportRowReport[] = parsed.rows.map((row: CsvRow) => {
    const problems = [...(byLine.get(row.line) ?? [])];
    if (!problems.length) {
      try {
        const input = service.validate(orgNow, toInput(kind, row.cells, orgNow));
        const key = service.uniqueKey(input as never);
        const first = seen.get(key);
        if (first !== undefined) problems.push(problem(`sameUnit.${kind}`, { first }));
        else seen.set(key, row.line);
        inputs.push(input);
      } catch (err) {
        problems.push(...rowProblems(kind, err, row.cells));
      }
    }
    return { line: row.line, values: row.values, problems };
  });
  const rowLines = new Set(rows.map((r) => r.line));
  const problems: CsvProblem[] = [...parsed.problems.filter((p) => !rowLines.has(p.line)), ...rows.flatMap((r) => r.problems.map((p) => atLine(r.line, p)))];
  if (!parsed.problems.length && !rows.length) problems.push(atLine(2, problem('noRows')));
  const importable = problems.length ? 0 : inputs.length;
  return { report: { kind, columns: parsed.columns, rows, problems, importable, imported: 0 }, inputs };
}

/**
 * Inserts all documents or none. insertMany stops at the first failure (ordered); the ids are ours, so
 * whatever did get in is deleted again by id before the error is reported.
 */
export async function insertAllOrNone(model: UnitModel, docs: Record<string, unknown>[]): Promise<void> {
  try {
    await model.insertMany(docs, { ordered: true });
  } catch (err) {
    const ids = docs.map((d) => d._id);
    await model.deleteMany({ _id: mongoose.trusted({ $in: ids }) });
    const duplicate = (err as { code?: number }).code === 11000;
    throw new AppError(409, 'import_failed', duplicate ? 'Nothing was imported: a row collides with a unit that was added meanwhile. Check the file again.' : 'Nothing was imported: the database refused a row. Try again.');
  }
}

/** Checks the file again (the structure may have changed since the preview) and imports it whole. */
export async function runImport(actor: Actor, kind: ImportKind, text: string): Promise<ImportReport> {
  if (!canEditStructure(actor)) throw forbidden('Only the quality assurance department imports the structure.');
  const { report, inputs } = await checkImport(kind, text);
  if (report.problems.length) return report;
  const spec = SPECS[kind];
  const docs = inputs.map((input) => ({ _id: newId(spec.prefix), ...(input as Record<string, unknown>), archived: false }));
  await insertAllOrNone(spec.model, docs);
  await recordAuditMany(
    actor,
    docs.map((d) => ({ action: 'import', entity: kind, entityId: String(d._id), after: d })),
  );
  return { ...report, imported: docs.length };
}

// ---- drafts: the page flow (upload → preview → confirm) keeps the file in the database between steps ----

const DRAFT_TTL_MS = 60 * 60_000;

export async function saveDraft(actor: Actor, kind: ImportKind, text: string): Promise<string> {
  if (!canEditStructure(actor)) throw forbidden('Only the quality assurance department imports the structure.');
  // Old drafts are few; clearing them here keeps the collection small without a TTL index (FerretDB has none).
  await ImportDraft.deleteMany({ createdAt: mongoose.trusted({ $lt: new Date(Date.now() - DRAFT_TTL_MS) }) });
  const draft = await ImportDraft.create({ kind, text, userId: actor.userId });
  return draft._id;
}

export async function loadDraft(actor: Actor, id: string): Promise<ImportDraftDoc> {
  const draft = await ImportDraft.findById(id).lean<ImportDraftDoc>();
  if (!draft || draft.userId !== actor.userId || Date.now() - new Date(draft.createdAt).getTime() > DRAFT_TTL_MS) {
    throw notFound('This import has expired or does not exist; upload the file again.');
  }
  return draft;
}

export async function deleteDraft(id: string): Promise<void> {
  await ImportDraft.deleteOne({ _id: id });
}
