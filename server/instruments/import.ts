// Importing an instrument from JSON text, in our format or SurveyJS's: one schema for the SurveyJS options
// (API and import page), and the candidate definition an import form asks for, before anything is stored.
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { formSchema, textField } from '../lib/forms.js';
import { AppError } from '../lib/errors.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { parseOrThrow } from '../lib/validate.js';
import type { InstrumentVersionDoc } from './model.js';
import { parseEditorJson, problemView, type Problem } from './problems.js';
import { AUDIENCES, idSchema } from './schema.js';
import { assertCanEditInstruments, createInstrument } from './service.js';
import { convertLimeSurvey } from './limesurvey.js';
import { convertSurveyJs, type SurveyJsOptions, type UnmappedEntry } from './surveyjs.js';

const directionsSchema = z
  .record(z.string().max(300), z.enum(['ascending', 'descending']))
  .refine((d) => Object.keys(d).length <= 200, 'at most 200 scales')
  .describe('For scales whose direction the import could not tell (422 scale_direction_unclear lists them by "at"): ascending when the first column is the most negative, descending when it is the most positive');

export const surveyJsOptionsSchema = z.strictObject({
  id: idSchema.describe('The id of the new instrument'),
  audience: z.enum(AUDIENCES),
  estimatedMinutes: z.number().int().min(1).max(120).optional(),
  directions: directionsSchema.optional(),
}) satisfies z.ZodType<SurveyJsOptions>;

/** The same options as the import form posts them: text fields, the minutes left empty for an estimate. */
const surveyJsFormOptions = z.object({
  id: surveyJsOptionsSchema.shape.id,
  audience: surveyJsOptionsSchema.shape.audience,
  estimatedMinutes: z
    .string()
    .transform((v) => (v === '' ? undefined : Number(v)))
    .pipe(surveyJsOptionsSchema.shape.estimatedMinutes),
});

export const IMPORT_FORMATS = ['pikir', 'surveyjs', 'limesurvey'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * The import form's fields as posted (the page shows them again after an error); checked by importCandidate.
 * "direction.<where>" fields answer the page's question about scales whose direction was unclear.
 */
export const importForm = formSchema({
  format: textField(20).transform((v): ImportFormat => ((IMPORT_FORMATS as readonly string[]).includes(v) ? (v as ImportFormat) : 'pikir')),
  json: textField(1_000_000),
  id: textField(100).transform((v) => v.trim()),
  audience: textField(40),
  estimatedMinutes: textField(10).transform((v) => v.trim()),
}).catchall(textField(2_000));
export type ImportForm = z.infer<typeof importForm>;

/** The "direction.<where>" answers of the form. */
export function formDirections(form: Record<string, unknown>): Record<string, 'ascending' | 'descending'> {
  const out: Record<string, 'ascending' | 'descending'> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith('direction.') && (value === 'ascending' || value === 'descending')) out[key.slice('direction.'.length)] = value;
  }
  return out;
}

export interface ImportCandidate {
  definition: unknown;
  source: 'user' | 'surveyjs' | 'limesurvey';
  /** From SurveyJS or LimeSurvey: what changed or could not be carried over. */
  unmapped?: UnmappedEntry[];
}

/**
 * The definition an import form asks for (the uploaded file wins over the pasted text). Expected failures
 * are 400s: import_empty, malformed_json (details: the problem, with its line and column), validation_failed
 * (details name the SurveyJS option) and invalid_surveyjs.
 */
export function importCandidate(form: ImportForm, uploaded: string | undefined): ImportCandidate {
  const text = uploaded ?? form.json;
  if (!text.trim()) throw new AppError(400, 'import_empty', 'Paste the JSON or choose a file.');
  if (form.format === 'limesurvey') {
    const options = { ...parseOrThrow(surveyJsFormOptions, form, 'import form'), directions: formDirections(form) };
    const { definition, unmapped } = convertLimeSurvey(text, options);
    return { definition, source: 'limesurvey', unmapped };
  }
  const parsed = parseEditorJson(text);
  if (parsed.problem) throw new AppError(400, 'malformed_json', `The text is not valid JSON (line ${parsed.problem.line}, column ${parsed.problem.column}).`, parsed.problem);
  if (form.format === 'pikir') return { definition: parsed.value, source: 'user' };
  const options = { ...parseOrThrow(surveyJsFormOptions, form, 'import form'), directions: formDirections(form) };
  const { definition, unmapped } = convertSurveyJs(parsed.value, options);
  return { definition, source: 'surveyjs', unmapped };
}

/** The import page's one-line message for a failure of importCandidate, in the page language. */
export function importErrorText(err: AppError, lang: Lang): string {
  if (err.code === 'import_empty') return translate(lang, 'instruments.import.empty');
  if (err.code === 'malformed_json') return `${translate(lang, 'instruments.problems.json')} (${problemView(err.details as Problem, lang).path})`;
  const option = err.code === 'validation_failed' && Array.isArray(err.details) ? (err.details[0] as Problem | undefined)?.path : undefined;
  if (option === 'id') return translate(lang, 'instruments.import.badId');
  if (option === 'audience') return translate(lang, 'instruments.import.badAudience');
  if (option === 'estimatedMinutes') return translate(lang, 'instruments.import.badMinutes');
  if (err.code === 'nothing_to_import') return translate(lang, 'instruments.import.nothing');
  if (err.code === 'scale_direction_unclear') return translate(lang, 'instruments.import.directionUnclear');
  if (err.code === 'invalid_limesurvey') return `${translate(lang, 'instruments.import.notLimesurvey')} (${err.message})`;
  return err.message;
}

/** Converts a LimeSurvey structure file (.lss) and stores it as a new draft, with the report. */
export async function importLimeSurvey(actor: Actor, xml: string, options: SurveyJsOptions): Promise<{ version: InstrumentVersionDoc; unmapped: UnmappedEntry[] }> {
  assertCanEditInstruments(actor);
  const { definition, unmapped } = convertLimeSurvey(xml, options);
  const version = await createInstrument(actor, definition, 'limesurvey');
  return { version, unmapped };
}

/** Converts a SurveyJS survey and stores it as a new draft; returns the draft and what could not be mapped. */
export async function importSurveyJs(actor: Actor, json: unknown, options: SurveyJsOptions): Promise<{ version: InstrumentVersionDoc; unmapped: UnmappedEntry[] }> {
  assertCanEditInstruments(actor);
  const { definition, unmapped } = convertSurveyJs(json, options);
  const version = await createInstrument(actor, definition, 'surveyjs');
  return { version, unmapped };
}
