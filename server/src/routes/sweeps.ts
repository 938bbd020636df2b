import { OpenAPIHono } from '@hono/zod-openapi';
import { SigmatiqError, configHash } from '../engine.js';
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { sweepRuns } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash, addLink } from '../lineage/record.js';
import { checkSweepQuota, dayPeriod, incrementCounter } from '../quota/check.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import { sweepGatePolicy } from './sweep-gates.js';
import { FailBody, GatePolicy, ProgressBody, Sweep, SweepCreate, SweepPatch } from './sweep-schemas.js';

const tags = ['sweeps'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const create = defineRoute('sweeps:write', {
  method: 'post', path: '/sweeps', tags, summary: 'Create a sweep (queued); plan quotas: per day, concurrent, combo cap; the gate policy (pack gates.quality + quality_gates) must resolve (422 GATE_POLICY_INVALID)',
  request: { headers: IdempotencyHeaders, ...jsonBody(SweepCreate) }, responses: { 201: jsonResponse('Created', Sweep), ...E },
});
const list = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps', tags, summary: 'List sweeps', request: { query: ListQuery },
  responses: { 200: jsonResponse('Sweeps', listOf(Sweep)), ...E },
});
const get = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}', tags, summary: 'Get a sweep with its run state', request: { params: IdParam },
  responses: { 200: jsonResponse('Sweep', Sweep), ...E },
});
const gatePolicy = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}/gate-policy', tags,
  summary: "The sweep's resolved gate policy (engine defaults, then its pack's gates.quality, then its quality_gates): the thresholds and MARGINAL tolerances every stored combination is judged by",
  request: { params: IdParam },
  responses: { 200: jsonResponse('GatePolicy', GatePolicy), ...E },
});
const patch = defineRoute('sweeps:write', {
  method: 'patch', path: '/sweeps/{id}', tags, summary: 'Retag a sweep', request: { params: IdParam, ...jsonBody(SweepPatch) },
  responses: { 200: jsonResponse('Sweep', Sweep), ...E },
});
const del = defineRoute('sweeps:write', {
  method: 'delete', path: '/sweeps/{id}', tags, summary: 'Delete a finished sweep with its results', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});

type Transition = 'start' | 'progress' | 'complete' | 'cancel' | 'fail';
const FROM: Readonly<Record<Transition, readonly string[]>> = {
  start: ['queued'], progress: ['running'], complete: ['running'], cancel: ['queued', 'running'], fail: ['queued', 'running'],
};
const summary = (t: Transition) => `Sweep lifecycle: ${t} (allowed from ${FROM[t].join(' or ')}; 409 INVALID_TRANSITION otherwise)`;
function transitionRoute<T extends 'start' | 'complete' | 'cancel'>(t: T) {
  return defineRoute('sweeps:write', {
    method: 'post', path: `/sweeps/{id}/${t}`, tags, summary: summary(t),
    request: { params: IdParam, headers: IdempotencyHeaders },
    responses: { 200: jsonResponse('Sweep', Sweep), ...E },
  });
}
const progressRoute = defineRoute('sweeps:write', {
  method: 'post', path: '/sweeps/{id}/progress', tags, summary: summary('progress'),
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(ProgressBody) },
  responses: { 200: jsonResponse('Sweep', Sweep), ...E },
});
const failRoute = defineRoute('sweeps:write', {
  method: 'post', path: '/sweeps/{id}/fail', tags, summary: `${summary('fail')}; records a SweepError`,
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(FailBody) },
  responses: { 200: jsonResponse('Sweep', Sweep), ...E },
});

export async function loadSweep(store: LibsqlTenantStore, orgId: string, id: string) {
  const sweep = await store.get('sweeps', orgId, id);
  if (sweep === null) return notFound('sweep', id);
  const [run] = await store.exec.select().from(sweepRuns).where(and(eq(sweepRuns.org_id, orgId), eq(sweepRuns.sweep_id, id))).limit(1);
  if (run === undefined) throw new Error(`sweep ${id} has no run row`);
  const { sweep_id: _s, org_id: _o, ...runState } = run;
  return Sweep.parse({ ...withoutOrg(sweep), run: runState });
}

