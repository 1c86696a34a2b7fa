// The units a campaign's results are broken down by (university → faculty → programme → cohort, and
// disciplines), with names, parents, target sizes (campaigns/target.ts: enrolment, or the stated target of
// the whole) and what scope each belongs to.
import type { CampaignDoc } from '../campaigns/model.js';
import type { OrgView } from '../campaigns/audience.js';
import { audienceCohorts, type UnitTargets } from '../campaigns/target.js';
import type { LocalizedText } from '../instruments/schema.js';
import { safeKey, unitKey, UNIVERSITY_UNIT, type Level } from '../responses/segment.js';
import type { CampaignAggregates, UnitCounters } from './aggregates/store.js';

export interface ResultUnit {
  key: string;
  level: Level;
  id: string;
  name: LocalizedText;
  parent?: string;
  /** For scope checks: the faculty and programme this unit lies in. */
  faculty?: string;
  programme?: string;
  /** Population size for the response rate, when known. */
  target?: number;
}

const UNIVERSITY_NAME: LocalizedText = { kk: 'Университет бойынша', ru: 'По университету', en: 'University' };

/** The units of a campaign in the given view of the structure, with their targets if given (pure: callers cache by the view). */
export function campaignUnits(campaign: CampaignDoc, org: OrgView, targets?: UnitTargets): ResultUnit[] {
  const units: ResultUnit[] = [{ key: 'university', level: 'university', id: UNIVERSITY_UNIT, name: UNIVERSITY_NAME, target: targets?.total || undefined }];
  // A course evaluation is broken down by discipline only. Students of one programme take several
  // disciplines, so a second breakdown by faculty and programme would cross-classify the same people, and
  // "programme minus one discipline" could isolate the few who took another: one partition, one gate.
  if (campaign.audience.kind === 'discipline') return [...units, ...disciplineUnits(campaign, org)];
  const programmes = org.programmes.filter((p) => campaign.programmes.includes(p.id));
  const cohorts = audienceCohorts(campaign, org);
  const target = (map: Map<string, number> | undefined, id: string) => map?.get(id) || undefined;
  for (const f of org.faculties.filter((x) => campaign.faculties.includes(x.id))) {
    units.push({ key: unitKey('faculty', f.id), level: 'faculty', id: f.id, name: f.name, parent: 'university', faculty: f.id, target: target(targets?.faculty, f.id) });
  }
  for (const p of programmes) {
    units.push({ key: unitKey('programme', p.id), level: 'programme', id: p.id, name: { kk: `${p.code} ${p.name.kk}`, ru: `${p.code} ${p.name.ru}`, en: `${p.code} ${p.name.en}` }, parent: unitKey('faculty', p.faculty), faculty: p.faculty, programme: p.id, target: target(targets?.programme, p.id) });
  }
  for (const c of cohorts) {
    // A cohort whose programme was archived while the campaign ran goes with its programme.
    const p = programmes.find((x) => x.id === c.programme);
    if (!p) continue;
    const label = `${p.code} · ${c.label || c.entryYear}`;
    units.push({ key: unitKey('cohort', c.id), level: 'cohort', id: c.id, name: { kk: label, ru: label, en: label }, parent: unitKey('programme', c.programme), faculty: p.faculty, programme: p.id, target: target(targets?.cohort, c.id) });
  }
  return units;
}

function disciplineUnits(campaign: CampaignDoc, org: OrgView): ResultUnit[] {
  const programmes = org.programmes.filter((p) => campaign.programmes.includes(p.id));
  return org.disciplines
    .filter((x) => campaign.audience.ids.includes(x.id))
    .map((d) => {
      const owner = programmes.find((p) => d.programmes.includes(p.id));
      return { key: unitKey('discipline', d.id), level: 'discipline', id: d.id, name: { kk: `${d.code} ${d.name.kk}`, ru: `${d.code} ${d.name.ru}`, en: `${d.code} ${d.name.en}` }, parent: 'university', faculty: owner?.faculty, programme: owner?.id };
    });
}

/** A unit's counters in a campaign's aggregates. */
export const countersOf = (agg: CampaignAggregates, unit: ResultUnit): UnitCounters | undefined => {
  const c = agg[unit.level][unit.level === 'university' ? UNIVERSITY_UNIT : safeKey(unit.id)];
  // A unit whose responses answered no question (all skipped or hidden) has a count but no item counters.
  return c && { ...c, n: c.n ?? 0, items: c.items ?? {} };
};

/** Counters by unit key (for the pure cut functions). */
export function countersByKey(agg: CampaignAggregates, units: readonly ResultUnit[]): (key: string) => UnitCounters | undefined {
  const byKey = new Map(units.map((u) => [u.key, countersOf(agg, u)]));
  return (key) => byKey.get(key);
}

/** Units in tree order (each followed by its children; units whose parent is not among them last), so indented lists, selects and exports read as a tree. */
export function treeOrder<U extends { key: string; parent?: string }>(units: readonly U[]): U[] {
  const children = new Map<string, U[]>();
  for (const u of units) children.set(u.parent ?? '', [...(children.get(u.parent ?? '') ?? []), u]);
  const out: U[] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    for (const child of children.get(key) ?? []) {
      if (seen.has(child.key)) continue;
      seen.add(child.key);
      out.push(child);
      visit(child.key);
    }
  };
  visit('');
  return [...out, ...units.filter((u) => !seen.has(u.key))];
}
