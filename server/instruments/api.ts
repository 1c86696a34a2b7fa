// The instruments JSON API: list, read, create and edit drafts, publish (after the diff), new versions,
// clone, export and import from SurveyJS. Any signed-in user reads; the service lets only admins change.
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { actorOf, requireUser } from '../accounts/session.js';
import { apiRoute } from '../lib/api-route.js';
import { namedSchema } from '../lib/openapi.js';
import { AppError } from '../lib/errors.js';
import { checkDefinition } from './editor.js';
import { draftPreviewPages } from './preview.js';
import { importLimeSurvey, importSurveyJs, surveyJsOptionsSchema } from './import.js';
import type { Lang } from '../lib/i18n/index.js';
import type { InstrumentVersionDoc } from './model.js';
import { AUDIENCES, definitionSchema, draftDefinitionBody, idSchema, localizedText, newDefinitionBody } from './schema.js';
import { invalidDefinition } from './validate.js';
import { isoDateTime } from '../lib/iso-date.js';
import * as instruments from './service.js';

/** Definitions can be large (the app-wide JSON limit is 100 kB). */
export const INSTRUMENT_BODY_LIMIT = '1mb';
/**
 * The parser for /api/instruments bodies. It must run before the app-wide express.json (which would
 * refuse anything over 100 kB with 413 first); once a parser has read a body the others skip it.
 */
export const instrumentsJsonParser = express.json({ limit: INSTRUMENT_BODY_LIMIT });

const tags = ['instruments'];
const READ = 'signed-in users';
const CHANGE = 'admins (the quality-assurance department); others get 403';

const idParams = z.object({ id: idSchema });
const publishQuery = z.object({ confirmWarnings: z.enum(['true', 'false']).optional().describe('Publish although the draft has warnings') });
const versionParams = z.object({ id: idSchema, version: z.coerce.number().int().min(1).max(100_000) });
/** Definitions in bodies: the format of surveys/*.json; a problem answers 400 invalid_definition naming its path (pages[1].items[3].text.kk: missing). */
const definitionBodies = { bodyError: (error: z.ZodError) => invalidDefinition(error) };

const versionSummary = namedSchema(
  'InstrumentVersionSummary',
  z.object({
    instrumentId: z.string(),
    version: z.number().int(),
    status: z.enum(['draft', 'published']),
    source: z.enum(['library', 'user', 'surveyjs', 'limesurvey']),
    createdBy: z.string(),
    createdAt: isoDateTime,
    publishedAt: isoDateTime.nullable(),
  }),
);
const versionDetail = versionSummary.extend({ definition: definitionSchema });
const instrumentSummary = z.object({
  id: z.string(),
  title: localizedText,
  audience: z.enum(AUDIENCES),
  latestVersion: z.number().int(),
  publishedVersion: z.number().int().nullable(),
  hasDraft: z.boolean(),
  source: z.enum(['library', 'user', 'surveyjs', 'limesurvey']),
});
const diffSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  reworded: z.array(z.object({ id: z.string(), before: localizedText, after: localizedText })),
  replaced: z.array(z.object({ id: z.string(), replaces: z.string() })),
  replacedUnknown: z.array(z.string()),
});
const diffAnswer = z.object({ previousVersion: z.number().int().nullable().describe('The published version compared against; null if none'), diff: diffSchema.nullable() });
const unmappedEntry = z.object({
  at: z.string().describe('Where in the SurveyJS JSON'),
  name: z.string(),
  kind: z.string(),
  detail: z.string().optional(),
  langs: z.array(z.string()).optional(),
  from: z.string().optional(),
  message: z.string(),
});
const limeSurveyBody = z.strictObject({
  xml: z.string().min(1).max(1_000_000).describe('The survey structure file (.lss) as text'),
  ...surveyJsOptionsSchema.shape,
});
const previewBody = z.strictObject({ definition: z.record(z.string(), z.unknown()), lang: z.enum(['kk', 'ru', 'en']) });
const checkBody = z.strictObject({ definition: z.record(z.string(), z.unknown()).describe('A definition as the builder holds it, valid or not') });
const checkAnswer = z.object({
  problems: z.array(z.object({ path: z.string(), message: z.string(), text: z.string() })),
  warnings: z.array(z.object({ kind: z.enum(['personal_data', 'untranslated']), path: z.string(), owner: z.string().optional(), text: z.string(), excerpt: z.string() })),
});
const surveyJsBody = z.strictObject({
  json: z.union([z.string().max(1_000_000), z.record(z.string(), z.unknown())]).describe('The SurveyJS survey JSON, as an object or as text'),
  ...surveyJsOptionsSchema.shape,
});

