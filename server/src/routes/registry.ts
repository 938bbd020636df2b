import { OpenAPIHono, z } from '@hono/zod-openapi';
import { configHash } from '../engine.js';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash } from '../lineage/record.js';

const Name = z.string().min(1).max(200);
const Version = z.string().min(1).max(50);
const IndicatorSpec = z.object({ name: Name, version: Version, params: z.record(z.string(), z.unknown()) }).strict();

export const IndicatorSetCreate = z
  .object({ name: Name, version: Version, description: z.string().max(5000).optional(), indicators: z.array(IndicatorSpec).min(1).max(100) })
  .strict()
  .openapi('IndicatorSetVersionCreate');
export const IndicatorSet = z
  .object({
    id: z.string(), name: z.string(), version: z.string(), description: z.string().nullable(),
    indicators: z.array(z.object({ name: z.string(), version: z.string(), params: z.record(z.string(), z.unknown()) })),
    content_hash: z.string(), created_at: Timestamp,
  })
  .openapi('IndicatorSetVersion');
export const PolicyCreate = z
  .object({ name: Name, version: Version, description: z.string().max(5000).optional(), spec: z.record(z.string(), z.unknown()) })
  .strict()
  .openapi('PolicyVersionCreate');
export const Policy = z
  .object({ id: z.string(), name: z.string(), version: z.string(), description: z.string().nullable(), spec: z.record(z.string(), z.unknown()), content_hash: z.string(), created_at: Timestamp })
  .openapi('PolicyVersion');

const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);
const t1 = ['indicator sets'];
const t2 = ['policies'];

const isCreate = defineRoute('registry:write', {
  method: 'post', path: '/indicator-sets', tags: t1, summary: 'Register an immutable indicator-set version (content_hash computed here)',
  request: { headers: IdempotencyHeaders, ...jsonBody(IndicatorSetCreate) }, responses: { 201: jsonResponse('Created', IndicatorSet), ...E },
});
const isList = defineRoute('registry:read', {
  method: 'get', path: '/indicator-sets', tags: t1, summary: 'List indicator-set versions', request: { query: ListQuery },
  responses: { 200: jsonResponse('Indicator sets', listOf(IndicatorSet)), ...E },
});
const isGet = defineRoute('registry:read', {
  method: 'get', path: '/indicator-sets/{id}', tags: t1, summary: 'Get an indicator-set version', request: { params: IdParam },
  responses: { 200: jsonResponse('Indicator set', IndicatorSet), ...E },
});
const isDel = defineRoute('registry:write', {
  method: 'delete', path: '/indicator-sets/{id}', tags: t1, summary: 'Delete an indicator-set version', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});
const pCreate = defineRoute('registry:write', {
  method: 'post', path: '/policies', tags: t2, summary: 'Register an immutable policy version (content_hash computed here)',
  request: { headers: IdempotencyHeaders, ...jsonBody(PolicyCreate) }, responses: { 201: jsonResponse('Created', Policy), ...E },
});
const pList = defineRoute('registry:read', {
  method: 'get', path: '/policies', tags: t2, summary: 'List policy versions', request: { query: ListQuery },
  responses: { 200: jsonResponse('Policies', listOf(Policy)), ...E },
});
const pGet = defineRoute('registry:read', {
  method: 'get', path: '/policies/{id}', tags: t2, summary: 'Get a policy version', request: { params: IdParam },
  responses: { 200: jsonResponse('Policy', Policy), ...E },
});
const pDel = defineRoute('registry:write', {
  method: 'delete', path: '/policies/{id}', tags: t2, summary: 'Delete a policy version', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});

type AnyRow = Parameters<typeof withoutOrg>[0] & Record<string, unknown>;
const toIs = (r: AnyRow) => IndicatorSet.parse(withoutOrg(r));
const toPolicy = (r: AnyRow) => Policy.parse(withoutOrg(r));

export function registryRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(isCreate, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'indicator_set' }, body, async (tx, auth) => {
        const id = randomUUID();
        const content_hash = configHash(body);
        const row = await tx.insert('indicator_set_versions', auth.orgId, id, { ...body, description: body.description ?? null, content_hash });
        await addHash(tx, auth.orgId, { type: 'indicator_set', id }, 'config', content_hash);
        return { status: 201 as const, body: toIs(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(isList, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('indicator_set_versions', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toIs), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(isGet, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('indicator_set_versions', c.get('auth').orgId, id);
      return row === null ? notFound('indicator_set', id) : c.json(toIs(row), 200);
    })
    .openapi(isDel, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'indicator_set' }, null, async (tx, auth) => {
        if (!(await tx.remove('indicator_set_versions', auth.orgId, id))) return notFound('indicator_set', id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    })
    .openapi(pCreate, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'policy' }, body, async (tx, auth) => {
        const id = randomUUID();
        const content_hash = configHash(body);
        const row = await tx.insert('policy_versions', auth.orgId, id, { ...body, description: body.description ?? null, content_hash });
        await addHash(tx, auth.orgId, { type: 'policy', id }, 'config', content_hash);
        return { status: 201 as const, body: toPolicy(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(pList, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('policy_versions', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toPolicy), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(pGet, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('policy_versions', c.get('auth').orgId, id);
      return row === null ? notFound('policy', id) : c.json(toPolicy(row), 200);
    })
    .openapi(pDel, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'policy' }, null, async (tx, auth) => {
        if (!(await tx.remove('policy_versions', auth.orgId, id))) return notFound('policy', id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    });
}
