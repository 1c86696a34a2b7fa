// Contact list import: the CSV reader of the structure import (org/csv.ts), then per-row checks (email,
// language, programme of the campaign's audience), duplicates merged by email (case-insensitive). A file
// with any problem imports nothing; new contacts are inserted all or none, their tokens in one random batch.
import mongoose from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import type { CampaignDoc } from '../campaigns/model.js';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { isLang, type Lang } from '../lib/i18n/index.js';
import { atLine, problem, type Problem } from '../lib/problems.js';
import { parseCsv, type CsvProblem } from '../org/csv.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { storeTokens, today, Token, tokenHash } from '../campaigns/tokens.js';
import { contactIdOf, contactToken, unsubscribeIdOf } from './keys.js';
import { Contact, Mailing, segmentOf, UnsubscribeKey, type ContactDoc, type ContactSource } from './model.js';

export const CONTACT_COLUMNS = { required: ['name', 'organisation', 'email', 'language', 'programme'] } as const;

export interface ContactRowReport {
  line: number;
  values: string[];
  problems: Problem[];
  /** Set when this row repeats an earlier row's email (merged into it). */
  mergedInto?: number;
}

export interface ContactImportReport {
  columns: string[];
  rows: ContactRowReport[];
  problems: CsvProblem[];
  /** Distinct contacts in the file (after merging duplicates); 0 when there is any problem. */
  importable: number;
  merged: number;
  imported: number;
  /** Contacts that were already in the campaign (their details were updated). */
  updated: number;
}

export interface ContactInput {
  name: string;
  organisation: string;
  email: string;
  lang: Lang;
  programme: string;
  faculty: string;
  /** Roster rows: the cohort id. */
  cohort?: string;
}

/** Most contacts one campaign holds (its mailing lists their ids in one document). */
export const MAX_CONTACTS_PER_CAMPAIGN = 20_000;

const emailSchema = z.email();

/** Control characters and the bidirectional overrides that make a name read differently than it is. */
const HIDDEN = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Angle brackets: no person's or organisation's name has them, markup (`<script>`, `<a href>`) does. */
const MARKUP = /[<>]/;
/** What a file decoded with the wrong encoding leaves behind (the replacement character). */
const MOJIBAKE = /\uFFFD/;

/** The problems of a name-like cell (a person's name, an organisation). */
export function nameProblems(column: string, value: string): Problem[] {
  const problems: Problem[] = [];
  if (value.length > 200) problems.push(problem('tooLong', { column, count: 200 }));
  if (HIDDEN.test(value)) problems.push(problem('hiddenCharacters', { column }));
  if (MARKUP.test(value)) problems.push(problem('markup', { column }));
  if (MOJIBAKE.test(value)) problems.push(problem('wrongEncoding', { column }));
  return problems;
}

/** A cell as a problem shows it: at most `max` characters. */
export const cellValue = (value: string, max = 80): string => (value.length > max ? `${value.slice(0, max)}…` : value);

export async function checkContacts(campaign: CampaignDoc, text: string): Promise<{ report: ContactImportReport; inputs: ContactInput[] }> {
  const parsed = parseCsv(text, CONTACT_COLUMNS);
  const org = await loadOrgSnapshot();
  const byLine = new Map<number, Problem[]>();
  for (const p of parsed.problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  const seen = new Map<string, number>();
  const inputs: ContactInput[] = [];
  let merged = 0;
  const rows: ContactRowReport[] = parsed.rows.map((row) => {
    const problems = [...(byLine.get(row.line) ?? [])];
    const c = row.cells;
    const name = (c.name ?? '').trim();
    const email = (c.email ?? '').trim();
    const lang = (c.language ?? '').trim().toLowerCase();
    const code = (c.programme ?? '').trim().toUpperCase();
    if (!name) problems.push(problem('empty', { column: 'name' }));
    problems.push(...nameProblems('name', name), ...nameProblems('organisation', (c.organisation ?? '').trim()));
    if (!emailSchema.safeParse(email).success || email.length > 254) problems.push(problem('email', { value: cellValue(email) }));
    if (!isLang(lang)) problems.push(problem('language', { value: cellValue(c.language ?? '', 20) }));
    const programme = org.programmes.find((p) => p.code.toUpperCase() === code && !p.archived);
    if (!programme) problems.push(problem('noProgramme', { column: 'programme', value: cellValue(c.programme ?? '') }));
    else if (campaign.programmes.length && !campaign.programmes.includes(programme.id)) problems.push(problem('programmeOutside', { value: code }));
    let mergedInto: number | undefined;
    if (!problems.length) {
      const key = email.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        mergedInto = first;
        merged += 1;
      } else {
        seen.set(key, row.line);
        inputs.push({ name, organisation: (c.organisation ?? '').trim(), email, lang: lang as Lang, programme: programme!.id, faculty: programme!.faculty });
      }
    }
    return { line: row.line, values: row.values, problems, ...(mergedInto ? { mergedInto } : {}) };
  });
  // Problems of the file's shape (the header, an unclosed quote) are on lines that are not rows.
  const rowLines = new Set(rows.map((r) => r.line));
  const problems = [...parsed.problems.filter((p) => !rowLines.has(p.line)), ...rows.flatMap((r) => r.problems.map((p) => atLine(r.line, p)))];
  if (!parsed.problems.length && !rows.length) problems.push(atLine(2, problem('noRows')));
  return { report: { columns: parsed.columns, rows, problems, importable: problems.length ? 0 : inputs.length, merged, imported: 0, updated: 0 }, inputs };
}

