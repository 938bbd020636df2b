import { OpenAPIHono, z } from '@hono/zod-openapi';
import { configHash } from '../engine.js';
import { randomUUID } from 'node:crypto';
import { INSTRUMENT_KINDS } from '../db/enums.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { isoNow } from '../repo/libsql-store.js';

const Instrument = z.enum(INSTRUMENT_KINDS);
const Vibe = z
  .object({
    time_horizon: z.string().min(1).max(100),
    risk_appetite: z.string().min(1).max(100),
    decision_style: z.string().min(1).max(100),
    market_preference: z.string().min(1).max(100),
    execution_character: z.string().min(1).max(100),
  })
  .strict();

export const PackCreate = z
  .object({
    name: z.string().min(1).max(200),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'SemVer'),
    metadata: z.object({ vibe: Vibe }).strict(),
    supported_instruments: z.array(Instrument).min(1).max(INSTRUMENT_KINDS.length),
    default_instrument: Instrument,
    tags: z.array(z.string().min(1).max(100)).max(50),
    author: z.string().min(1).max(200),
    spec: z.record(z.string(), z.unknown()).openapi({ description: 'The pack document (indicators, features, strategies, gates, policies)' }),
  })
  .strict()
  .openapi('PackCreate');

export const Pack = PackCreate.extend({ id: z.string(), content_hash: z.string(), created_at: Timestamp }).openapi('Pack');
const PackPatch = z.object({ tags: z.array(z.string().min(1).max(100)).max(50) }).strict().openapi('PackPatch');

const ValidationIssue = z.object({ code: z.string().min(1).max(100), message: z.string().max(2000), path: z.string().max(500).optional() }).strict();
export const ValidationReportCreate = z
  .object({ errors: z.array(ValidationIssue).max(1000), warnings: z.array(ValidationIssue).max(1000) })
  .strict()
  .openapi('PackValidationReportCreate');
export const ValidationReport = z
  .object({
    id: z.string(),
    pack_id: z.string(),
    version: z.string(),
    status: z.enum(['PASS', 'FAIL']),
    errors: z.array(ValidationIssue),
    warnings: z.array(ValidationIssue),
    created_at: Timestamp,
  })
  .openapi('PackValidationReport');

const tags = ['packs'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const create = defineRoute('packs:write', {
  method: 'post', path: '/packs', tags, summary: 'Register a pack version (content hash computed by the sidecar)',
  request: { headers: IdempotencyHeaders, ...jsonBody(PackCreate) },
  responses: { 201: jsonResponse('Created', Pack), ...E },
});
const list = defineRoute('packs:read', {
  method: 'get', path: '/packs', tags, summary: 'List packs', request: { query: ListQuery },
  responses: { 200: jsonResponse('Packs', listOf(Pack)), ...E },
});
const get = defineRoute('packs:read', {
  method: 'get', path: '/packs/{id}', tags, summary: 'Get a pack', request: { params: IdParam },
  responses: { 200: jsonResponse('Pack', Pack), ...E },
});
const patch = defineRoute('packs:write', {
  method: 'patch', path: '/packs/{id}', tags, summary: 'Retag a pack (content is immutable)',
  request: { params: IdParam, ...jsonBody(PackPatch) },
  responses: { 200: jsonResponse('Pack', Pack), ...E },
});
const del = defineRoute('packs:write', {
  method: 'delete', path: '/packs/{id}', tags, summary: 'Delete a pack no model uses', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});
const createReport = defineRoute('packs:write', {
  method: 'post', path: '/packs/{id}/validation-reports', tags, summary: 'Attach a validation report (status derived: PASS iff no errors)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(ValidationReportCreate) },
  responses: { 201: jsonResponse('Created', ValidationReport), ...E },
});
const listReports = defineRoute('packs:read', {
  method: 'get', path: '/packs/{id}/validation-reports', tags, summary: 'Validation reports of a pack',
  request: { params: IdParam, query: ListQuery },
  responses: { 200: jsonResponse('Reports', listOf(ValidationReport)), ...E },
});

type PackRow = { org_id: string; id: string; content_hash: string; created_at: string } & Record<string, unknown>;
const toPack = (r: PackRow) => Pack.parse(withoutOrg(r));

export function packRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'pack' }, body, (tx, auth) => {
        const id = randomUUID();
        const content_hash = configHash(body);
        const created_at = isoNow();
        // Queued, not awaited: the pack row and its hash record travel with the group commit (a duplicate
        // name+version fails this request alone, 409 CONFLICT, when the batch runs).
        tx.insertLater('packs', auth.orgId, id, { ...body, content_hash, created_at });
        tx.recordHashLater(auth.orgId, 'pack', id, 'config', content_hash);
        // The stored row IS the validated body plus id, hash and created_at: answered from them, in the Pack
        // schema's key order, without re-validating the row through zod on the hot path.
        const pack: z.infer<typeof Pack> = { ...body, id, content_hash, created_at };
        return Promise.resolve({ status: 201 as const, body: pack, target_id: id });
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('packs', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toPack), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('packs', c.get('auth').orgId, id);
      if (row === null) return notFound('pack', id);
      return c.json(toPack(row), 200);
    })
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'update', target_type: 'pack' }, body, async (tx, auth) => {
        const row = await tx.update('packs', auth.orgId, id, { tags: body.tags });
        if (row === null) return notFound('pack', id);
        return { status: 200 as const, body: toPack(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(del, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'pack' }, null, async (tx, auth) => {
        if (!(await tx.remove('packs', auth.orgId, id))) return notFound('pack', id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    })
    .openapi(createReport, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'pack_validation_report' }, body, async (tx, auth) => {
        const pack = await tx.get('packs', auth.orgId, id);
        if (pack === null) return notFound('pack', id);
        const reportId = randomUUID();
        const row = await tx.insert('pack_validation_reports', auth.orgId, reportId, {
          pack_id: id, version: pack.version, status: body.errors.length === 0 ? 'PASS' : 'FAIL', errors: body.errors, warnings: body.warnings,
        });
        return { status: 201 as const, body: ValidationReport.parse(withoutOrg(row)), target_id: reportId };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listReports, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      if ((await store.get('packs', orgId, id)) === null) return notFound('pack', id);
      const rows = await store.list('pack_validation_reports', orgId, { ...q, where: { pack_id: id } });
      return c.json({ items: rows.map((r) => ValidationReport.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    });
}
