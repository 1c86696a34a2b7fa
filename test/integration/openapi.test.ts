import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import type { Express } from 'express';
import { toOpenApiPath } from '../../server/lib/openapi.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  matchers?: ((path: string) => unknown)[];
}

/** Lists "method /api/path" for every route the app serves under /api. Feature API routers are mounted
 *  on the /api router without a prefix of their own, so their paths are complete. */
function servedApiRoutes(app: Express): string[] {
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const apiLayer = top.find((l) => l.handle?.stack && l.matchers?.some((m) => Boolean(m('/api/openapi.json'))) && !l.matchers?.some((m) => Boolean(m('/zzz-not-api'))));
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) found.push(`${method} /api${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(apiLayer?.handle?.stack ?? []);
  return found;
}

describe('OpenAPI document', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  it('is served as OpenAPI 3.1 at /api/openapi.json', async () => {
    const res = await fetch(`${srv.url}/api/openapi.json`);
    expect(res.status).to.equal(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.paths).to.have.property('/healthz');
  });

  it('is a valid OpenAPI 3.1 document whose every $ref resolves (checked by a maintained validator)', async () => {
    const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors, JSON.stringify(result.errors)?.slice(0, 2000)).to.equal(undefined);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
    // Every reference points into components/schemas, and what it names is there.
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !r.startsWith('#/components/schemas/'))).to.deep.equal([]);
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    expect(refs.map((r) => r.slice('#/components/schemas/'.length)).filter((name) => !(name in schemas))).to.deep.equal([]);
    expect(text).not.to.include('$defs');
    // The recursive showIf condition is one named component that refers to itself.
    expect(JSON.stringify(schemas.Condition)).to.include('"$ref":"#/components/schemas/Condition"');
  });

  it('states dates as ISO 8601 with a timezone, and every success status a route sends', async () => {
    const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, { format?: string; pattern?: string }> } }> }; responses: Record<string, unknown> }>> };
    const created = doc.paths['/api/campaigns']!.post!;
    const body = created.requestBody!.content['application/json']!.schema.properties;
    for (const field of ['opensAt', 'closesAt']) {
      expect(body[field]!.format, field).to.equal('date-time');
      expect(new RegExp(body[field]!.pattern!).test('2025-10-01T00:00:00+05:00'), field).to.equal(true);
      expect(new RegExp(body[field]!.pattern!).test('2025-10-01T00:00:00'), `${field} without a timezone`).to.equal(false);
    }
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]![method]!.responses).filter((s) => /^\d+$/.test(s));
    expect(statuses('/api/respond/{link}', 'post')).to.have.members(['200', '201']);
    expect(statuses('/api/campaigns/{id}/contacts/import', 'post')).to.have.members(['200', '201']);
    expect(statuses('/api/org/import/{kind}', 'post')).to.have.members(['200', '201']);
    expect(statuses('/readyz', 'get')).to.have.members(['200', '503']);
  });

  it('documents every /api route the app serves', async () => {
    const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const app = srv.server.listeners('request')[0] as Express;
    const served = servedApiRoutes(app);
    expect(served.length).to.be.greaterThan(0);
    const missing = served
      .filter((entry) => entry !== 'get /api/openapi.json')
      .filter((entry) => {
        const [method, path] = entry.split(' ') as [string, string];
        return !doc.paths[toOpenApiPath(path)]?.[method];
      });
    expect(missing, 'routes missing from the OpenAPI document').to.deep.equal([]);
  });
});
