// The instrument definition format: zod schemas (the single source for validation, types and OpenAPI).
// Instruments are JSON files (library in surveys/) or documents; items keep stable ids across versions.
import { z } from 'zod';
import { namedSchema } from '../lib/openapi.js';

const ID = /^[a-z][a-z0-9_-]{0,47}$/;
export const idSchema = z.string().regex(ID, 'must be lowercase letters, digits, _ or -, starting with a letter (at most 48)');

/** A text in the three languages; every one is required and non-empty. */
export const localizedText = namedSchema(
  'LocalizedText',
  z.object(
    {
      kk: z.string({ message: 'missing' }).max(2000, 'too long (at most 2,000 characters)').trim().min(1, 'missing'),
      ru: z.string({ message: 'missing' }).max(2000, 'too long (at most 2,000 characters)').trim().min(1, 'missing'),
      en: z.string({ message: 'missing' }).max(2000, 'too long (at most 2,000 characters)').trim().min(1, 'missing'),
    },
    { message: 'must give the text in kk, ru and en' },
  ),
);
export type LocalizedText = z.infer<typeof localizedText>;

export const AUDIENCES = ['student', 'employer', 'alumni', 'staff', 'external_reviewer'] as const;
export const ESG_STANDARDS = ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10'] as const;

/** showIf: a condition on earlier answers (gte: a numeric answer at least this, e.g. a rating of 7 or more). */
export type Condition =
  | { item: string; equals: string | number }
  | { item: string; in: (string | number)[] }
  | { item: string; gte: number }
  | { item: string; answered: boolean }
  | { not: Condition }
  | { and: Condition[] }
  | { or: Condition[] };

// Recursive, so it has a name: the OpenAPI document refers to it in components/schemas.
export const conditionSchema: z.ZodType<Condition> = namedSchema(
  'Condition',
  z.lazy(() =>
    z.union([
      z.strictObject({ item: idSchema, equals: z.union([z.string().max(200), z.number()]) }),
      z.strictObject({ item: idSchema, in: z.array(z.union([z.string().max(200), z.number()])).min(1).max(50) }),
      z.strictObject({ item: idSchema, gte: z.number().finite() }),
      z.strictObject({ item: idSchema, answered: z.boolean() }),
      z.strictObject({ not: conditionSchema }),
      z.strictObject({ and: z.array(conditionSchema).min(1).max(10) }),
      z.strictObject({ or: z.array(conditionSchema).min(1).max(10) }),
    ]),
  ),
);

const tags = {
  /** ESG 2015 Part 1 standards the item gives evidence for. */
  esg: z.array(z.enum(ESG_STANDARDS)).max(10).optional(),
  /** The scale (construct) the item belongs to, for indices and Cronbach's alpha. */
  scale: idSchema.optional(),
  /** Reverse-scored: x counts as (min + max) − x in the scale index (5 becomes 1 on a 1–5 scale). */
  reverse: z.boolean().optional(),
  /** Sensitive (integrity) item: never shown below the threshold, never filterable. */
  sensitive: z.boolean().optional(),
};

const base = {
  id: idSchema,
  text: localizedText,
  help: localizedText.optional(),
  required: z.boolean().optional(),
  showIf: conditionSchema.optional(),
  /** The id of the item in an earlier version that this one replaces (so trends join). */
  replaces: idSchema.optional(),
  ...tags,
};

export const optionSchema = z.strictObject({ value: idSchema, label: localizedText });

