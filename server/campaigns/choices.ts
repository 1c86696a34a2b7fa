// What the campaign forms offer: published instrument versions, and the units of the structure an audience
// can name, labelled in the page's language and grouped the way people look for them (by faculty).
import type { Actor } from '../accounts/actor.js';
import { InstrumentVersion, type InstrumentVersionDoc } from '../instruments/model.js';
import type { LocalizedText } from '../instruments/schema.js';
import type { Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot, type OrgSnapshot } from '../org/snapshot.js';
import type { AudienceKind, CampaignDoc } from './model.js';

export const pick = (text: LocalizedText, lang: Lang): string => text[lang] || text.kk || text.ru || text.en;

export interface InstrumentChoice {
  id: string;
  title: string;
  /** The newest published version's title in every language: a new campaign's titles start from it. */
  titles: LocalizedText;
  versions: { value: string; version: number }[];
}

/**
 * Every published version of every instrument ("id@version"), newest version first. One read of the
 * versions collection (the instruments service would read it once per instrument); published versions
 * never change, so reading the model directly cannot disagree with the service.
 */
export async function publishedVersions(_actor: Actor, lang: Lang): Promise<InstrumentChoice[]> {
  const docs = await InstrumentVersion.find({ status: 'published' }, { instrumentId: 1, version: 1, 'definition.title': 1 }).lean<(Pick<InstrumentVersionDoc, 'instrumentId' | 'version'> & { definition: { title: LocalizedText } })[]>();
  const byId = new Map<string, InstrumentChoice>();
  for (const doc of [...docs].sort((a, b) => b.version - a.version)) {
    const choice: InstrumentChoice = byId.get(doc.instrumentId) ?? { id: doc.instrumentId, title: pick(doc.definition.title, lang), titles: doc.definition.title, versions: [] };
    choice.versions.push({ value: `${doc.instrumentId}@${doc.version}`, version: doc.version });
    byId.set(doc.instrumentId, choice);
  }
  return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title, lang));
}

export interface UnitOption {
  id: string;
  label: string;
}
export interface UnitGroup {
  label: string;
  units: UnitOption[];
}
export type UnitChoices = Record<Exclude<AudienceKind, 'university' | 'contacts'>, UnitGroup[]>;

const facultyLabel = (org: OrgSnapshot, id: string, lang: Lang) => {
  const f = org.faculty.get(id);
  return f ? `${f.code} · ${pick(f.name, lang)}` : id;
};
const programmeLabel = (org: OrgSnapshot, id: string, lang: Lang) => {
  const p = org.programme.get(id);
  return p ? `${p.code} ${pick(p.name, lang)}` : id;
};

/** Live units of each kind, grouped by faculty (cohorts by programme), labelled in `lang`. */
export async function unitChoices(lang: Lang): Promise<UnitChoices> {
  const org = await loadOrgSnapshot();
  const faculties = org.faculties.filter((f) => !f.archived);
  const programmes = org.programmes.filter((p) => !p.archived);
  const byFaculty = <T>(items: T[], facultyOf: (item: T) => string | undefined, option: (item: T) => UnitOption): UnitGroup[] =>
    faculties
      .map((f) => ({ label: facultyLabel(org, f.id, lang), units: items.filter((i) => facultyOf(i) === f.id).map(option) }))
      .filter((g) => g.units.length > 0);
  return {
    faculty: [{ label: '', units: faculties.map((f) => ({ id: f.id, label: facultyLabel(org, f.id, lang) })) }],
    programme: byFaculty(programmes, (p) => p.faculty, (p) => ({ id: p.id, label: programmeLabel(org, p.id, lang) })),
    cohort: programmes
      .map((p) => ({
        label: programmeLabel(org, p.id, lang),
        units: org.cohorts.filter((c) => !c.archived && c.programme === p.id).map((c) => ({ id: c.id, label: `${c.label} (${c.size})` })),
      }))
      .filter((g) => g.units.length > 0),
    discipline: byFaculty(
      org.disciplines.filter((d) => !d.archived),
      (d) => org.department.get(d.department)?.faculty,
      (d) => ({ id: d.id, label: `${d.code} ${pick(d.name, lang)}` }),
    ),
  };
}

/** A line per unit of a campaign's audience, for the details page ("6B06101 Informatics — 2023"). */
export async function audienceLabels(c: Pick<CampaignDoc, 'audience'>, lang: Lang): Promise<string[]> {
  const org = await loadOrgSnapshot();
  return c.audience.ids.map((id) => {
    switch (c.audience.kind) {
      case 'faculty':
        return facultyLabel(org, id, lang);
      case 'programme':
      case 'contacts':
        return programmeLabel(org, id, lang);
      case 'cohort': {
        const cohort = org.cohort.get(id);
        return cohort ? `${programmeLabel(org, cohort.programme, lang)} — ${cohort.label}` : id;
      }
      case 'discipline': {
        const d = org.discipline.get(id);
        return d ? `${d.code} ${pick(d.name, lang)}` : id;
      }
      default:
        return id;
    }
  });
}

/**
 * A cohort as its students read it on a printed slip, in the slips' language: "6B06101 Informatics — 2023".
 * Never its size: that is the department's planning figure, not something to hand out.
 */
export async function slipGroupLabel(cohortId: string, lang: Lang): Promise<string | undefined> {
  const org = await loadOrgSnapshot();
  const cohort = org.cohort.get(cohortId);
  return cohort ? `${programmeLabel(org, cohort.programme, lang)} — ${cohort.label}` : undefined;
}

/** Cohorts a campaign's slips can be printed for: those of its audience (the size helps the admin choose how many). */
export async function slipCohorts(c: Pick<CampaignDoc, 'audience' | 'programmes'>, lang: Lang): Promise<UnitOption[]> {
  const org = await loadOrgSnapshot();
  return org.cohorts
    .filter((k) => !k.archived && c.programmes.includes(k.programme) && (c.audience.kind !== 'cohort' || c.audience.ids.includes(k.id)))
    .map((k) => ({ id: k.id, label: `${programmeLabel(org, k.programme, lang)} — ${k.label} (${k.size})` }));
}
