// The campaign form (pages): reads the posted fields, checks them with messages in the page's language,
// next to the field they are about, and turns them into the service's input. The service checks again.
import { AUDIENCE_KINDS, type AudienceKind, type CampaignDoc } from './model.js';
import { academicYearOf, endOfDay, isAcademicYear, localDay, startOfDay } from './dates.js';
import type { CampaignInput } from './service.js';
import { LANGUAGES } from '../lib/i18n/index.js';
import { checkboxField, formSchema, listField, textField } from '../lib/forms.js';

export const UNIT_KINDS = ['faculty', 'programme', 'cohort', 'discipline', 'contacts'] as const;
type UnitKind = (typeof UNIT_KINDS)[number];

export interface CampaignForm {
  title: { kk: string; ru: string; en: string };
  instrument: string;
  audienceKind: string;
  units: Record<UnitKind, string[]>;
  academicYear: string;
  opensOn: string;
  closesOn: string;
  targetSize: string;
  openLinkEnabled: boolean;
  openLinkCap: string;
  /** '' = as the instrument suggests */
  liveResults: string;
  /** Blind-signed credentials: '' = as the instrument suggests (on with sensitive items), 'on', 'off'. */
  blindCredentials: string;
}

/** Field name → catalogue key of the message (campaigns.errors.*). */
export type FieldErrors = Partial<Record<'title_kk' | 'title_ru' | 'title_en' | 'instrument' | 'audienceKind' | 'units' | 'academicYear' | 'opensOn' | 'closesOn' | 'targetSize' | 'openLinkCap' | 'form', string>>;

const MAX_TITLE = 300;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTRUMENT = /^([a-z][a-z0-9_-]{0,47})@(\d{1,6})$/;


export function emptyForm(academicYear: string): CampaignForm {
  return {
    title: { kk: '', ru: '', en: '' },
    instrument: '',
    audienceKind: 'faculty',
    units: { faculty: [], programme: [], cohort: [], discipline: [], contacts: [] },
    academicYear,
    opensOn: '',
    closesOn: '',
    targetSize: '',
    openLinkEnabled: true,
    openLinkCap: '',
    liveResults: '',
    blindCredentials: '',
  };
}

export function formFromCampaign(c: CampaignDoc, fromEnrolment: boolean): CampaignForm {
  const form = emptyForm(c.academicYear);
  if (c.audience.kind !== 'university') form.units[c.audience.kind] = [...c.audience.ids];
  return {
    ...form,
    title: { kk: c.title.kk, ru: c.title.ru, en: c.title.en },
    instrument: `${c.instrument.id}@${c.instrument.version}`,
    audienceKind: c.audience.kind,
    opensOn: localDay(c.opensAt),
    closesOn: localDay(c.closesAt),
    // A target from enrolment is not typed: the field stays empty (older campaigns may have stored one).
    targetSize: c.targetSize > 0 && !fromEnrolment ? String(c.targetSize) : '',
    openLinkEnabled: c.openLinkEnabled,
    openLinkCap: c.openLinkCap ? String(c.openLinkCap) : '',
    liveResults: c.liveResults ?? '',
    blindCredentials: c.blindCredentials ? 'on' : 'off',
  };
}

/**
 * Titles left empty take the instrument's title with the academic year ("Student satisfaction 2025-2026"):
 * a campaign needs a title in each language, and the instrument already has them.
 */
export function withDefaultTitles(form: CampaignForm, instrumentTitle: { kk: string; ru: string; en: string } | undefined): CampaignForm {
  if (!instrumentTitle) return form;
  const year = isAcademicYear(form.academicYear) ? ` ${form.academicYear}` : '';
  const title = Object.fromEntries(LANGUAGES.map((lang) => [lang, form.title[lang] || `${instrumentTitle[lang]}${year}`.slice(0, MAX_TITLE)])) as CampaignForm['title'];
  return { ...form, title };
}

const trimmed = (max: number) => textField(max).transform((v) => v.trim());
const units = listField(200).transform((l) => l.filter((id) => id.length <= 60));