export const likertItem = z.strictObject({
  ...base,
  type: z.literal('likert'),
  /** Five labels from "strongly disagree" to "strongly agree"; the standard agreement labels when left out. */
  labels: z.array(localizedText).length(5, 'must have exactly five labels').optional(),
  allowNA: z.boolean().optional(),
});
export const singleItem = z.strictObject({ ...base, type: z.literal('single'), options: z.array(optionSchema).min(2).max(30), other: z.boolean().optional() });
export const multipleItem = z.strictObject({
  ...base,
  type: z.literal('multiple'),
  options: z.array(optionSchema).min(2).max(30),
  other: z.boolean().optional(),
  maxChoices: z.number().int().min(1).max(30).optional(),
});
export const npsItem = z.strictObject({ ...base, type: z.literal('nps'), lowLabel: localizedText.optional(), highLabel: localizedText.optional() });
export const matrixRow = z.strictObject({ id: idSchema, text: localizedText, replaces: idSchema.optional(), ...tags });
/** Rows answered on one scale of columns, stored as 1…N from the most negative column to the most positive. */
export const matrixItem = z.strictObject({
  ...base,
  type: z.literal('matrix'),
  rows: z.array(matrixRow).min(2).max(30),
  /** The columns' labels, 2 to 11 of them; the five standard agreement labels when left out. */
  labels: z.array(localizedText).min(2, 'must have 2 to 11 labels').max(11, 'must have 2 to 11 labels').optional(),
  allowNA: z.boolean().optional(),
});
/** The widest rating scale: more points than this cannot be shown as buttons on a phone. */
export const MAX_RATING_POINTS = 21;
/**
 * A rating on any integer scale (0–3, 1–4, 1–7, 0–10 …), stored as the number chosen; analysed like a Likert
 * item by its distribution and mean. Optional end labels, or one label per point.
 */
export const ratingItem = z.strictObject({
  ...base,
  type: z.literal('rating'),
  min: z.number().int().min(-10).max(10),
  max: z.number().int().min(-9).max(100),
  lowLabel: localizedText.optional(),
  highLabel: localizedText.optional(),
  /** One label per point, from min to max. */
  labels: z.array(localizedText).max(MAX_RATING_POINTS).optional(),
  allowNA: z.boolean().optional(),
});
export const textItem = z.strictObject({ ...base, type: z.literal('text'), long: z.boolean().optional(), maxLength: z.number().int().min(1).max(5000).optional() });
export const numberItem = z.strictObject({
  ...base,
  type: z.literal('number'),
  min: z.number().finite(),
  max: z.number().finite(),
  integer: z.boolean().optional(),
  unit: localizedText.optional(),
});

export const itemSchema = z.discriminatedUnion('type', [likertItem, ratingItem, singleItem, multipleItem, npsItem, matrixItem, textItem, numberItem]);
export const ITEM_TYPES = ['likert', 'rating', 'single', 'multiple', 'nps', 'matrix', 'text', 'number'] as const;
export type Item = z.infer<typeof itemSchema>;

export const pageSchema = z.strictObject({ id: idSchema, title: localizedText, intro: localizedText.optional(), items: z.array(itemSchema).min(1).max(60) });

export const scaleSchema = z.strictObject({ id: idSchema, title: localizedText, description: localizedText.optional() });

const definitionFields = {
  id: idSchema,
  version: z.number().int().min(1),
  title: localizedText,
  description: localizedText,
  audience: z.enum(AUDIENCES),
  estimatedMinutes: z.number().int().min(1).max(120),
  /** What respondents are told about anonymity and what happens with the results (thank-you page). */
  afterword: localizedText.optional(),
  scales: z.array(scaleSchema).max(30).default([]),
  pages: z.array(pageSchema).min(1).max(30),
};

export const definitionSchema = namedSchema('InstrumentDefinition', z.strictObject(definitionFields).superRefine((def, ctx) => checkReferences(def, ctx)));

/** A definition sent to create an instrument: the version is always 1 (a version given is ignored). */
export const newDefinitionBody = z
  .strictObject({ ...definitionFields, version: definitionFields.version.optional().describe('ignored: a new instrument starts at version 1') })
  .superRefine((def, ctx) => checkReferences(def, ctx));

/** A definition sent to replace a draft: the id and version in the address win over any given here. */
export const draftDefinitionBody = z
  .strictObject({ ...definitionFields, id: idSchema.optional().describe('ignored: the id in the address wins'), version: definitionFields.version.optional().describe('ignored: the version in the address wins') })
  .superRefine((def, ctx) => checkReferences(def, ctx));

