// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
// Routes are recorded by apiRoute() (api-route.ts), so a documented route and a served route are one thing.
import { z } from 'zod';

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
  query?: z.ZodType;
  params?: z.ZodType;
  response?: z.ZodType;
  /** Status of a successful answer (default 200). */
  status?: number;
  /** Non-JSON answer, e.g. text/csv or image/png. */
  produces?: string;
}

const operations = new Map<string, ApiOperation>();

export function recordOperation(op: ApiOperation): void {
  operations.set(`${op.method} ${op.path}`, op);
}

export function documentedOperations(): ApiOperation[] {
  return [...operations.values()];
}

export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
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

export function buildOpenApiDocument(baseUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...operations.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = toOpenApiPath(op.path);
    const okContent = op.produces
      ? { [op.produces]: { schema: { type: 'string' } } }
      : { 'application/json': { schema: op.response ? jsonSchema(op.response, 'output') : {} } };
    paths[path] ??= {};
    paths[path][op.method] = {
      summary: op.summary,
      ...(op.description || op.access ? { description: [op.description, op.access && `Access: ${op.access}`].filter(Boolean).join('\n\n') } : {}),
      tags: op.tags ?? [],
      parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: 'Success', content: okContent },
        '4XX': { description: 'A request the server refuses, with a message saying why', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '5XX': { description: 'A failure on the server (503 carries Retry-After)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pikir API',
      version: '0.1.0',
      description: 'Survey and stakeholder-feedback platform for university quality assurance. Errors are { "error": { "code", "message" } }.',
    },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'pikir_session' } },
    },
  };
}
