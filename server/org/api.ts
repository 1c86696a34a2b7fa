// The structure's JSON API: /api/faculties, /api/departments, /api/programmes, /api/cohorts,
// /api/disciplines (list, create, get, update, archive, restore) and /api/org/import/:kind.
import type { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole, requireUser } from '../accounts/session.js';
import { apiRoute } from '../lib/api-route.js';
import { namedSchema } from '../lib/openapi.js';
import { apiReport, importRejected, lineProblemSchema } from '../lib/problems.js';
import { IMPORT_KINDS, checkImport, runImport, type ImportKind } from './import.js';
import { LEVELS } from './models.js';
import * as s from './schemas.js';
import { org, UNIT_KINDS, type UnitKind } from './service.js';

const nameOut = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
const base = { id: z.string(), archived: z.boolean() };
const unitOut: Record<UnitKind, z.ZodType> = {
  faculties: namedSchema('Faculty', z.object({ ...base, code: z.string(), name: nameOut })),
  departments: namedSchema('Department', z.object({ ...base, faculty: z.string(), code: z.string(), name: nameOut })),
  programmes: namedSchema('Programme', z.object({ ...base, code: z.string(), name: nameOut, level: z.enum(LEVELS), faculty: z.string(), department: z.string() })),
  cohorts: namedSchema('Cohort', z.object({ ...base, programme: z.string(), entryYear: z.number().int(), size: z.number().int(), label: z.string() })),
  disciplines: namedSchema('Discipline', z.object({ ...base, code: z.string(), name: nameOut, department: z.string(), programmes: z.array(z.string()) })),
};
// The API's bodies state their rules exactly (s.apiBodies: numbers are JSON numbers, codes as the
// classifier writes them); the services check again with the forms' and the CSV import's looser reading.
const bodies: Record<UnitKind, { create: z.ZodType; patch: z.ZodType }> = {
  faculties: { create: s.facultyCreate, patch: s.facultyPatch },
  departments: { create: s.departmentCreate, patch: s.departmentPatch },
  programmes: s.apiBodies.programmes,
  cohorts: s.apiBodies.cohorts,
  disciplines: { create: s.disciplineCreate, patch: s.disciplinePatch },
};
const NOUN: Record<UnitKind, string> = { faculties: 'faculty', departments: 'department', programmes: 'programme', cohorts: 'cohort', disciplines: 'discipline' };

const idParams = z.object({ id: s.unitId });
const READ = 'signed-in users; each sees only the units in their scope (others answer 404)';
const WRITE = 'admin';

export function orgApi(api: Router): void {
  for (const kind of UNIT_KINDS) {
    const noun = NOUN[kind];
    const service = org[kind];
    const out = unitOut[kind];
    const common = { tags: ['org'] };
    apiRoute(api, { ...common, method: 'get', path: `/api/${kind}`, summary: `List ${kind}`, access: READ, query: s.listQueries[kind], response: z.object({ items: z.array(out) }) }, requireUser, async (_req, res) => {
      res.json({ items: await service.list(actorOf(res), res.locals.query as s.ListQuery) });
    });
    apiRoute(api, { ...common, method: 'post', path: `/api/${kind}`, summary: `Create a ${noun}`, access: WRITE, body: bodies[kind].create, response: out, status: 201 }, requireRole('admin'), async (_req, res) => {
      res.status(201).json(await service.create(actorOf(res), res.locals.body));
    });
    apiRoute(api, { ...common, method: 'get', path: `/api/${kind}/:id`, summary: `One ${noun}`, access: READ, params: idParams, response: out }, requireUser, async (_req, res) => {
      res.json(await service.get(actorOf(res), (res.locals.params as { id: string }).id));
    });
    apiRoute(api, { ...common, method: 'patch', path: `/api/${kind}/:id`, summary: `Change a ${noun}`, access: WRITE, params: idParams, body: bodies[kind].patch, response: out }, requireRole('admin'), async (_req, res) => {
      res.json(await service.update(actorOf(res), (res.locals.params as { id: string }).id, res.locals.body));
    });
    apiRoute(api, { ...common, method: 'post', path: `/api/${kind}/:id/archive`, summary: `Archive a ${noun} (hidden from lists and choices; its id stays valid)`, access: WRITE, params: idParams, response: out }, requireRole('admin'), async (_req, res) => {
      res.json(await service.archive(actorOf(res), (res.locals.params as { id: string }).id));
    });
    apiRoute(api, { ...common, method: 'post', path: `/api/${kind}/:id/restore`, summary: `Bring an archived ${noun} back`, access: WRITE, params: idParams, response: out }, requireRole('admin'), async (_req, res) => {
      res.json(await service.restore(actorOf(res), (res.locals.params as { id: string }).id));
    });
  }

  const importReport = z.object({
    kind: z.enum(IMPORT_KINDS),
    columns: z.array(z.string()),
    rows: z.array(z.object({ line: z.number(), values: z.array(z.string()), problems: z.array(z.string()).describe("the row's problems in English (the list below has them with keys)") })),
    problems: z.array(lineProblemSchema),
    importable: z.number(),
    imported: z.number(),
  });
  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/org/import/:kind',
      tags: ['org'],
      summary: 'Check (commit: false → 200 with a report) or import (commit: true → 201, or 422 listing the problems by line) a CSV of one kind of unit: all rows or none',
      description: 'Columns: ' + Object.entries({ faculties: 'code,name_kk,name_ru,name_en', departments: 'faculty,code,name_kk,name_ru,name_en', programmes: 'code,name_kk,name_ru,name_en,level?,faculty,department', cohorts: 'programme,entry_year,size,label', disciplines: 'code,name_kk,name_ru,name_en,department,programmes?' }).map(([k, v]) => `${k}: ${v}`).join('; '),
      access: WRITE,
      params: z.object({ kind: z.enum(IMPORT_KINDS) }),
      body: z.strictObject({ csv: z.string().min(1).max(90_000), commit: z.boolean().default(false) }),
      response: importReport,
      status: [200, 201],
    },
    requireRole('admin'),
    async (_req, res) => {
      const { kind } = res.locals.params as { kind: ImportKind };
      const { csv, commit } = res.locals.body as { csv: string; commit: boolean };
      if (!commit) return void res.json(apiReport((await checkImport(kind, csv)).report));
      const report = await runImport(actorOf(res), kind, csv);
      if (report.problems.length) {
        throw importRejected(report.problems);
      }
      res.status(201).json(apiReport(report));
    },
  );
}
