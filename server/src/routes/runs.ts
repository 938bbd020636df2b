import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ENGINE_VERSION, SigmatiqError, configHash, sha256Hex } from '../engine.js';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash, addLink } from '../lineage/record.js';

export const RunCreate = z
  .object({
    config: z.record(z.string(), z.unknown()).openapi({ description: 'The run configuration; run_hash = sha256(canonical {config, data_hash, seed_root, engine_version})' }),
    data_snapshot_id: z.string().min(1).max(100),
    sweep_id: z.string().min(1).max(100).optional(),
  })
  .strict()
  .openapi('RunCreate');
export const Run = z
  .object({
    id: z.string(), run_hash: z.string(), status: z.enum(['pending', 'running', 'failed', 'completed']), config: z.record(z.string(), z.unknown()),
    data_snapshot_id: z.string(), data_hash: z.string(), sweep_id: z.string().nullable(), seed_root: z.number().int(),
    created_at: Timestamp, updated_at: Timestamp,
  })
  .openapi('Run');
const RunErrorCreate = z
  .object({ phase: z.string().max(100).optional(), error_code: z.string().regex(/^[A-Z][A-Z0-9_-]{0,63}$/), message: z.string().min(1).max(4000), stack: z.string().max(100_000).optional() })
  .strict()
  .openapi('RunErrorCreate');
export const RunError = z
  .object({ id: z.string(), run_id: z.string(), ts: Timestamp, phase: z.string().nullable(), error_code: z.string(), message: z.string(), stack_hash: z.string().nullable() })
  .openapi('RunError');
const PhaseMetricCreate = z
  .object({ phase: z.string().min(1).max(100), started_at: z.iso.datetime(), ended_at: z.iso.datetime(), rows_processed: z.number().int().min(0).optional(), extra: z.record(z.string(), z.unknown()).optional() })
  .strict()
  .openapi('PhaseMetricCreate');
