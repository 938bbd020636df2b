import fc from 'fast-check';
import { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLARED_ROUTES } from '../http/route.js';
import { ErrorSchema } from '../http/schemas.js';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { fillPath, openApiDoc, operations, sampleBody, type OpenApiDoc, type Operation } from '../testing/operations.js';
import { buildWorld, call, newOrg, type World } from '../testing/world.js';
import { arbitraryFor } from './schema-arbitrary.js';

// Requests generated from the OpenAPI document: every response must be < 500, have a status the document
// declares for that operation, match that status's schema, and no /v1 call without valid credentials may
// succeed. Seeded so a failure replays; fast-check prints the counterexample.
const RUNS = 1200;
const SEED = 20261121;

let t: TestApp;
let doc: OpenApiDoc;
let ops: Operation[];
let a: World;
let b: World;
beforeAll(async () => {
  t = await makeTestApp();
  doc = await openApiDoc(t.app);
  ops = operations(doc);
  a = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'fuzz-a')).key, 'fa');
  b = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'fuzz-b')).key, 'fb');
});
afterAll(() => t.close());

interface ZodLike { safeParse(v: unknown): { success: boolean; error?: unknown } }

function responseSchema(o: Operation, status: number): ZodLike | 'empty' | undefined {
  const def = DECLARED_ROUTES.get(`${o.method} ${o.path.replace(/^\/v1/, '')}`);
  const r = (def?.responses as Record<string, { content?: Record<string, { schema?: unknown }> }> | undefined)?.[String(status)];
  if (r === undefined) return undefined;
  const schema = r.content?.['application/json']?.schema;
  return schema === undefined ? 'empty' : (schema as ZodLike);
}

describe('OpenAPI-driven fuzzing', () => {
  it(`${RUNS} generated requests: no 5xx, declared statuses, schema-valid bodies, nothing 2xx without credentials`, async () => {
    let count = 0;
    const statuses = new Map<number, number>();
    const opArb = fc.constantFrom(...ops);
    const keyArb = fc.constantFrom<'a' | 'b' | 'none' | 'garbage' | 'malformed'>('a', 'a', 'a', 'b', 'none', 'garbage', 'malformed');
    await fc.assert(
      fc.asyncProperty(
        opArb,
        keyArb,
        fc.constantFrom<'own' | 'foreign' | 'random' | 'weird'>('own', 'own', 'foreign', 'random', 'weird'),
        fc.constantFrom<'sample' | 'generated' | 'extra' | 'junk'>('sample', 'generated', 'generated', 'extra', 'junk'),
        fc.string({ maxLength: 30 }),
        fc.jsonValue({ maxDepth: 3 }),
        fc.nat(),
        async (o, who, idKind, bodyKind, randomId, junk, salt) => {
          count++;
          const key = who === 'a' ? a.key : who === 'b' ? b.key : who === 'garbage' ? `sq_${'x'.repeat(16)}_${'y'.repeat(43)}` : who === 'malformed' ? 'Bearer nope' : null;
          const id = idKind === 'own' ? undefined : idKind === 'foreign' ? foreignId(o.path) : idKind === 'random' ? encodeURIComponent(randomId) || 'e' : '%00..%2F';
          const url = fillPath(o.path, a.ids, id);
          const reqSchema = (o.op['requestBody'] as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.['application/json']?.schema;
          let body: unknown;
          if (reqSchema !== undefined) {
            const sample = sampleBody(o.method, o.path, a.ids, `fz${salt}`);
            body = bodyKind === 'sample' ? sample
              : bodyKind === 'generated' ? fc.sample(arbitraryFor(reqSchema, doc.components.schemas), { numRuns: 1, seed: salt })[0]
              : bodyKind === 'extra' ? { ...(sample as object), [`x${salt % 7}`]: junk }
              : junk;
          }
          const query = salt % 3 === 0 ? `?limit=${salt % 700}&offset=${salt % 5}&direction=${salt % 2 ? 'up' : 'sideways'}` : '';
          const res = await call(t.app, key, o.method, url + query, body);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const text = await res.text();
          const what = `${o.method} ${url}${query} as ${who} -> ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (o.path.startsWith('/v1/') && (who === 'none' || who === 'garbage' || who === 'malformed')) {
            expect(res.status, what).toBe(401);
          }
          const schema = responseSchema(o, res.status);
          if (res.status >= 400 && res.status !== 404 && schema === undefined) {
            // Every error answer has the one error shape even if the route does not list that status.
            expect(ErrorSchema.safeParse(JSON.parse(text)).success, what).toBe(true);
            return;
          }
          if (res.status === 404 && schema === undefined) {
            expect(ErrorSchema.safeParse(JSON.parse(text)).success, what).toBe(true);
            return;
          }
          expect(schema, `${what}: status not declared`).toBeDefined();
          if (schema === 'empty' || schema === undefined) return;
          const parsed = schema.safeParse(JSON.parse(text));
          expect(parsed.success, `${what}: ${parsed.success ? '' : z.prettifyError(parsed.error as z.ZodError)}`).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(count).toBeGreaterThanOrEqual(1000);
    if (process.env['SIGMATIQ_FUZZ_VERBOSE'] !== undefined) console.log([...statuses].sort((x, y) => x[0] - y[0]));
    // The fuzzer must reach handlers, not only the validators: some 2xx, some 4xx of several kinds.
    const ok = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    expect(ok).toBeGreaterThan(100);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);
  });
});

function foreignId(path: string): string {
  if (!path.includes('{id}')) return 'x';
  const probe = fillPath(path, b.ids);
  const m = /\/([0-9a-f-]{36}|[A-Za-z0-9_-]{16})(?:\/|$)/.exec(probe);
  return m?.[1] ?? 'x';
}
