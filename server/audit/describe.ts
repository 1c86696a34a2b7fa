// The audit log as a person reads it: names instead of internal ids (each feature names its own ids
// through the NamesOf function the app passes in: audit imports no feature), actions and sections in the
// page's language, and each change as "field: before → after" in words, dates and names, not JSON.
import { hasKey, LANGUAGE_NAMES, LANGUAGES, translate, type Lang } from '../lib/i18n/index.js';
import { formatWhen } from './format.js';
import type { AuditView } from './service.js';

type Localized = Record<Lang, string>;
/** Names for ids ("fac_…", "c…", "usr_…", "instrument@2"); ids nobody knows are left out of the map. */
export type NamesOf = (ids: readonly string[]) => Promise<ReadonlyMap<string, string | Localized>>;

export interface ChangeLine {
  field: string;
  /** Absent: the entry has no earlier value (a creation). */
  before?: string;
  after?: string;
}

export interface EntryLine {
  id: string;
  when: string;
  who: string;
  whoEmail: string;
  action: string;
  section: string;
  object: string;
  /** The internal id, shown only when no name is known for it. */
  objectId?: string;
  changes: ChangeLine[];
}

/** Keys that say nothing to a reader. */
const HIDDEN_FIELDS = new Set(['createdAt', 'updatedAt', '_id', 'id']);
/** Catalogue prefixes that name the values of a field ("status: open" → "Open"). */
const VALUE_KEYS: Record<string, string> = { status: 'results.status.', role: 'accounts.roles.', level: 'org.levels.', liveResults: 'campaigns.live.', kind: 'campaigns.audience.', source: 'audit.sources.' };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_FIELDS = 14;
const MAX_LIST = 8;
const MAX_TEXT = 200;
/** What may be an id worth a look-up: one token of letters, digits, _ - @, not too long. */
const MAYBE_ID = /^[A-Za-z0-9_-]{3,60}(?:@\d{1,6})?$/;

const isLocalized = (v: unknown): v is Localized => typeof v === 'object' && v !== null && !Array.isArray(v) && LANGUAGES.every((l) => typeof (v as Record<string, unknown>)[l] === 'string') && Object.keys(v).length === 3;
/** "openLinkCap" → "open link cap": for keys the catalogue has no label for. */
const humanize = (key: string) => key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

function label(lang: Lang, prefix: string, key: string): string {
  return hasKey(lang, `${prefix}${key}`) ? translate(lang, `${prefix}${key}`) : humanize(key);
}

/** Every string in an entry that could be an id: the object, the actor, and the values before and after. */
function idsIn(entries: readonly AuditView[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 4) return;
    if (typeof v === 'string') {
      if (MAYBE_ID.test(v)) out.add(v);
    } else if (Array.isArray(v)) for (const x of v.slice(0, MAX_LIST)) walk(x, depth + 1);
    else if (v && typeof v === 'object' && !(v instanceof Date)) for (const x of Object.values(v)) walk(x, depth + 1);
  };
  for (const e of entries) {
    out.add(e.entityId);
    out.add(e.actorId);
    walk(e.before, 0);
    walk(e.after, 0);
  }
  return [...out];
}

function describeValue(value: unknown, field: string, lang: Lang, names: ReadonlyMap<string, string | Localized>, depth = 0): string {
  if (value === null || value === undefined || value === '') return '—';
  if (value instanceof Date) return formatWhen(value, lang);
  if (typeof value === 'boolean') return translate(lang, value ? 'audit.yes' : 'audit.no');
  // Counts, sizes, years: as written (a year is not "2,024").
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const named = names.get(value);
    if (named !== undefined) return typeof named === 'string' ? named : named[lang];
    if (ISO_DATE.test(value)) return formatWhen(value, lang);
    if (field === 'lang' && (LANGUAGES as readonly string[]).includes(value)) return LANGUAGE_NAMES[value as Lang];
    if (field === 'audience' && hasKey(lang, `instruments.audience.${value}`)) return translate(lang, `instruments.audience.${value}`);
    const prefix = VALUE_KEYS[field];
    if (prefix && hasKey(lang, `${prefix}${value}`)) return translate(lang, `${prefix}${value}`);
    return clip(value);
  }
  if (depth > 3) return '…';
  if (Array.isArray(value)) {
    if (!value.length) return '—';
    const shown = value.slice(0, MAX_LIST).map((v) => describeValue(v, field, lang, names, depth + 1));
    return value.length > MAX_LIST ? `${shown.join(', ')} ${translate(lang, 'audit.more', { count: value.length - MAX_LIST })}` : shown.join(', ');
  }
  if (isLocalized(value)) return clip(value[lang]);
  const record = value as Record<string, unknown>;
  // A campaign's audience: "Educational programmes: Informatics, Pedagogy".
  if (typeof record.kind === 'string' && Array.isArray(record.ids)) {
    const kind = describeValue(record.kind, 'kind', lang, names, depth + 1);
    return record.ids.length ? `${kind}: ${describeValue(record.ids, 'ids', lang, names, depth + 1)}` : kind;
  }
  return clip(
    Object.entries(record)
      .filter(([k, v]) => !HIDDEN_FIELDS.has(k) && v !== undefined)
      .map(([k, v]) => `${label(lang, 'audit.fields.', k)}: ${describeValue(v, k, lang, names, depth + 1)}`)
      .join('; '),
  );
}

function changeLines(entry: AuditView, lang: Lang, names: ReadonlyMap<string, string | Localized>): ChangeLine[] {
  const asRecord = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const before = asRecord(entry.before);
  const after = asRecord(entry.after);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !HIDDEN_FIELDS.has(k));
  return fields.slice(0, MAX_FIELDS).map((field) => ({
    field: label(lang, 'audit.fields.', field),
    ...(field in before ? { before: describeValue(before[field], field, lang, names) } : {}),
    ...(field in after ? { after: describeValue(after[field], field, lang, names) } : {}),
  }));
}

/** The page's lines for a page of entries: one look-up of names for all of them. */
export async function describeEntries(entries: readonly AuditView[], lang: Lang, namesOf: NamesOf): Promise<EntryLine[]> {
  const names = await namesOf(idsIn(entries));
  const nameOf = (id: string) => {
    const n = names.get(id);
    return n === undefined ? undefined : typeof n === 'string' ? n : n[lang];
  };
  return entries.map((e) => {
    const object = nameOf(e.entityId);
    return {
      id: e.id,
      when: formatWhen(e.at, lang),
      who: e.actorId === 'system' ? translate(lang, 'audit.system') : (nameOf(e.actorId) ?? e.actorEmail),
      whoEmail: e.actorId === 'system' ? '' : e.actorEmail,
      action: label(lang, 'audit.actions.', e.action),
      section: label(lang, 'audit.entities.', e.entity),
      object: object ?? e.entityId,
      ...(object === undefined ? { objectId: e.entityId } : {}),
      changes: changeLines(e, lang, names),
    };
  });
}

/** The sections the filter offers, in the page's language. */
export function sectionChoices(lang: Lang, selected: string | undefined): { value: string; label: string; selected: boolean }[] {
  return ['users', 'faculties', 'departments', 'programmes', 'cohorts', 'disciplines', 'campaigns', 'instruments', 'contacts', 'invitation_templates', 'councils', 'council_meetings', 'council_actions', 'monitoring_calendar', 'indicator_targets', 'graduate_employment'].map((value) => ({ value, label: label(lang, 'audit.entities.', value), selected: value === selected }));
}
