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