/** The campaign form as posted (checkForm then checks it with messages next to the fields). */
export const campaignForm = formSchema({
  title_kk: trimmed(1_000),
  title_ru: trimmed(1_000),
  title_en: trimmed(1_000),
  instrument: trimmed(100),
  audienceKind: trimmed(40),
  ...(Object.fromEntries(UNIT_KINDS.map((k) => [`units_${k}`, units])) as Record<`units_${UnitKind}`, typeof units>),
  academicYear: trimmed(20),
  opensOn: trimmed(20),
  closesOn: trimmed(20),
  targetSize: trimmed(20),
  openLinkEnabled: checkboxField,
  openLinkCap: trimmed(20),
  liveResults: trimmed(20),
  blindCredentials: trimmed(20),
}).transform(
  (b): CampaignForm => ({
    title: { kk: b.title_kk, ru: b.title_ru, en: b.title_en },
    instrument: b.instrument,
    audienceKind: b.audienceKind,
    units: Object.fromEntries(UNIT_KINDS.map((k) => [k, b[`units_${k}`]])) as Record<UnitKind, string[]>,
    academicYear: b.academicYear,
    opensOn: b.opensOn,
    closesOn: b.closesOn,
    targetSize: b.targetSize,
    openLinkEnabled: b.openLinkEnabled,
    openLinkCap: b.openLinkCap,
    liveResults: b.liveResults,
    blindCredentials: b.blindCredentials,
  }),
);

const isDay = (v: string) => DAY.test(v) && !Number.isNaN(startOfDay(v).getTime()) && localDay(startOfDay(v)) === v;
const wholeNumber = (v: string, min: number, max: number) => /^\d{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max;

/** Checks a posted form; returns the service input, or the errors by field. */
export function checkForm(form: CampaignForm, publishedValues: ReadonlySet<string>): { input?: CampaignInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  for (const lang of LANGUAGES) {
    const value = form.title[lang];
    if (!value) errors[`title_${lang}`] = 'campaigns.errors.required';
    else if (value.length > MAX_TITLE) errors[`title_${lang}`] = 'campaigns.errors.tooLong';
  }
  const instrument = INSTRUMENT.exec(form.instrument);
  if (!instrument) errors.instrument = 'campaigns.errors.chooseInstrument';
  else if (!publishedValues.has(form.instrument)) errors.instrument = 'campaigns.errors.notPublished';

  const kind = (AUDIENCE_KINDS as readonly string[]).includes(form.audienceKind) ? (form.audienceKind as AudienceKind) : undefined;
  if (!kind) errors.audienceKind = 'campaigns.errors.chooseAudience';
  const ids = kind && kind !== 'university' ? form.units[kind] : [];
  if (kind && kind !== 'university' && kind !== 'contacts' && ids.length === 0) errors.units = 'campaigns.errors.chooseUnits';

  if (!isAcademicYear(form.academicYear)) errors.academicYear = 'campaigns.errors.academicYear';
  if (!isDay(form.opensOn)) errors.opensOn = 'campaigns.errors.date';
  // The plan files a campaign under its academic year by the month it opens, so the two must agree.
  else if (!errors.academicYear && academicYearOf(startOfDay(form.opensOn)) !== form.academicYear) errors.opensOn = 'campaigns.errors.outsideYear';
  if (!isDay(form.closesOn)) errors.closesOn = 'campaigns.errors.date';
  else if (!errors.opensOn && form.closesOn < form.opensOn) errors.closesOn = 'campaigns.errors.closesBeforeOpens';

  // Only audiences without enrolment state a target; the service says which (campaigns/target.ts).
  let targetSize: number | undefined;
  if (form.targetSize) {
    if (wholeNumber(form.targetSize, 1, 1_000_000)) targetSize = Number(form.targetSize);
    else errors.targetSize = 'campaigns.errors.targetSize';
  }
  if (form.openLinkCap && !wholeNumber(form.openLinkCap, 0, 10_000_000)) errors.openLinkCap = 'campaigns.errors.cap';

  if (Object.keys(errors).length || !instrument || !kind) return { errors };
  return {
    errors,
    input: {
      title: { ...form.title },
      instrument: { id: instrument[1]!, version: Number(instrument[2]) },
      audience: { kind, ids },
      academicYear: form.academicYear,
      opensAt: startOfDay(form.opensOn),
      closesAt: endOfDay(form.closesOn),
      ...(targetSize === undefined ? {} : { targetSize }),
      openLinkEnabled: form.openLinkEnabled,
      openLinkCap: form.openLinkCap ? Number(form.openLinkCap) : 0,
      ...(form.liveResults === 'counts' || form.liveResults === 'figures' ? { liveResults: form.liveResults } : {}),
      ...(form.blindCredentials === 'on' || form.blindCredentials === 'off' ? { blindCredentials: form.blindCredentials === 'on' } : {}),
    },
  };
}

/** Where a service error about a field (details[].path) is shown on the form. */
export function fieldOfServicePath(path: string | undefined): keyof FieldErrors {
  if (path === 'closesAt') return 'closesOn';
  if (path === 'opensAt') return 'opensOn';
  if (path === 'instrument') return 'instrument';
  if (path?.startsWith('audience')) return 'units';
  if (path === 'targetSize') return 'targetSize';
  return 'form';
}