export const PhaseMetric = z
  .object({
    id: z.string(), run_id: z.string(), phase: z.string(), started_at: z.string(), ended_at: z.string(), duration_ms: z.number().int(),
    rows_processed: z.number().int().nullable(), extra: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('PhaseMetric');

const tags = ['runs'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const create = defineRoute('runs:write', {
  method: 'post', path: '/runs', tags, summary: 'Register a run (run_hash and seed_root derived here; same run_hash -> 409 with the existing id)',
  request: { headers: IdempotencyHeaders, ...jsonBody(RunCreate) }, responses: { 201: jsonResponse('Created', Run), ...E },
});
const list = defineRoute('runs:read', {
  method: 'get', path: '/runs', tags, summary: 'List runs', request: { query: ListQuery }, responses: { 200: jsonResponse('Runs', listOf(Run)), ...E },
});
const get = defineRoute('runs:read', {
  method: 'get', path: '/runs/{id}', tags, summary: 'Get a run', request: { params: IdParam }, responses: { 200: jsonResponse('Run', Run), ...E },
});
type RunTransition = 'start' | 'complete' | 'fail';
const RUN_FROM: Readonly<Record<RunTransition, readonly string[]>> = { start: ['pending'], complete: ['running'], fail: ['pending', 'running'] };
const RUN_TO = { start: 'running', complete: 'completed', fail: 'failed' } as const;
function runTransition<T extends RunTransition>(t: T) {
  return defineRoute('runs:write', {
    method: 'post', path: `/runs/{id}/${t}`, tags,
    summary: `Run lifecycle: ${t} (from ${RUN_FROM[t].join(' or ')}; 409 INVALID_TRANSITION otherwise)`,
    request: { params: IdParam, headers: IdempotencyHeaders }, responses: { 200: jsonResponse('Run', Run), ...E },
  });
}
const addError = defineRoute('runs:write', {
  method: 'post', path: '/runs/{id}/errors', tags, summary: 'Record a run error (the stack is stored only as its sha256)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(RunErrorCreate) }, responses: { 201: jsonResponse('Created', RunError), ...E },
});
const listErrors = defineRoute('runs:read', {
  method: 'get', path: '/runs/{id}/errors', tags, summary: 'Errors of a run', request: { params: IdParam, query: ListQuery },
  responses: { 200: jsonResponse('Errors', listOf(RunError)), ...E },
});
const addPhase = defineRoute('runs:write', {
  method: 'post', path: '/runs/{id}/phase-metrics', tags, summary: 'Record a phase timing (duration computed here)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(PhaseMetricCreate) }, responses: { 201: jsonResponse('Created', PhaseMetric), ...E },
});
const listPhases = defineRoute('runs:read', {
  method: 'get', path: '/runs/{id}/phase-metrics', tags, summary: 'Phase metrics of a run', request: { params: IdParam, query: ListQuery },
  responses: { 200: jsonResponse('Phase metrics', listOf(PhaseMetric)), ...E },
});

/** seed_root = sha256(canonical config) mod 2^32 (REQUIREMENTS: "seed derived as sha256(config) mod 2^32"). */
export function seedRoot(config: unknown): number {
  return Number.parseInt(configHash(config).slice(-8), 16);
}

const toRun = (r: Parameters<typeof withoutOrg>[0] & Record<string, unknown>) => Run.parse(withoutOrg(r));

export function runRoutes(deps: AppDeps) {
  const store = deps.store;
  const transition = (c: Parameters<typeof mutate>[0], t: RunTransition, id: string) =>
    mutate(c, deps, { action: t, target_type: 'run' }, null, async (tx, auth) => {
      const run = await tx.get('runs', auth.orgId, id);
      if (run === null) return notFound('run', id);
      if (!RUN_FROM[t].includes(run.status)) {
        throw new SigmatiqError('INVALID_TRANSITION', `Cannot ${t} a ${run.status} run.`, { status: run.status, allowed_from: RUN_FROM[t] });
      }
      const row = await tx.update('runs', auth.orgId, id, { status: RUN_TO[t], updated_at: deps.now().toISOString() });
      return row === null ? notFound('run', id) : { status: 200 as const, body: toRun(row), target_id: id };
    });
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'run' }, body, async (tx, auth) => {
        const snap = await tx.get('data_snapshots', auth.orgId, body.data_snapshot_id);
        if (snap === null) return notFound('data_snapshot', body.data_snapshot_id);
        if (body.sweep_id !== undefined && (await tx.get('sweeps', auth.orgId, body.sweep_id)) === null) return notFound('sweep', body.sweep_id);
        const seed_root = seedRoot(body.config);
        const run_hash = configHash({ config: body.config, data_hash: snap.hash, seed_root, engine_version: ENGINE_VERSION });
        const [dup] = await tx.list('runs', auth.orgId, { limit: 1, offset: 0, where: { run_hash } });
        if (dup !== undefined) throw new SigmatiqError('CONFLICT', 'A run with this run_hash exists; reuse it.', { run_id: dup.id, run_hash });
        const id = randomUUID();
        const row = await tx.insert('runs', auth.orgId, id, {
          run_hash, status: 'pending', config: body.config, data_snapshot_id: snap.id, data_hash: snap.hash, sweep_id: body.sweep_id ?? null, seed_root,
        });
        await addLink(tx, auth.orgId, { type: 'data_snapshot', id: snap.id }, { type: 'run', id });
        if (body.sweep_id !== undefined) await addLink(tx, auth.orgId, { type: 'sweep', id: body.sweep_id }, { type: 'run', id });
        await addHash(tx, auth.orgId, { type: 'run', id }, 'config', run_hash);
        return { status: 201 as const, body: toRun(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('runs', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toRun), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('runs', c.get('auth').orgId, id);
      return row === null ? notFound('run', id) : c.json(toRun(row), 200);
    })
    .openapi(runTransition('start'), async (c) => {
      const r = await transition(c, 'start', c.req.valid('param').id);
      return c.json(r.body, r.status);
    })
    .openapi(runTransition('complete'), async (c) => {
      const r = await transition(c, 'complete', c.req.valid('param').id);
      return c.json(r.body, r.status);
    })
    .openapi(runTransition('fail'), async (c) => {
      const r = await transition(c, 'fail', c.req.valid('param').id);
      return c.json(r.body, r.status);
    })
    .openapi(addError, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'run_error' }, body, async (tx, auth) => {
        if ((await tx.get('runs', auth.orgId, id)) === null) return notFound('run', id);
        const errId = randomUUID();
        const row = await tx.insert('run_errors', auth.orgId, errId, {
          run_id: id, phase: body.phase ?? null, error_code: body.error_code, message: body.message, stack_hash: body.stack === undefined ? null : sha256Hex(body.stack),
        });
        return { status: 201 as const, body: RunError.parse(withoutOrg(row)), target_id: errId };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listErrors, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      if ((await store.get('runs', orgId, id)) === null) return notFound('run', id);
      const rows = await store.list('run_errors', orgId, { ...q, where: { run_id: id } });
      return c.json({ items: rows.map((r) => RunError.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(addPhase, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const duration = Date.parse(body.ended_at) - Date.parse(body.started_at);
      if (duration < 0) throw new SigmatiqError('INVALID_PARAM', 'ended_at is before started_at.', { field: 'ended_at' });
      const r = await mutate(c, deps, { action: 'create', target_type: 'phase_metric' }, body, async (tx, auth) => {
        if ((await tx.get('runs', auth.orgId, id)) === null) return notFound('run', id);
        const pmId = randomUUID();
        const row = await tx.insert('phase_metrics', auth.orgId, pmId, {
          run_id: id, phase: body.phase, started_at: body.started_at, ended_at: body.ended_at, duration_ms: duration,
          rows_processed: body.rows_processed ?? null, extra: body.extra ?? null,
        });
        return { status: 201 as const, body: PhaseMetric.parse(withoutOrg(row)), target_id: pmId };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listPhases, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      if ((await store.get('runs', orgId, id)) === null) return notFound('run', id);
      const rows = await store.list('phase_metrics', orgId, { ...q, where: { run_id: id } });
      return c.json({ items: rows.map((r) => PhaseMetric.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    });
}
