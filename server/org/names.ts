// Names of units by id in every language, for pages that show what an id refers to (the audit log):
// read from the in-memory snapshot, archived units included. A cohort is named with its programme.
import type { LocalizedName } from './models.js';
import { loadOrgSnapshot } from './snapshot.js';

export async function unitNames(ids: readonly string[]): Promise<Map<string, LocalizedName>> {
  const org = await loadOrgSnapshot();
  const out = new Map<string, LocalizedName>();
  for (const id of ids) {
    const unit = org.faculty.get(id) ?? org.department.get(id) ?? org.programme.get(id) ?? org.discipline.get(id);
    if (unit) out.set(id, unit.name);
    const cohort = org.cohort.get(id);
    if (cohort) {
      const programme = org.programme.get(cohort.programme)?.name;
      out.set(id, programme ? { kk: `${programme.kk} · ${cohort.label}`, ru: `${programme.ru} · ${cohort.label}`, en: `${programme.en} · ${cohort.label}` } : { kk: cohort.label, ru: cohort.label, en: cohort.label });
    }
  }
  return out;
}
