import { OpenAPIHono, z } from '@hono/zod-openapi';
import { SigmatiqError, configHash } from '../engine.js';
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash, addLink } from '../lineage/record.js';
import { checkModelQuota } from '../quota/check.js';

export const ModelCreate = z
  .object({ pack_id: z.string().min(1).max(100), name: z.string().min(1).max(200), description: z.string().max(5000).optional() })
  .strict()
  .openapi('ModelCreate');
export const Model = z
  .object({
    id: z.string(), pack_id: z.string(), name: z.string(), description: z.string().nullable(),
    status: z.enum(['draft', 'configured', 'published', 'retired']), created_at: Timestamp,
  })
  .openapi('Model');
const ModelPatch = z.object({ name: z.string().min(1).max(200).optional(), description: z.string().max(5000).nullable().optional() }).strict().openapi('ModelPatch');

export const ModelVersionCreate = z
  .object({ config_yaml: z.string().min(1).max(200_000).openapi({ description: 'The model config (YAML); config_hash = sha256(canonical JSON of it)' }) })
  .strict()
  .openapi('ModelVersionCreate');
export const ModelVersion = z
  .object({
    id: z.string(), model_id: z.string(), version: z.number().int(), pack_version: z.string(),
    config_yaml: z.string(), config_hash: z.string(), created_at: Timestamp,
  })
  .openapi('ModelVersion');

const tags = ['models'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const create = defineRoute('models:write', {
  method: 'post', path: '/models', tags, summary: 'Create a model from a pack (plan quota: models per tier)',
  request: { headers: IdempotencyHeaders, ...jsonBody(ModelCreate) }, responses: { 201: jsonResponse('Created', Model), ...E },
});
const list = defineRoute('models:read', {
  method: 'get', path: '/models', tags, summary: 'List models', request: { query: ListQuery },
  responses: { 200: jsonResponse('Models', listOf(Model)), ...E },
});
const get = defineRoute('models:read', {
  method: 'get', path: '/models/{id}', tags, summary: 'Get a model', request: { params: IdParam },
  responses: { 200: jsonResponse('Model', Model), ...E },
});
const patch = defineRoute('models:write', {
  method: 'patch', path: '/models/{id}', tags, summary: 'Rename or redescribe a model',
  request: { params: IdParam, ...jsonBody(ModelPatch) }, responses: { 200: jsonResponse('Model', Model), ...E },
});
const del = defineRoute('models:write', {
  method: 'delete', path: '/models/{id}', tags, summary: 'Delete a model no sweep uses', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});
const createVersion = defineRoute('models:write', {
  method: 'post', path: '/models/{id}/versions', tags, summary: 'Add a model version (config YAML; config_hash computed by the sidecar)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(ModelVersionCreate) },
  responses: { 201: jsonResponse('Created', ModelVersion), ...E },
});
const listVersions = defineRoute('models:read', {
  method: 'get', path: '/models/{id}/versions', tags, summary: 'Versions of a model', request: { params: IdParam, query: ListQuery },
  responses: { 200: jsonResponse('Versions', listOf(ModelVersion)), ...E },
});
const getVersion = defineRoute('models:read', {
  method: 'get', path: '/model-versions/{id}', tags, summary: 'Get a model version', request: { params: IdParam },
  responses: { 200: jsonResponse('Version', ModelVersion), ...E },
});

/** config_hash of a model config: sha256 of the canonical JSON of the parsed YAML (formatting-independent). */
export function modelConfigHash(configYaml: string): string {
  let parsed: unknown;
  try {
    parsed = parseYaml(configYaml) as unknown;
  } catch (err) {
    throw new SigmatiqError('INVALID_PARAM', `config_yaml is not valid YAML: ${err instanceof Error ? err.message : String(err)}`, { field: 'config_yaml' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SigmatiqError('INVALID_PARAM', 'config_yaml must be a YAML mapping.', { field: 'config_yaml' });
  }
  return configHash(parsed);
}

const toModel = (r: Parameters<typeof withoutOrg>[0] & Record<string, unknown>) => Model.parse(withoutOrg(r));
const toVersion = (r: Parameters<typeof withoutOrg>[0] & Record<string, unknown>) => ModelVersion.parse(withoutOrg(r));

export function modelRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'model' }, body, async (tx, auth) => {
        if ((await tx.get('packs', auth.orgId, body.pack_id)) === null) return notFound('pack', body.pack_id);
        await checkModelQuota(tx, auth.orgId);
        const id = randomUUID();
        const row = await tx.insert('models', auth.orgId, id, { pack_id: body.pack_id, name: body.name, description: body.description ?? null, status: 'draft' });
        await addLink(tx, auth.orgId, { type: 'pack', id: body.pack_id }, { type: 'model', id });
        return { status: 201 as const, body: toModel(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('models', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toModel), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('models', c.get('auth').orgId, id);
      return row === null ? notFound('model', id) : c.json(toModel(row), 200);
    })
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'update', target_type: 'model' }, body, async (tx, auth) => {
        const row = await tx.update('models', auth.orgId, id, body);
        return row === null ? notFound('model', id) : { status: 200 as const, body: toModel(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(del, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'model' }, null, async (tx, auth) => {
        if (!(await tx.remove('models', auth.orgId, id))) return notFound('model', id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    })
    .openapi(createVersion, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const config_hash = modelConfigHash(body.config_yaml);
      const r = await mutate(c, deps, { action: 'create', target_type: 'model_version' }, body, async (tx, auth) => {
        const model = await tx.get('models', auth.orgId, id);
        if (model === null) return notFound('model', id);
        const pack = await tx.get('packs', auth.orgId, model.pack_id);
        if (pack === null) return notFound('pack', model.pack_id);
        const version = (await tx.count('model_versions', auth.orgId, { model_id: id })) + 1;
        const versionId = randomUUID();
        const row = await tx.insert('model_versions', auth.orgId, versionId, {
          model_id: id, version, pack_version: pack.version, config_yaml: body.config_yaml, config_hash,
        });
        if (model.status === 'draft') await tx.update('models', auth.orgId, id, { status: 'configured' });
        await addLink(tx, auth.orgId, { type: 'model', id }, { type: 'model_version', id: versionId });
        await addHash(tx, auth.orgId, { type: 'model_version', id: versionId }, 'config', config_hash);
        return { status: 201 as const, body: toVersion(row), target_id: versionId };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listVersions, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      if ((await store.get('models', orgId, id)) === null) return notFound('model', id);
      const rows = await store.list('model_versions', orgId, { ...q, where: { model_id: id } });
      return c.json({ items: rows.map(toVersion), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(getVersion, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('model_versions', c.get('auth').orgId, id);
      return row === null ? notFound('model_version', id) : c.json(toVersion(row), 200);
    });
}
