// The university's structure. Colleagues use: org (services), loadOrgSnapshot, canSeeUnit, scopeFilter,
// filterVisible, visibleScope.
import type { Express, Router } from 'express';
import { orgApi } from './api.js';
import { orgPages } from './routes.js';

export { org, UNIT_KINDS, type UnitKind } from './service.js';
export { loadOrgSnapshot, invalidateOrgSnapshot, type OrgSnapshot, type FacultyUnit, type DepartmentUnit, type ProgrammeUnit, type CohortUnit, type DisciplineUnit } from './snapshot.js';
export { canSeeUnit, canEditStructure, scopeFilter, filterVisible, visibleScope, type VisibleScope } from './scope.js';
export { Faculty, Department, Programme, Cohort, Discipline, LEVELS, type Level, type LocalizedName } from './models.js';

export function mountOrg(app: Express, api: Router): void {
  app.use(orgPages());
  orgApi(api);
}