export function sweepRoutes(deps: AppDeps) {
  const store = deps.store;
  const doTransition = async (
    c: Parameters<typeof mutate>[0], t: Transition, id: string, body: { progress?: number; reason_code?: string; message?: string; detail?: Record<string, unknown> } | null,
  ) =>
    mutate(c, deps, { action: t, target_type: 'sweep' }, body, async (tx, auth) => {
      const sweep = await loadSweep(tx, auth.orgId, id);
      if (!FROM[t].includes(sweep.run.status)) {
        throw new SigmatiqError('INVALID_TRANSITION', `Cannot ${t} a ${sweep.run.status} sweep.`, { status: sweep.run.status, allowed_from: FROM[t] });
      }
      const now = deps.now().toISOString();
      const set: Partial<typeof sweepRuns.$inferInsert> =
        t === 'start' ? { status: 'running', started_at: now }
        : t === 'progress' ? { progress: body?.progress ?? sweep.run.progress }
        : t === 'complete' ? { status: 'completed', progress: 1, ended_at: now }
        : t === 'cancel' ? { status: 'cancelled', ended_at: now }
        : { status: 'failed', ended_at: now };
      await tx.exec.update(sweepRuns).set(set).where(and(eq(sweepRuns.org_id, auth.orgId), eq(sweepRuns.sweep_id, id)));
      if (t === 'fail' && body?.reason_code !== undefined) {
        await tx.insert('sweep_errors', auth.orgId, randomUUID(), { sweep_id: id, reason_code: body.reason_code, message: body.message ?? '', detail: body.detail ?? null });
      }
      return { status: 200 as const, body: await loadSweep(tx, auth.orgId, id), target_id: id };
    });

  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'sweep' }, body, async (tx, auth) => {
        const mv = await tx.get('model_versions', auth.orgId, body.model_version_id);
        if (mv === null) return notFound('model_version', body.model_version_id);
        const snap = await tx.get('data_snapshots', auth.orgId, body.data_snapshot_id);
        if (snap === null) return notFound('data_snapshot', body.data_snapshot_id);
        // The gate policy (pack gates.quality + quality_gates) must resolve now: every combination is judged by it.
        await sweepGatePolicy(tx, auth.orgId, { id: 'new', model_version_id: mv.id, quality_gates: body.quality_gates ?? null });
        const now = deps.now();
        const { comboCap, plan } = await checkSweepQuota(tx, auth.orgId, body.type, now);
        const id = randomUUID();
        const config_hash = configHash({
          model_config_hash: mv.config_hash, data_hash: snap.hash, type: body.type, date_range: body.date_range,
          parameters: body.parameters, quality_gates: body.quality_gates ?? null,
        });
        await tx.insert('sweeps', auth.orgId, id, {
          model_version_id: mv.id, data_snapshot_id: snap.id, type: body.type, date_range: body.date_range, parameters: body.parameters,
          quality_gates: body.quality_gates ?? null, tag: body.tag ?? null, plan_tier: plan, combo_cap: comboCap, config_hash,
        });
        await tx.exec.insert(sweepRuns).values({ sweep_id: id, org_id: auth.orgId, status: 'queued', progress: 0, pruning_used: body.pruning ?? false });
        await incrementCounter(tx, auth.orgId, 'sweeps', dayPeriod(now));
        await addLink(tx, auth.orgId, { type: 'model_version', id: mv.id }, { type: 'sweep', id });
        await addLink(tx, auth.orgId, { type: 'data_snapshot', id: snap.id }, { type: 'sweep', id });
        await addHash(tx, auth.orgId, { type: 'sweep', id }, 'config', config_hash);
        return { status: 201 as const, body: await loadSweep(tx, auth.orgId, id), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      const rows = await store.list('sweeps', orgId, q);
      const items = await Promise.all(rows.map((r) => loadSweep(store, orgId, r.id)));
      return c.json({ items, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => c.json(await loadSweep(store, c.get('auth').orgId, c.req.valid('param').id), 200))
    .openapi(gatePolicy, async (c) => {
      const orgId = c.get('auth').orgId;
      const sweep = await loadSweep(store, orgId, c.req.valid('param').id);
      const g = await sweepGatePolicy(store, orgId, sweep);
      return c.json(GatePolicy.parse({ sweep_id: sweep.id, thresholds: g.thresholds, tolerances: g.tolerances }), 200);
    })
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'update', target_type: 'sweep' }, body, async (tx, auth) => {
        if ((await tx.update('sweeps', auth.orgId, id, { tag: body.tag })) === null) return notFound('sweep', id);
        return { status: 200 as const, body: await loadSweep(tx, auth.orgId, id), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(del, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'sweep' }, null, async (tx, auth) => {
        const sweep = await loadSweep(tx, auth.orgId, id);
        if (sweep.run.status === 'queued' || sweep.run.status === 'running') {
          throw new SigmatiqError('INVALID_TRANSITION', `Cancel the ${sweep.run.status} sweep before deleting it.`, { status: sweep.run.status });
        }
        await tx.remove('sweeps', auth.orgId, id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    })
    .openapi(transitionRoute('start'), async (c) => {
      const r = await doTransition(c, 'start', c.req.valid('param').id, null);
      return c.json(r.body, r.status);
    })
    .openapi(progressRoute, async (c) => {
      const r = await doTransition(c, 'progress', c.req.valid('param').id, c.req.valid('json'));
      return c.json(r.body, r.status);
    })
    .openapi(transitionRoute('complete'), async (c) => {
      const r = await doTransition(c, 'complete', c.req.valid('param').id, null);
      return c.json(r.body, r.status);
    })
    .openapi(transitionRoute('cancel'), async (c) => {
      const r = await doTransition(c, 'cancel', c.req.valid('param').id, null);
      return c.json(r.body, r.status);
    })
    .openapi(failRoute, async (c) => {
      const r = await doTransition(c, 'fail', c.req.valid('param').id, c.req.valid('json'));
      return c.json(r.body, r.status);
    });
}
