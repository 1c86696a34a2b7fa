// How each kind of unit appears on the pages: list columns, form fields, and form values ↔ service input.
// Labels come from the catalogue (org.*); names are shown in the page's language.
import { LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { formSchema, listField, textField } from '../lib/forms.js';
import { LEVELS } from './models.js';
import type { UnitKind } from './service.js';
import type { CohortUnit, DepartmentUnit, DisciplineUnit, FacultyUnit, OrgSnapshot, ProgrammeUnit } from './snapshot.js';

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'number' | 'select' | 'checkboxes';
  value?: string;
  options?: Option[];
  hint?: string;
  error?: string;
  required: boolean;
  /** For the name fields: the language the text is in. */
  lang?: Lang;
  describedBy?: string;
}

export type FormValues = Record<string, string | string[]>;

type AnyUnit = FacultyUnit | DepartmentUnit | ProgrammeUnit | CohortUnit | DisciplineUnit;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

function text(l: Lang, name: string, values: FormValues, opts: Partial<FormField> = {}): FormField {
  return { name, label: translate(l, `org.fields.${name}`), type: 'text', value: one(values[name]), required: true, ...opts };
}

function select(l: Lang, name: string, values: FormValues, options: { value: string; label: string }[]): FormField {
  const chosen = one(values[name]);
  return { name, label: translate(l, `org.fields.${name}`), type: 'select', required: true, options: options.map((o) => ({ ...o, selected: o.value === chosen })) };
}

function names(l: Lang, values: FormValues): FormField[] {
  return LANGUAGES.map((lang) => text(l, `name_${lang}`, values, { lang }));
}

const facultyOptions = (org: OrgSnapshot, l: Lang, keep: string) =>
  org.faculties.filter((f) => !f.archived || f.id === keep).map((f) => ({ value: f.id, label: `${f.code} — ${f.name[l]}` }));
const departmentOptions = (org: OrgSnapshot, l: Lang, keep: string) =>
  org.departments.filter((d) => !d.archived || d.id === keep).map((d) => ({ value: d.id, label: `${org.faculty.get(d.faculty)?.code ?? '?'} · ${d.code} — ${d.name[l]}` }));
const programmeOptions = (org: OrgSnapshot, l: Lang, keep: string[]) =>
  org.programmes.filter((p) => !p.archived || keep.includes(p.id)).map((p) => ({ value: p.id, label: `${p.code} — ${p.name[l]}` }));

/** The fields of each kind's form, filled with `values` (strings as the form posts them). */
export function formFields(kind: UnitKind, org: OrgSnapshot, l: Lang, values: FormValues): FormField[] {
  switch (kind) {
    case 'faculties':
      return [text(l, 'code', values, { hint: translate(l, 'org.hints.code') }), ...names(l, values)];
    case 'departments':
      return [select(l, 'faculty', values, facultyOptions(org, l, one(values.faculty))), text(l, 'code', values, { hint: translate(l, 'org.hints.code') }), ...names(l, values)];
    case 'programmes':
      return [
        text(l, 'code', values, { hint: translate(l, 'org.hints.programme_code') }),
        ...names(l, values),
        select(l, 'level', values, LEVELS.map((v) => ({ value: v, label: translate(l, `org.levels.${v}`) }))),
        select(l, 'faculty', values, facultyOptions(org, l, one(values.faculty))),
        select(l, 'department', values, departmentOptions(org, l, one(values.department))),
      ];
    case 'cohorts':
      return [
        select(l, 'programme', values, programmeOptions(org, l, many(values.programme))),
        text(l, 'entryYear', values, { type: 'number' }),
        text(l, 'size', values, { type: 'number', hint: translate(l, 'org.hints.size') }),
        text(l, 'label', values, { hint: translate(l, 'org.hints.label') }),
      ];
    case 'disciplines': {
      const chosen = many(values.programmes);
      return [
        text(l, 'code', values, { hint: translate(l, 'org.hints.code') }),
        ...names(l, values),
        select(l, 'department', values, departmentOptions(org, l, one(values.department))),
        { name: 'programmes', label: translate(l, 'org.fields.programmes'), type: 'checkboxes', required: false, options: programmeOptions(org, l, chosen).map((o) => ({ ...o, selected: chosen.includes(o.value) })) },
      ];
    }
  }
}

const FORM_NAMES: Record<UnitKind, string[]> = {
  faculties: ['code', 'name_kk', 'name_ru', 'name_en'],
  departments: ['faculty', 'code', 'name_kk', 'name_ru', 'name_en'],
  programmes: ['code', 'name_kk', 'name_ru', 'name_en', 'level', 'faculty', 'department'],
  cohorts: ['programme', 'entryYear', 'size', 'label'],
  disciplines: ['code', 'name_kk', 'name_ru', 'name_en', 'department', 'programmes'],
};

