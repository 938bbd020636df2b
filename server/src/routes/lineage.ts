import { OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq, inArray, or } from 'drizzle-orm';
import { hashRecords, lineageLinks } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { ENTITY_TYPES, addLink, comboExists, type EntityRef, type EntityType } from '../lineage/record.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import type { Kind } from '../repo/tables.js';

const EntityTypeSchema = z.enum(ENTITY_TYPES);
const Ref = z.object({ type: EntityTypeSchema, id: z.string().min(1).max(100) }).strict();
export const LinkCreate = z.object({ from: Ref, to: Ref }).strict().openapi('LineageLinkCreate');
export const Link = z
  .object({ id: z.string(), from_type: z.string(), from_id: z.string(), to_type: z.string(), to_id: z.string(), created_at: Timestamp })
  .openapi('LineageLink');
export const HashRecord = z
  .object({ entity_type: z.string(), entity_id: z.string(), hash_type: z.enum(['config', 'data', 'content', 'artifact']), hash: z.string(), created_at: Timestamp })
  .openapi('HashRecord');
const NodeSchema = z.object({ type: z.string(), id: z.string(), depth: z.number().int(), hashes: z.array(z.object({ hash_type: z.string(), hash: z.string() })) });
export const LineageGraph = z
  .object({
    root: z.object({ type: z.string(), id: z.string() }), direction: z.enum(['up', 'down']), truncated: z.boolean(),
    nodes: z.array(NodeSchema), edges: z.array(z.object({ id: z.string(), from: z.object({ type: z.string(), id: z.string() }), to: z.object({ type: z.string(), id: z.string() }) })),
  })
  .openapi('LineageGraph');

const KIND_OF: Readonly<Record<EntityType, Kind>> = {
  pack: 'packs', model: 'models', model_version: 'model_versions', data_snapshot: 'data_snapshots', sweep: 'sweeps', run: 'runs',
  indicator_set: 'indicator_set_versions', policy: 'policy_versions',
  training_job: 'training_jobs', trained_model: 'trained_models', validation: 'validations', combination: 'sweeps',
};

async function mustExist(store: LibsqlTenantStore, orgId: string, ref: EntityRef): Promise<void> {
  // A combination's id is `<sweep id>:<combo id>` (lineage/record.ts comboRef); it exists when its row does.
  if (ref.type === 'combination') {
    if (!(await comboExists(store, orgId, ref.id))) notFound(ref.type, ref.id);
    return;
  }
  if ((await store.get(KIND_OF[ref.type], orgId, ref.id)) === null) notFound(ref.type, ref.id);
}

const tags = ['lineage'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);
const MAX_NODES = 1000;

const createLink = defineRoute('lineage:write', {
  method: 'post', path: '/lineage/links', tags, summary: 'Link an upstream entity to one derived from it (both must exist in the org)',
  request: { headers: IdempotencyHeaders, ...jsonBody(LinkCreate) }, responses: { 201: jsonResponse('Created', Link), ...E },
});
const listLinks = defineRoute('lineage:read', {
  method: 'get', path: '/lineage/links', tags, summary: 'List lineage links', request: { query: ListQuery },
  responses: { 200: jsonResponse('Links', listOf(Link)), ...E },
});
const getLink = defineRoute('lineage:read', {
  method: 'get', path: '/lineage/links/{id}', tags, summary: 'Get a lineage link', request: { params: IdParam },
  responses: { 200: jsonResponse('Link', Link), ...E },
});
const delLink = defineRoute('lineage:write', {
  method: 'delete', path: '/lineage/links/{id}', tags, summary: 'Delete a lineage link', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});
const HashQuery = ListQuery.extend({
  entity_type: EntityTypeSchema.optional().openapi({ param: { name: 'entity_type', in: 'query' } }),
  entity_id: z.string().max(100).optional().openapi({ param: { name: 'entity_id', in: 'query' } }),
  hash: z.string().max(128).optional().openapi({ param: { name: 'hash', in: 'query' } }),
});
const listHashes = defineRoute('lineage:read', {
  method: 'get', path: '/hash-records', tags, summary: 'Hash records (config, data, content, artifact) by entity or by hash',
  request: { query: HashQuery }, responses: { 200: jsonResponse('Hash records', listOf(HashRecord)), ...E },
});
const GraphParams = z.object({
  type: EntityTypeSchema.openapi({ param: { name: 'type', in: 'path' } }),
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
});
const GraphQuery = z.object({
  direction: z.enum(['up', 'down']).default('up').openapi({ param: { name: 'direction', in: 'query' } }),
  depth: z.coerce.number().int().min(1).max(50).default(20).openapi({ param: { name: 'depth', in: 'query' } }),
});
const graph = defineRoute('lineage:read', {
  method: 'get', path: '/lineage/{type}/{id}', tags,
  summary: 'Lineage graph of an entity: up = what it came from, down = what came from it (nodes with hashes, edges)',
  request: { params: GraphParams, query: GraphQuery }, responses: { 200: jsonResponse('Graph', LineageGraph), ...E },
});

