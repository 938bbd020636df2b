import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthCheckSchema } from './routes/health.js';
import { SCOPE_EXTENSION } from './http/route.js';
import { makeTestApp, type TestApp } from './testing/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('GET /health', () => {
  it('answers without a key, in the HealthCheck shape, with database and disk components', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    const body = HealthCheckSchema.parse(await res.json());
    expect(body.status).toBe('healthy');
    expect(body.components.map((c) => c.name).sort()).toEqual(['database', 'disk']);
    const db = body.components.find((c) => c.name === 'database');
    expect(db?.status).toBe('ok');
    expect(typeof db?.latency_ms).toBe('number');
    const disk = body.components.find((c) => c.name === 'disk');
    expect(disk?.free_bytes).toBeGreaterThan(0);
  });

  it('reports unhealthy with 503 when the database is closed', async () => {
    const other = await makeTestApp();
    other.db.close();
    const res = await other.app.request('/health');
    expect(res.status).toBe(503);
    const body = HealthCheckSchema.parse(await res.json());
    expect(body.status).toBe('unhealthy');
    expect(body.components.find((c) => c.name === 'database')?.status).toBe('down');
  });
});

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.x document listing every route of the app with its scope', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        documented.add(`${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
        expect(op[SCOPE_EXTENSION], `${method} ${p} declares no scope`).toBeTypeOf('string');
      }
    }
    const served = new Set(
      t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    // The document and its viewer are the only routes not described by the document itself.
    const undocumented = [...served].filter((r) => !documented.has(r)).sort();
    expect(undocumented).toEqual(['GET /docs', 'GET /docs/assets/:name', 'GET /openapi.json']);
    for (const d of documented) expect(served.has(d), `${d} documented but not served`).toBe(true);
    expect(documented.has('GET /health')).toBe(true);
  });
});

describe('GET /docs', () => {
  it('serves an HTML page whose every URL is relative and local', async () => {
    const res = await t.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const u of urls) expect(u, u).toMatch(/^\.\/docs\/assets\/[\w.-]+$/);
    expect(html).not.toMatch(/https?:\/\//);
    for (const u of urls) {
      const asset = await t.app.request(u.slice(1));
      expect(asset.status, u).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const init = await (await t.app.request('/docs/assets/init.js')).text();
    expect(init).toContain("url: './openapi.json'");
    expect(init).not.toMatch(/https?:\/\//);
  });

  it('refuses asset names outside the whitelist', async () => {
    const res = await t.app.request('/docs/assets/..%2F..%2Fpackage.json');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND');
  });
});

describe('GET /', () => {
  it('answers the proxy readiness probe with relative links to health, openapi and docs', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ health: './health', openapi: './openapi.json', docs: './docs' });
  });
});

describe('error mapper', () => {
  it('answers unknown routes with 404 { code, message }', async () => {
    const res = await t.app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'No route GET /nope.' });
  });
});