export function versionSummaryOf(doc: InstrumentVersionDoc): z.infer<typeof versionSummary> {
  return {
    instrumentId: doc.instrumentId,
    version: doc.version,
    status: doc.status,
    source: doc.source,
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt).toISOString(),
    publishedAt: doc.publishedAt ? new Date(doc.publishedAt).toISOString() : null,
  };
}
const detail = (doc: InstrumentVersionDoc) => ({ ...versionSummaryOf(doc), definition: doc.definition });
const params = (res: Response) => res.locals.params as z.infer<typeof versionParams>;

/** Parses pasted JSON text; a syntax error says where. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, 'malformed_json', `The text is not valid JSON: ${(err as Error).message}`);
  }
}

export function instrumentsApiRouter(): Router {
  const api = Router();
  api.use('/instruments', instrumentsJsonParser);

  apiRoute(api, { method: 'get', path: '/api/instruments', tags, access: READ, summary: 'All instruments: title, audience, latest and published version', response: z.object({ instruments: z.array(instrumentSummary) }) }, requireUser, async (_req, res) => {
    res.json({ instruments: await instruments.listInstruments(actorOf(res)) });
  });

  apiRoute(
    api,
    { method: 'post', path: '/api/instruments', tags, access: CHANGE, summary: 'Create an instrument as a draft (version 1) from a definition; 409 if the id is taken', body: newDefinitionBody, ...definitionBodies, status: 201, response: z.object({ version: versionDetail }) },
    requireUser,
    async (_req, res) => {
      const doc = await instruments.createInstrument(actorOf(res), res.locals.body);
      res.status(201).json({ version: detail(doc) });
    },
  );

  apiRoute(
    api,
    { method: 'post', path: '/api/instruments/import/surveyjs', tags, access: CHANGE, summary: 'Import a SurveyJS survey as a new draft; lists what could not be mapped', body: surveyJsBody, status: 201, response: z.object({ version: versionDetail, unmapped: z.array(unmappedEntry) }) },
    requireUser,
    async (_req, res) => {
      const body = res.locals.body as z.infer<typeof surveyJsBody>;
      const json = typeof body.json === 'string' ? parseJsonText(body.json) : body.json;
      const { version, unmapped } = await importSurveyJs(actorOf(res), json, { id: body.id, audience: body.audience, estimatedMinutes: body.estimatedMinutes, directions: body.directions });
      res.status(201).json({ version: detail(version), unmapped });
    },
  );

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/instruments/import/limesurvey',
      tags,
      access: CHANGE,
      summary: 'Import a LimeSurvey survey structure (.lss, XML, LimeSurvey 3.x–6.x) as a new draft; lists what changed or could not be mapped',
      description: '422 nothing_to_import when no question can be imported; 422 scale_direction_unclear (details: the scales by "at") when the direction of a scale cannot be told — send directions for them.',
      body: limeSurveyBody,
      status: 201,
      response: z.object({ version: versionDetail, unmapped: z.array(unmappedEntry) }),
    },
    requireUser,
    async (_req, res) => {
      const { xml, ...options } = res.locals.body as z.infer<typeof limeSurveyBody>;
      const { version, unmapped } = await importLimeSurvey(actorOf(res), xml, options);
      res.status(201).json({ version: detail(version), unmapped });
    },
  );

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/instruments/check',
      tags,
      access: CHANGE,
      summary: 'Check a definition without saving it: its problems (each by path, in the page language) and warnings',
      description: 'What the visual builder asks after each change. Any JSON object is accepted; the answer says what is wrong with it.',
      body: checkBody,
      response: checkAnswer,
    },
    requireUser,
    (_req, res) => {
      instruments.assertCanEditInstruments(actorOf(res));
      const { definition } = res.locals.body as z.infer<typeof checkBody>;
      res.json(checkDefinition(definition, res.locals.lang as Lang));
    },
  );

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/instruments/preview',
      tags,
      access: CHANGE,
      summary: 'How a definition being built looks to a respondent: an HTML fragment of every page, in one language',
      description: 'For the visual builder. Items that cannot be shown yet are named instead; the definition need not be valid.',
      body: previewBody,
      produces: 'text/html',
    },
    requireUser,
    (_req, res) => {
      instruments.assertCanEditInstruments(actorOf(res));
      const { definition, lang } = res.locals.body as z.infer<typeof previewBody>;
      const pages = draftPreviewPages(definition, lang);
      res.render('partials/builder-preview', {
        layout: false,
        lang,
        title: typeof definition.title === 'object' && definition.title ? ((definition.title as Record<string, unknown>)[lang] ?? '') : '',
        description: typeof definition.description === 'object' && definition.description ? ((definition.description as Record<string, unknown>)[lang] ?? '') : '',
        pages,
        pageCount: pages.length,
      });
    },
  );

  apiRoute(api, { method: 'get', path: '/api/instruments/:id/versions', tags, access: READ, summary: 'The versions of an instrument, newest first', params: idParams, response: z.object({ versions: z.array(versionSummary) }) }, requireUser, async (_req, res) => {
    const { id } = res.locals.params as z.infer<typeof idParams>;
    res.json({ versions: (await instruments.listVersions(actorOf(res), id)).map(versionSummaryOf) });
  });

  apiRoute(
    api,
    { method: 'post', path: '/api/instruments/:id/versions', tags, access: CHANGE, summary: 'Start the next version as a draft copy of the latest (items keep their ids); 409 draft_exists if the latest is a draft', params: idParams, status: 201, response: z.object({ version: versionDetail }) },
    requireUser,
    async (_req, res) => {
      const { id } = res.locals.params as z.infer<typeof idParams>;
      res.status(201).json({ version: detail(await instruments.newVersion(actorOf(res), id)) });
    },
  );

  apiRoute(api, { method: 'get', path: '/api/instruments/:id/v/:version', tags, access: READ, summary: 'One version with its definition', params: versionParams, response: z.object({ version: versionDetail }) }, requireUser, async (_req, res) => {
    const { id, version } = params(res);
    res.json({ version: detail(await instruments.getVersion(actorOf(res), id, version)) });
  });

  apiRoute(
    api,
    { method: 'put', path: '/api/instruments/:id/v/:version', tags, access: CHANGE, summary: 'Replace the definition of a draft; 409 published_frozen for a published version (create a new version instead)', params: versionParams, body: draftDefinitionBody, ...definitionBodies, response: z.object({ version: versionDetail }) },
    requireUser,
    async (_req, res) => {
      const { id, version } = params(res);
      res.json({ version: detail(await instruments.updateDraft(actorOf(res), id, version, res.locals.body)) });
    },
  );

  apiRoute(api, { method: 'get', path: '/api/instruments/:id/v/:version/diff', tags, access: READ, summary: 'Items added, removed, reworded and replaced since the previous published version', params: versionParams, response: diffAnswer }, requireUser, async (_req, res) => {
    const { id, version } = params(res);
    res.json(await instruments.diffForPublishing(actorOf(res), id, version));
  });

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/instruments/:id/v/:version/publish',
      tags,
      access: CHANGE,
      summary: 'Publish a draft: from then on it never changes; answers the diff it was published with',
      description: 'While the draft has warnings (questions asking for personal data in an anonymous survey, texts whose kk/ru/en are untranslated copies) it answers 409 publish_warnings with the warnings as details, unless confirmWarnings=true.',
      params: versionParams,
      query: publishQuery,
      response: diffAnswer.extend({ version: versionSummary }),
    },
    requireUser,
    async (_req, res) => {
      const { id, version } = params(res);
      const actor = actorOf(res);
      const { confirmWarnings } = res.locals.query as z.infer<typeof publishQuery>;
      const doc = await instruments.publish(actor, id, version, { confirmWarnings: confirmWarnings === 'true' });
      res.json({ version: versionSummaryOf(doc), ...(await instruments.diffForPublishing(actor, id, version)) });
    },
  );

  const cloneBody = z.strictObject({ newId: idSchema });
  apiRoute(
    api,
    { method: 'post', path: '/api/instruments/:id/v/:version/clone', tags, access: CHANGE, summary: 'Copy a version under a new id, as version 1 of a new draft instrument', description: 'Trends join campaigns of the same instrument id: campaigns of the copy start a trend of their own. To change questions and keep trends, start a new version (POST /api/instruments/{id}/versions) instead.', params: versionParams, body: cloneBody, status: 201, response: z.object({ version: versionDetail }) },
    requireUser,
    async (_req, res) => {
      const { id, version } = params(res);
      const { newId } = res.locals.body as z.infer<typeof cloneBody>;
      res.status(201).json({ version: detail(await instruments.cloneInstrument(actorOf(res), id, version, newId)) });
    },
  );

  apiRoute(
    api,
    { method: 'get', path: '/api/instruments/:id/v/:version/export', tags, access: READ, summary: 'The definition as a JSON file to download (importable with POST /api/instruments)', params: versionParams, response: definitionSchema },
    requireUser,
    async (_req, res) => {
      const { id, version } = params(res);
      const doc = await instruments.getVersion(actorOf(res), id, version);
      res.attachment(`${id}-v${version}.json`);
      res.type('application/json').send(JSON.stringify(doc.definition, null, 2) + '\n');
    },
  );

  return api;
}