/**
 * Imports a checked file whole: new contacts all or none; contacts already in the campaign get the new
 * details. The personal tokens of the list are stored here, in one batch in random order and apart from
 * sending, so neither the token records' order nor the time they were written follows any contact.
 */
export async function importContacts(actor: Actor, config: Pick<Config, 'jwtSecret'>, campaign: CampaignDoc, text: string): Promise<ContactImportReport> {
  const { report, inputs } = await checkContacts(campaign, text);
  if (report.problems.length) return report;
  const { imported, updated } = await saveContacts(actor, config, campaign._id, 'contacts', inputs, { merged: report.merged });
  return { ...report, imported, updated };
}

/**
 * Writes checked contacts (a contact list's or a roster's): new ones all or none with their tokens,
 * existing ones get the new details (a token not yet used counts where the contact now belongs), the
 * mailing lists every id. The audit entry counts; it never lists addresses.
 */
export async function saveContacts(actor: Actor, config: Pick<Config, 'jwtSecret'>, campaignId: string, source: ContactSource, inputs: ContactInput[], audit: Record<string, number>): Promise<{ imported: number; updated: number }> {
  const createdOn = today();
  const withIds = inputs.map((input) => ({ ...input, _id: contactIdOf(campaignId, input.email) }));
  // A contact of this campaign is listed in its mailing (the id includes the campaign): no read per new row.
  const mailing = await Mailing.findById(campaignId, { contactIds: 1 }).lean();
  const listed = new Set(mailing?.contactIds ?? []);
  const existing = new Map<string, ContactDoc>();
  for (const c of withIds) {
    const found = listed.has(c._id) ? ((await Contact.findById(c._id).lean()) as ContactDoc | null) : null;
    if (found) existing.set(c._id, found);
  }
  const fresh = withIds.filter((c) => !existing.has(c._id));
  if (listed.size + fresh.length > MAX_CONTACTS_PER_CAMPAIGN) {
    throw new AppError(413, 'too_many_contacts', `Nothing was imported: a campaign holds at most ${MAX_CONTACTS_PER_CAMPAIGN.toLocaleString('en')} contacts (it has ${listed.size}, the file adds ${fresh.length}).`);
  }
  const docs = fresh.map((c) => ({ ...c, source, cohort: c.cohort ?? '', campaign: campaignId, createdOn, tokenStored: true }));
  // Tokens for every new contact, and for contacts imported before tokens were stored at import.
  const needTokens = withIds.filter((c) => !existing.get(c._id)?.tokenStored);
  await storeTokens(
    campaignId,
    needTokens.map((c) => ({ token: contactToken(config.jwtSecret, campaignId, c._id), segment: segmentOf({ ...c, cohort: c.cohort ?? '' }) })),
    'invitation',
  );
  const keys = fresh.map((c) => ({ _id: unsubscribeIdOf(config.jwtSecret, c._id), contact: c._id }));
  try {
    if (docs.length) await Contact.insertMany(docs, { ordered: true });
    if (keys.length) await UnsubscribeKey.insertMany(keys, { ordered: false }).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 11000) throw err;
    });
  } catch {
    const ids = docs.map((d) => d._id);
    await Contact.deleteMany({ _id: mongoose.trusted({ $in: ids }) });
    throw new AppError(409, 'import_failed', 'Nothing was imported: the database refused a row. Try again.');
  }
  for (const c of withIds.filter((x) => existing.has(x._id))) {
    const before = existing.get(c._id)!;
    const cohort = c.cohort ?? before.cohort ?? '';
    await Contact.updateOne({ _id: c._id }, { $set: { name: c.name, organisation: c.organisation, lang: c.lang, programme: c.programme, faculty: c.faculty, cohort, tokenStored: true } });
    // A token not yet used counts where the contact now belongs.
    if (before.tokenStored && (before.programme !== c.programme || before.faculty !== c.faculty || (before.cohort ?? '') !== cohort)) {
      await Token.updateOne({ _id: tokenHash(contactToken(config.jwtSecret, campaignId, c._id)) }, { $set: { segment: segmentOf({ ...c, cohort }) } });
    }
  }
  await Mailing.updateOne({ _id: campaignId }, { $addToSet: { contactIds: { $each: withIds.map((c) => c._id) } }, $set: { updatedAt: new Date() } }, { upsert: true });
  await recordAudit(actor, { action: 'import', entity: source === 'roster' ? 'roster' : 'contacts', entityId: campaignId, after: { imported: docs.length, updated: existing.size, ...audit } });
  return { imported: docs.length, updated: existing.size };
}
