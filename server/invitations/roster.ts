// Students from a cohort roster: a CSV of email, name (optional), cohort (and optionally programme and
// language), checked row by row against the campaign's audience and imported all or none as contacts
// whose personal link counts in their cohort — exactly what a cohort's token slips carry, nothing finer.
// A student's language is the row's, else the one chosen for the file.
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { segmentChoice } from '../campaigns/audience.js';
import type { CampaignDoc } from '../campaigns/model.js';
import { orgView } from '../campaigns/org-view.js';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { isLang, type Lang } from '../lib/i18n/index.js';
import { atLine, problem, type Problem } from '../lib/problems.js';
import { parseCsv } from '../org/csv.js';
import type { ContactImportReport, ContactInput, ContactRowReport } from './import.js';
import { cellValue, nameProblems, saveContacts } from './import.js';
import { contactIdOf } from './keys.js';
import { Contact, Mailing, type ContactDoc } from './model.js';

export const ROSTER_COLUMNS = { required: ['email', 'cohort'], optional: ['name', 'programme', 'language'] } as const;

const emailSchema = z.email();

interface CohortChoice {
  id: string;
  programme: string;
  faculty: string;
  code: string;
  label: string;
}

/** "6B06101/2024" (programme code / label), a label with the programme column, or a label unique in the audience. */
function findCohort(cell: string, programmeCell: string, cohorts: CohortChoice[]): { cohort?: CohortChoice; problem?: Problem } {
  const value = cell.trim();
  const slash = value.lastIndexOf('/');
  const code = (slash > 0 ? value.slice(0, slash) : programmeCell).trim().toUpperCase();
  const label = (slash > 0 ? value.slice(slash + 1) : value).trim().toLowerCase();
  if (!label) return { problem: problem('empty', { column: 'cohort' }) };
  const matches = cohorts.filter((c) => c.label.toLowerCase() === label && (!code || c.code.toUpperCase() === code));
  if (matches.length === 1) return { cohort: matches[0] };
  if (!matches.length) return { problem: code && slash <= 0 ? problem('noCohortOfProgramme', { value: cellValue(value), programme: cellValue(code, 20) }) : problem('noCohort', { value: cellValue(value) }) };
  return { problem: problem('ambiguousCohort', { value: cellValue(value), count: matches.length, codes: matches.map((c) => c.code).join(', '), example: `${matches[0]!.code}/${matches[0]!.label}` }) };
}

export async function checkRoster(campaign: CampaignDoc, text: string, defaultLang: Lang): Promise<{ report: ContactImportReport; inputs: ContactInput[] }> {
  if (campaign.audience.kind === 'contacts') {
    throw new AppError(409, 'not_a_student_campaign', "This campaign's audience is employers or alumni from a contact list: import a contact list instead of a student roster.");
  }
  const parsed = parseCsv(text, ROSTER_COLUMNS);
  const org = await orgView();
  const choice = segmentChoice(campaign.audience, campaign, org);
  const programmes = new Map(choice.programmes.map((p) => [p.id, p]));
  const cohorts: CohortChoice[] = choice.cohorts.flatMap((c) => {
    const p = programmes.get(c.programme);
    return p ? [{ id: c.id, programme: p.id, faculty: p.faculty, code: p.code, label: c.label }] : [];
  });
  const byLine = new Map<number, Problem[]>();
  for (const p of parsed.problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
  const seen = new Map<string, { line: number; cohort: string }>();
  const inputs: ContactInput[] = [];
  let merged = 0;
  const rows: ContactRowReport[] = parsed.rows.map((row) => {
    const problems = [...(byLine.get(row.line) ?? [])];
    const c = row.cells;
    const email = (c.email ?? '').trim();
    const name = (c.name ?? '').trim();
    const langCell = (c.language ?? '').trim().toLowerCase();
    if (!emailSchema.safeParse(email).success || email.length > 254) problems.push(problem('email', { value: cellValue(email) }));
    problems.push(...nameProblems('name', name));
    if (langCell && !isLang(langCell)) problems.push(problem('languageOrEmpty', { value: cellValue(langCell, 20), default: defaultLang }));
    const { cohort, problem: cohortProblem } = findCohort(c.cohort ?? '', c.programme ?? '', cohorts);
    if (cohortProblem) problems.push(cohortProblem);
    let mergedInto: number | undefined;
    if (!problems.length && cohort) {
      const key = email.toLowerCase();
      const first = seen.get(key);
      if (first && first.cohort !== cohort.id) problems.push(problem('emailOtherCohort', { first: first.line }));
      else if (first) {
        mergedInto = first.line;
        merged += 1;
      } else {
        seen.set(key, { line: row.line, cohort: cohort.id });
        inputs.push({ name, organisation: '', email, lang: (langCell || defaultLang) as Lang, programme: cohort.programme, faculty: cohort.faculty, cohort: cohort.id });
      }
    }
    return { line: row.line, values: row.values, problems, ...(mergedInto ? { mergedInto } : {}) };
  });
  // Someone already invited keeps the cohort their link counts in: it cannot move.
  const lineOf = new Map([...seen.entries()].map(([email, v]) => [email, v.line]));
  const listed = new Set((await Mailing.findById(campaign._id, { contactIds: 1 }).lean())?.contactIds ?? []);
  for (const input of inputs) {
    if (!listed.has(contactIdOf(campaign._id, input.email))) continue;
    const existing = (await Contact.findById(contactIdOf(campaign._id, input.email)).lean()) as ContactDoc | null;
    if (!existing) continue;
    const row = rows.find((r) => r.line === lineOf.get(input.email.toLowerCase()))!;
    if (existing.source !== 'roster') row.problems.push(problem('inContactList'));
    else if (existing.sends > 0 && existing.cohort !== input.cohort) row.problems.push(problem('cohortFixed'));
  }
  // Problems of the file's shape (the header, an unclosed quote) are on lines that are not rows.
  const rowLines = new Set(rows.map((r) => r.line));
  const problems = [...parsed.problems.filter((p) => !rowLines.has(p.line)), ...rows.flatMap((r) => r.problems.map((p) => atLine(r.line, p)))];
  if (!parsed.problems.length && !rows.length) problems.push(atLine(2, problem('noRows')));
  return { report: { columns: parsed.columns, rows, problems, importable: problems.length ? 0 : inputs.length, merged, imported: 0, updated: 0 }, inputs: problems.length ? [] : inputs };
}

/** Imports a checked roster whole (all rows or none). */
export async function importRoster(actor: Actor, config: Pick<Config, 'jwtSecret'>, campaign: CampaignDoc, text: string, defaultLang: Lang): Promise<ContactImportReport> {
  const { report, inputs } = await checkRoster(campaign, text, defaultLang);
  if (report.problems.length) return report;
  const { imported, updated } = await saveContacts(actor, config, campaign._id, 'roster', inputs, { merged: report.merged });
  return { ...report, imported, updated };
}
