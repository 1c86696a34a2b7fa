// Adapts the org feature's snapshot (cached in memory) to what campaigns need; archived units are left out.
import { loadOrgSnapshot } from '../org/snapshot.js';
import { onOrgChanged } from '../org/version.js';
import type { OrgView } from './audience.js';

let cached: { version: string; view: OrgView; checkedAt: number } | undefined;
/** The respondent path asks for this on every page: re-check the org version at most this often. */
const RECHECK_MS = 2_000;
onOrgChanged(() => (cached = undefined));

export async function orgView(): Promise<OrgView> {
  if (cached && Date.now() - cached.checkedAt < RECHECK_MS) return cached.view;
  const org = await loadOrgSnapshot();
  if (cached?.version === org.version) cached.checkedAt = Date.now();
  if (cached?.version === org.version) return cached.view;
  const live = <T extends { archived: boolean }>(items: readonly T[]) => items.filter((i) => !i.archived);
  const view: OrgView = {
    faculties: live(org.faculties).map((f) => ({ id: f.id, name: f.name })),
    programmes: live(org.programmes).map((p) => ({ id: p.id, faculty: p.faculty, code: p.code, name: p.name })),
    cohorts: live(org.cohorts).map((c) => ({ id: c.id, programme: c.programme, entryYear: c.entryYear, label: c.label, size: c.size })),
    disciplines: live(org.disciplines).map((d) => ({ id: d.id, programmes: d.programmes, code: d.code, name: d.name })),
  };
  cached = { version: org.version, view, checkedAt: Date.now() };
  return view;
}