/** The unit forms' fields (every kind's; each kind reads its own, FORM_NAMES). */
export const unitForm = formSchema({
  ...Object.fromEntries([...new Set(Object.values(FORM_NAMES).flat())].filter((n) => n !== 'programmes').map((n) => [n, textField(2_000)])),
  programmes: listField(),
});

/** The posted form as values (to re-show it). */
export function formValues(kind: UnitKind, form: Record<string, string | string[]>): FormValues {
  return Object.fromEntries(FORM_NAMES[kind].map((n) => [n, form[n] ?? (n === 'programmes' ? [] : '')]));
}

/** An existing unit as form values. */
export function unitValues(unit: AnyUnit): FormValues {
  const out: FormValues = {};
  for (const [key, value] of Object.entries(unit)) {
    if (key === 'name') for (const [l, t] of Object.entries(value as Record<string, string>)) out[`name_${l}`] = t;
    else if (Array.isArray(value)) out[key] = value.map(String);
    else out[key] = String(value);
  }
  return out;
}

/** Form values → the service's input (numbers stay strings: the schemas coerce them). */
export function formInput(kind: UnitKind, v: FormValues): Record<string, unknown> {
  const name = { kk: one(v.name_kk), ru: one(v.name_ru), en: one(v.name_en) };
  switch (kind) {
    case 'faculties':
      return { code: one(v.code), name };
    case 'departments':
      return { faculty: one(v.faculty), code: one(v.code), name };
    case 'programmes':
      return { code: one(v.code), name, level: one(v.level), faculty: one(v.faculty), department: one(v.department) };
    case 'cohorts':
      return { programme: one(v.programme), entryYear: one(v.entryYear), size: one(v.size), label: one(v.label) };
    case 'disciplines':
      return { code: one(v.code), name, department: one(v.department), programmes: many(v.programmes) };
  }
}

/** "name.kk" → "name_kk"; "programmes[1]" → "programmes". */
export function formFieldOf(path: string): string {
  return path.replace(/\[\d+\]$/, '').replace(/^name\.(kk|ru|en)$/, 'name_$1').split('.')[0] ?? path;
}

/** List columns and cells. */
export function listColumns(kind: UnitKind, l: Lang): string[] {
  const c = (k: string) => translate(l, `org.fields.${k}`);
  switch (kind) {
    case 'faculties':
      return [c('code'), c('name'), translate(l, 'org.programmes.title')];
    case 'departments':
      return [c('code'), c('name'), c('faculty')];
    case 'programmes':
      return [c('code'), c('name'), c('level'), c('faculty'), c('department')];
    case 'cohorts':
      return [c('label'), c('programme'), c('entryYear'), c('size')];
    case 'disciplines':
      return [c('code'), c('name'), c('department'), c('programmes')];
  }
}

export function listCells(kind: UnitKind, unit: AnyUnit, org: OrgSnapshot, l: Lang): string[] {
  const code = (map: ReadonlyMap<string, { code: string }>, id: string) => map.get(id)?.code ?? '—';
  switch (kind) {
    case 'faculties': {
      const f = unit as FacultyUnit;
      return [f.code, f.name[l], String(org.programmes.filter((p) => p.faculty === f.id && !p.archived).length)];
    }
    case 'departments': {
      const d = unit as DepartmentUnit;
      return [d.code, d.name[l], code(org.faculty, d.faculty)];
    }
    case 'programmes': {
      const p = unit as ProgrammeUnit;
      return [p.code, p.name[l], translate(l, `org.levels.${p.level}`), code(org.faculty, p.faculty), code(org.department, p.department)];
    }
    case 'cohorts': {
      const c = unit as CohortUnit;
      return [c.label, code(org.programme, c.programme), String(c.entryYear), String(c.size)];
    }
    case 'disciplines': {
      const d = unit as DisciplineUnit;
      return [d.code, d.name[l], code(org.department, d.department), d.programmes.map((p) => code(org.programme, p)).join(', ')];
    }
  }
}

/** The list page's filters (GET form), only where they help. */
export function listFilters(kind: UnitKind, org: OrgSnapshot, l: Lang, query: Record<string, unknown>, visibleFaculties: ReadonlySet<string>): FormField[] {
  const q = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : '');
  const facultyFilter = (): FormField => ({
    name: 'faculty',
    label: translate(l, 'org.fields.faculty'),
    type: 'select',
    required: false,
    options: org.faculties.filter((f) => visibleFaculties.has(f.id)).map((f) => ({ value: f.id, label: `${f.code} — ${f.name[l]}`, selected: q('faculty') === f.id })),
  });
  if (kind === 'departments' || kind === 'cohorts') return [facultyFilter()];
  if (kind === 'programmes') {
    return [facultyFilter(), { name: 'level', label: translate(l, 'org.fields.level'), type: 'select', required: false, options: LEVELS.map((v) => ({ value: v, label: translate(l, `org.levels.${v}`), selected: q('level') === v })) }];
  }
  return [];
}
