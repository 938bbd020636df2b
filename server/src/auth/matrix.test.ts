import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from './scopes.js';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { fillPath, openApiDoc, operations, sampleBody, takesBody, type Operation } from '../testing/operations.js';
import { buildWorld, call, keyWithRole, newOrg, type World } from '../testing/world.js';

let t: TestApp;
let ops: Operation[];
let a: World;
let b: World;
beforeAll(async () => {
  t = await makeTestApp();
  ops = operations(await openApiDoc(t.app));
  const orgA = await newOrg(t.app, t.adminKey, 'org-a');
  const orgB = await newOrg(t.app, t.adminKey, 'org-b');
  a = await buildWorld(t.app, orgA.key, 'a');
  b = await buildWorld(t.app, orgB.key, 'b');
});
afterAll(() => t.close());

const v1 = () => ops.filter((o) => o.path.startsWith('/v1/'));

describe('every route declares a scope', () => {
  it('has x-sigmatiq-scope on every operation, public only outside /v1', () => {
    expect(ops.length).toBeGreaterThan(50);
    for (const o of ops) {
      expect(o.scope, `${o.method} ${o.path}`).toMatch(/^(public|[a-z]+:[a-z]+)$/);
      if (o.path.startsWith('/v1/')) expect(o.scope, `${o.method} ${o.path}`).not.toBe('public');
    }
  });
});

describe('no or bad key -> 401 on every /v1 route', () => {
  it('answers 401 UNAUTHENTICATED without a key, with a malformed key, and with an unknown key', async () => {
    const unknown = `sq_${'Q'.repeat(16)}_${'z'.repeat(43)}`;
    for (const o of v1()) {
      const url = fillPath(o.path, a.ids);
      for (const key of [null, 'not-a-key', unknown]) {
        const res = await call(t.app, key, o.method, url, takesBody(o) ? {} : undefined);
        expect(res.status, `${o.method} ${url} key=${String(key)}`).toBe(401);
        expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
      }
    }
  });
});

describe('role x route matrix', () => {
  it('answers 403 FORBIDDEN exactly where the role lacks the route scope', async () => {
    const roles = ['org_admin', 'researcher', 'viewer'] as const;
    let denied = 0;
    for (const role of roles) {
      const key = await keyWithRole(t.app, a.key, role);
      const scopes = new Set<string>(BUILTIN_ROLES[role]);
      for (const o of v1()) {
        // A random id: allowed calls end in 400/404 and change nothing; refused ones must be 403 first.
        const url = fillPath(o.path, a.ids, '00000000-0000-4000-8000-000000000000');
        const res = await call(t.app, key, o.method, url, takesBody(o) ? {} : undefined);
        const body = (await res.json().catch(() => ({}))) as { code?: string };
        const what = `${role} ${o.method} ${o.path} (${o.scope}) -> ${res.status} ${String(body.code)}`;
        if (scopes.has(o.scope)) {
          expect(body.code, what).not.toBe('FORBIDDEN');
          expect(res.status, what).not.toBe(403);
          expect(res.status, what).toBeLessThan(500);
        } else {
          expect(res.status, what).toBe(403);
          expect(body.code, what).toBe('FORBIDDEN');
          denied++;
        }
      }
    }
    expect(denied).toBeGreaterThan(0);
    const audit = (await (await call(t.app, a.key, 'GET', '/v1/audit?limit=500')).json()) as { items: { outcome: string }[] };
    expect(audit.items.filter((e) => e.outcome === 'denied').length).toBe(denied);
  });
});

describe('tenant isolation', () => {
  it('answers 404 for another org\'s id on every :id route, and changes nothing there', async () => {
    const idOps = v1().filter((o) => o.path.includes('{id}'));
    expect(idOps.length).toBeGreaterThan(30);
    for (const o of idOps) {
      const url = fillPath(o.path, a.ids);
      const body = takesBody(o) ? sampleBody(o.method, o.path, b.ids, 'iso') : undefined;
      if (takesBody(o)) expect(body, `no sample body for ${o.method} ${o.path}`).toBeDefined();
      const res = await call(t.app, b.key, o.method, url, body);
      const out = (await res.json().catch(() => ({}))) as { code?: string };
      expect([res.status, out.code], `${o.method} ${url} as org B`).toEqual([404, 'NOT_FOUND']);
    }
    const direct: Record<string, string> = {
      pack: '/v1/packs/', model: '/v1/models/', model_version: '/v1/model-versions/', data_snapshot: '/v1/data-snapshots/',
      sweep: '/v1/sweeps/', run: '/v1/runs/', indicator_set: '/v1/indicator-sets/', policy: '/v1/policies/',
      lineage_link: '/v1/lineage/links/', user: '/v1/users/', api_key: '/v1/keys/',
      training_job: '/v1/training-jobs/', trained_model: '/v1/trained-models/', artifact: '/v1/artifacts/', validation: '/v1/validations/',
    };
    for (const [kind, prefix] of Object.entries(direct)) {
      const res = await call(t.app, a.key, 'GET', `${prefix}${a.ids[kind] ?? ''}`);
      expect(res.status, `${kind} still there for org A`).toBe(200);
    }
    const sweep = (await (await call(t.app, a.key, 'GET', `/v1/sweeps/${a.ids['sweep'] ?? ''}`)).json()) as { run: { status: string } };
    expect(sweep.run.status).toBe('running');
  });

  it('never lists another org\'s rows', async () => {
    const listOps = v1().filter((o) => o.method === 'GET' && !o.path.includes('{'));
    const foreign = Object.values(a.ids);
    for (const o of listOps) {
      const res = await call(t.app, b.key, 'GET', `${o.path}?limit=500`);
      expect(res.status, o.path).toBe(200);
      const text = await res.text();
      for (const id of foreign) expect(text.includes(id), `${o.path} leaks ${id}`).toBe(false);
      expect(text.includes(a.orgId), `${o.path} leaks org id`).toBe(false);
    }
    // And nested lists (sub-resources of B's own entities) never contain A's rows either.
    for (const o of v1().filter((x) => x.method === 'GET' && x.path.includes('{id}/'))) {
      const text = await (await call(t.app, b.key, 'GET', fillPath(o.path, b.ids))).text();
      for (const id of foreign) expect(text.includes(id), `${o.path} leaks ${id}`).toBe(false);
    }
  });
});
