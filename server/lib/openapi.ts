// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
// Routes are recorded by apiRoute() (api-route.ts), so a documented route and a served route are one thing.
// Schemas named with namedSchema() (shared ones, and every recursive one) are hoisted into
// components/schemas, so each $ref in the document resolves against the document itself.
import { z } from 'zod';
import type { AppError } from './errors.js';

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, e.g. /api/campaigns/:id */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Who may call it, in words (shown in the docs). */
  access?: string;
  body?: z.ZodType;
  /** The error a body that fails `body` becomes (default: 400 validation_failed naming each field). */
  bodyError?: (error: z.ZodError) => AppError;
  query?: z.ZodType;
  params?: z.ZodType;
  response?: z.ZodType;
  /** Status(es) of a successful answer (default 200): every one the route really sends. */
  status?: number | readonly number[];
  /** Answers other than a success or the { error } object, e.g. the 503 of /readyz. */
  otherResponses?: readonly { status: number; description: string; response: z.ZodType }[];
  /** Non-JSON answer, e.g. text/csv or image/png (several when the answer's type depends on the resource). */
  produces?: string | readonly string[];
}

const operations = new Map<string, ApiOperation>();
const documents = new Map<string, Record<string, unknown>>();

export function recordOperation(op: ApiOperation): void {
  operations.set(`${op.method} ${op.path}`, op);
  documents.clear();
}

export function documentedOperations(): ApiOperation[] {
  return [...operations.values()];
}

export function successStatuses(op: Pick<ApiOperation, 'status'>): number[] {
  return op.status === undefined ? [200] : typeof op.status === 'number' ? [op.status] : [...op.status];
}

export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** Schemas with a name in the document, by name (see namedSchema). */
const named = new Map<string, z.ZodType>();

/**
 * Gives a schema a name under components/schemas. Every recursive schema needs one (z.lazy cycles
 * would otherwise become "#/$defs/…" references that point nowhere in an OpenAPI document); shared
 * ones read better with one. The name is the zod metadata id, so it must be unique in the process.
 */
export function namedSchema<T extends z.ZodType>(name: string, schema: T): T {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`Schema name "${name}" must be letters and digits`);
  if (named.has(name)) throw new Error(`Schema name "${name}" is used twice`);
  const withId = schema.meta({ id: name }) as T;
  named.set(name, withId);
  return withId;
}

type Io = 'input' | 'output';
type Json = Record<string, unknown>;

function rawJsonSchema(schema: z.ZodType, io: Io): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

/** Rewrites every $ref in place with `to`. */
function rewriteRefs(node: unknown, to: (ref: string) => string): void {
  if (Array.isArray(node)) node.forEach((n) => rewriteRefs(n, to));
  else if (node && typeof node === 'object') {
    const obj = node as Json;
    if (typeof obj.$ref === 'string') obj.$ref = to(obj.$ref);
    for (const value of Object.values(obj)) rewriteRefs(value, to);
  }
}

/** Collects the components/schemas of one document while its operations are converted. */
class Components {
  readonly schemas: Record<string, unknown>;
  private readonly sameBothWays = new Map<string, boolean>();

  constructor(fixed: Record<string, unknown>) {
    this.schemas = { ...fixed };
  }

  /**
   * A named schema's component: its own name, or "<name>Input" when what a client sends differs from
   * what the server answers (defaults, transforms), so both can be stated exactly.
   */
  private componentName(id: string, io: Io): string {
    const schema = named.get(id);
    if (!schema) throw new Error(`OpenAPI: "$defs/${id}" comes from a schema without namedSchema(); give every recursive schema a name`);
    if (io === 'output') return id;
    let same = this.sameBothWays.get(id);
    if (same === undefined) {
      same = JSON.stringify(rawJsonSchema(schema, 'input')) === JSON.stringify(rawJsonSchema(schema, 'output'));
      this.sameBothWays.set(id, same);
    }
    return same ? id : `${id}Input`;
  }

  /** A zod schema as JSON Schema whose references all point into components/schemas. */
  convert(schema: z.ZodType, io: Io): Json {
    const out = rawJsonSchema(schema, io);
    const defs = (out.$defs ?? {}) as Record<string, Json>;
    delete out.$defs;
    const refTo = (ref: string) => {
      const m = /^#\/\$defs\/(.+)$/.exec(ref);
      if (!m) throw new Error(`OpenAPI: unexpected $ref "${ref}" (a recursive schema without namedSchema()?)`);
      return `#/components/schemas/${this.componentName(m[1]!, io)}`;
    };
    rewriteRefs(out, refTo);
    for (const [id, def] of Object.entries(defs)) {
      rewriteRefs(def, refTo);
      const name = this.componentName(id, io);
      const existing = this.schemas[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(def)) throw new Error(`OpenAPI: two different schemas are named ${name}`);
      this.schemas[name] = def;
    }
    return out;
  }

  parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
    if (!schema) return [];
    const js = this.convert(schema, 'input') as { properties?: Json; required?: string[] };
    return Object.entries(js.properties ?? {}).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || (js.required ?? []).includes(name),
      schema: s,
    }));
  }
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

/** A file answer: text as a string, anything else as bytes (OpenAPI 3.1: contentMediaType, no format: binary). */
const binarySchema = (type: string) => (type.startsWith('text/') || type.endsWith('+xml') ? { type: 'string' } : { type: 'string', contentMediaType: type });

const SUCCESS: Record<number, string> = { 200: 'Success', 201: 'Created', 202: 'Accepted' };
const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function operationObject(op: ApiOperation, components: Components): Json {
  const okContent = op.produces
    ? Object.fromEntries((typeof op.produces === 'string' ? [op.produces] : op.produces).map((type) => [type, { schema: binarySchema(type) }]))
    : { 'application/json': { schema: op.response ? components.convert(op.response, 'output') : {} } };
  const responses: Json = {};
  for (const status of successStatuses(op)) responses[String(status)] = { description: SUCCESS[status] ?? 'Success', content: okContent };
  for (const other of op.otherResponses ?? []) {
    responses[String(other.status)] = { description: other.description, content: { 'application/json': { schema: components.convert(other.response, 'output') } } };
  }
  responses['4XX'] = { description: 'A request the server refuses, with a message saying why', content: errorContent };
  responses['5XX'] = { description: 'A failure on the server (503 carries Retry-After)', content: errorContent };
  return {
    summary: op.summary,
    ...(op.description || op.access ? { description: [op.description, op.access && `Access: ${op.access}`].filter(Boolean).join('\n\n') } : {}),
    tags: op.tags ?? [],
    parameters: [...components.parameters(op.params, 'path'), ...components.parameters(op.query, 'query')],
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: components.convert(op.body, 'input') } } } } : {}),
    responses,
  };
}

/** The document (built once per base URL; recording an operation starts afresh). */
export function buildOpenApiDocument(baseUrl: string): Record<string, unknown> {
  const cached = documents.get(baseUrl);
  if (cached) return cached;
  const components = new Components({ Error: errorSchema });
  const paths: Record<string, Json> = {};
  for (const op of [...operations.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const path = toOpenApiPath(op.path);
    paths[path] ??= {};
    paths[path][op.method] = operationObject(op, components);
  }
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'Pikir API',
      version: '0.1.0',
      description: 'Survey and stakeholder-feedback platform for university quality assurance. Errors are { "error": { "code", "message" } }. Dates are ISO 8601 with a timezone (e.g. 2025-10-01T00:00:00+05:00).',
    },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pikir_session' } },
    },
  };
  documents.set(baseUrl, doc);
  return doc;
}