export type Definition = z.infer<typeof definitionSchema>;

/** The range an item (or a matrix's rows) is scored on: 1–5 for Likert, 1–N for a matrix, min–max for a rating. */
export function scoreRange(item: Item): { min: number; max: number } | undefined {
  if (item.type === 'likert') return { min: 1, max: 5 };
  if (item.type === 'matrix') return { min: 1, max: item.labels?.length ?? 5 };
  if (item.type === 'rating') return { min: item.min, max: item.max };
  return undefined;
}

/**
 * Ids unique across pages and matrix rows; showIf only on earlier items; scales declared, and the items of
 * one scale scored on one range (an index averages them); bounds ordered; a rating's labels one per point.
 */
function checkReferences(def: { pages: z.infer<typeof pageSchema>[]; scales: { id: string }[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  const scales = new Set(def.scales.map((s) => s.id));
  const ranges = new Map<string, { min: number; max: number; at: string }>();
  const sameRange = (scale: string | undefined, item: Item, path: (string | number)[]) => {
    const range = scoreRange(item);
    if (!scale || !range || !scales.has(scale)) return;
    const first = ranges.get(scale);
    if (!first) ranges.set(scale, { ...range, at: item.id });
    else if (first.min !== range.min || first.max !== range.max) {
      ctx.addIssue({ code: 'custom', path: [...path, 'scale'], message: `the items of scale "${scale}" must share one range: "${first.at}" is ${first.min}–${first.max}, this is ${range.min}–${range.max}` });
    }
  };
  const claim = (id: string, path: (string | number)[]) => {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path, message: `duplicate item id "${id}"` });
    seen.add(id);
  };
  def.pages.forEach((page, p) =>
    page.items.forEach((item, i) => {
      const path = ['pages', p, 'items', i];
      if (item.showIf) for (const ref of referencedItems(item.showIf)) {
        if (!seen.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'showIf'], message: `refers to "${ref}", which is not an earlier item` });
      }
      claim(item.id, [...path, 'id']);
      if (item.type === 'matrix') item.rows.forEach((row, r) => {
        claim(row.id, [...path, 'rows', r, 'id']);
        if (row.scale && !scales.has(row.scale)) ctx.addIssue({ code: 'custom', path: [...path, 'rows', r, 'scale'], message: `scale "${row.scale}" is not declared in scales` });
        sameRange(row.scale ?? item.scale, item, [...path, 'rows', r]);
      });
      if (item.scale && !scales.has(item.scale)) ctx.addIssue({ code: 'custom', path: [...path, 'scale'], message: `scale "${item.scale}" is not declared in scales` });
      if (item.type !== 'matrix') sameRange(item.scale, item, path);
      if ((item.type === 'number' || item.type === 'rating') && item.min >= item.max) ctx.addIssue({ code: 'custom', path: [...path, 'max'], message: 'must be greater than min' });
      if (item.type === 'rating' && item.max - item.min + 1 > MAX_RATING_POINTS) ctx.addIssue({ code: 'custom', path: [...path, 'max'], message: `at most ${MAX_RATING_POINTS} points` });
      if (item.type === 'rating' && item.labels && item.labels.length !== item.max - item.min + 1) ctx.addIssue({ code: 'custom', path: [...path, 'labels'], message: 'must have one label per point' });
      if ((item.type === 'single' || item.type === 'multiple') && new Set(item.options.map((o) => o.value)).size !== item.options.length) {
        ctx.addIssue({ code: 'custom', path: [...path, 'options'], message: 'option values must be unique' });
      }
    }),
  );
}

export function referencedItems(condition: Condition): string[] {
  if ('item' in condition) return [condition.item];
  if ('not' in condition) return referencedItems(condition.not);
  if ('and' in condition) return condition.and.flatMap(referencedItems);
  return condition.or.flatMap(referencedItems);
}