export function lineageRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(createLink, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'lineage_link' }, body, async (tx, auth) => {
        await mustExist(tx, auth.orgId, body.from);
        await mustExist(tx, auth.orgId, body.to);
        await addLink(tx, auth.orgId, body.from, body.to);
        const [row] = await tx.list('lineage_links', auth.orgId, {
          limit: 1, offset: 0, where: { from_type: body.from.type, from_id: body.from.id, to_type: body.to.type, to_id: body.to.id },
        });
        if (row === undefined) throw new Error('link not found after insert');
        return { status: 201 as const, body: Link.parse(withoutOrg(row)), target_id: row.id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listLinks, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('lineage_links', c.get('auth').orgId, q);
      return c.json({ items: rows.map((r) => Link.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(getLink, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('lineage_links', c.get('auth').orgId, id);
      return row === null ? notFound('lineage_link', id) : c.json(Link.parse(withoutOrg(row)), 200);
    })
    .openapi(delLink, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'lineage_link' }, null, async (tx, auth) => {
        if (!(await tx.remove('lineage_links', auth.orgId, id))) return notFound('lineage_link', id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    })
    .openapi(listHashes, async (c) => {
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      const conds = [eq(hashRecords.org_id, orgId)];
      if (q.entity_type !== undefined) conds.push(eq(hashRecords.entity_type, q.entity_type));
      if (q.entity_id !== undefined) conds.push(eq(hashRecords.entity_id, q.entity_id));
      if (q.hash !== undefined) conds.push(eq(hashRecords.hash, q.hash));
      const rows = await store.exec.select().from(hashRecords).where(and(...conds)).orderBy(hashRecords.created_at, hashRecords.entity_id, hashRecords.hash_type).limit(q.limit).offset(q.offset);
      return c.json({ items: rows.map((r) => HashRecord.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(graph, async (c) => {
      const { type, id } = c.req.valid('param');
      const { direction, depth } = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      await mustExist(store, orgId, { type, id });
      const key = (t: string, i: string) => `${t}\u0000${i}`;
      const nodes = new Map<string, { type: string; id: string; depth: number }>([[key(type, id), { type, id, depth: 0 }]]);
      const edges = new Map<string, { id: string; from: { type: string; id: string }; to: { type: string; id: string } }>();
      let frontier: { type: string; id: string }[] = [{ type, id }];
      let truncated = false;
      for (let d = 1; d <= depth && frontier.length > 0; d++) {
        const side = direction === 'up' ? { t: lineageLinks.to_type, i: lineageLinks.to_id } : { t: lineageLinks.from_type, i: lineageLinks.from_id };
        const match = or(...frontier.map((n) => and(eq(side.t, n.type), eq(side.i, n.id))));
        const links = await store.exec.select().from(lineageLinks).where(and(eq(lineageLinks.org_id, orgId), match)).limit(MAX_NODES * 4);
        const next: { type: string; id: string }[] = [];
        for (const l of links) {
          edges.set(l.id, { id: l.id, from: { type: l.from_type, id: l.from_id }, to: { type: l.to_type, id: l.to_id } });
          const other = direction === 'up' ? { type: l.from_type, id: l.from_id } : { type: l.to_type, id: l.to_id };
          const k = key(other.type, other.id);
          if (nodes.has(k)) continue;
          if (nodes.size >= MAX_NODES) {
            truncated = true;
            break;
          }
          nodes.set(k, { ...other, depth: d });
          next.push(other);
        }
        frontier = truncated ? [] : next;
        if (d === depth && next.length > 0) truncated = true;
      }
      const list = [...nodes.values()];
      const hashes = await store.exec.select().from(hashRecords).where(and(
        eq(hashRecords.org_id, orgId),
        inArray(hashRecords.entity_id, list.map((n) => n.id)),
      ));
      const out = list.map((n) => ({
        ...n,
        hashes: hashes.filter((h) => h.entity_type === n.type && h.entity_id === n.id).map((h) => ({ hash_type: h.hash_type, hash: h.hash })),
      }));
      return c.json({ root: { type, id }, direction, truncated, nodes: out, edges: [...edges.values()] }, 200);
    });
}
