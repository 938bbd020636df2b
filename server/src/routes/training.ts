/**
 * Training jobs (the dictionary's TrainingJob, TrainingMetrics, FeatureImportance): created queued on PASS/MARGINAL
 * combinations of a sweep under the plan's training quotas (per day, concurrent), then driven by the kernel through
 * start -> progress -> complete | fail | cancel.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { SigmatiqError, configHash } from '../engine.js';
import { featureImportance, sweepCombinations, trainingMetrics } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { httpError } from '../http/errors.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash, addLink, comboRef } from '../lineage/record.js';
import { checkTrainingQuota, dayPeriod, incrementCounter } from '../quota/check.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import type { Row } from '../repo/tables.js';
import { seedRoot } from './runs.js';
import { FailBody, FeatureImportance, ImportanceBatch, MetricsBatch, ProgressBody, TrainingJob, TrainingJobCreate, TrainingMetrics } from './training-schemas.js';

const tags = ['training'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const create = defineRoute('training:write', {
  method: 'post', path: '/training-jobs', tags,
  summary: 'Create a training job (queued) on PASS/MARGINAL combinations of a sweep; plan quotas: per day, concurrent',
  request: { headers: IdempotencyHeaders, ...jsonBody(TrainingJobCreate) }, responses: { 201: jsonResponse('Created', TrainingJob), ...E },
});
const list = defineRoute('training:read', {
  method: 'get', path: '/training-jobs', tags, summary: 'List training jobs', request: { query: ListQuery },
  responses: { 200: jsonResponse('Training jobs', listOf(TrainingJob)), ...E },
});
const get = defineRoute('training:read', {
  method: 'get', path: '/training-jobs/{id}', tags, summary: 'Get a training job', request: { params: IdParam },
  responses: { 200: jsonResponse('Training job', TrainingJob), ...E },
});
type Transition = 'start' | 'progress' | 'complete' | 'fail' | 'cancel';
const FROM: Readonly<Record<Transition, readonly string[]>> = {
  start: ['queued'], progress: ['training'], complete: ['training'], fail: ['queued', 'training'], cancel: ['queued', 'training'],
};
const TO = { start: 'training', progress: 'training', complete: 'completed', fail: 'failed', cancel: 'cancelled' } as const;
const summary = (t: Transition) => `Training job lifecycle: ${t} (allowed from ${FROM[t].join(' or ')}; 409 INVALID_TRANSITION otherwise)`;
function transitionRoute<T extends 'start' | 'complete' | 'cancel'>(t: T) {
  return defineRoute('training:write', {
    method: 'post', path: `/training-jobs/{id}/${t}`, tags, summary: summary(t),
    request: { params: IdParam, headers: IdempotencyHeaders }, responses: { 200: jsonResponse('Training job', TrainingJob), ...E },
  });
}
const progressRoute = defineRoute('training:write', {
  method: 'post', path: '/training-jobs/{id}/progress', tags, summary: `${summary('progress')}; replaces the step list`,
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(ProgressBody) }, responses: { 200: jsonResponse('Training job', TrainingJob), ...E },
});
const failRoute = defineRoute('training:write', {
  method: 'post', path: '/training-jobs/{id}/fail', tags, summary: summary('fail'),
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(FailBody) }, responses: { 200: jsonResponse('Training job', TrainingJob), ...E },
});
const addMetrics = defineRoute('training:write', {
  method: 'post', path: '/training-jobs/{id}/metrics', tags, summary: 'Record classification metrics per split (train, validation, test) and fold',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(MetricsBatch) },
  responses: { 201: jsonResponse('Recorded', listOf(TrainingMetrics)), ...E },
});
const listMetrics = defineRoute('training:read', {
  method: 'get', path: '/training-jobs/{id}/metrics', tags, summary: 'Metrics of a training job', request: { params: IdParam, query: ListQuery },
  responses: { 200: jsonResponse('Metrics', listOf(TrainingMetrics)), ...E },
});
const putImportance = defineRoute('training:write', {
  method: 'post', path: '/training-jobs/{id}/feature-importance', tags, summary: 'Replace the feature importance of a job (ranked by gain, ties by name)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(ImportanceBatch) },
  responses: { 201: jsonResponse('Recorded', listOf(FeatureImportance)), ...E },
});
const listImportance = defineRoute('training:read', {
  method: 'get', path: '/training-jobs/{id}/feature-importance', tags, summary: 'Feature importance of a job, by rank', request: { params: IdParam, query: ListQuery },
  responses: { 200: jsonResponse('Feature importance', listOf(FeatureImportance)), ...E },
});

export const toJob = (r: Row<'training_jobs'>) => TrainingJob.parse(withoutOrg(r));
const toMetrics = (r: typeof trainingMetrics.$inferSelect) => TrainingMetrics.parse(withoutOrg(r));
const toImportance = (r: typeof featureImportance.$inferSelect) => FeatureImportance.parse(withoutOrg(r));

export async function loadJob(tx: LibsqlTenantStore, orgId: string, id: string): Promise<Row<'training_jobs'>> {
  const job = await tx.get('training_jobs', orgId, id);
  return job ?? notFound('training_job', id);
}

/** The combinations' gate statuses; NOT_FOUND for a missing one, GATE_FAILED for a FAIL one. */
async function checkCombos(tx: LibsqlTenantStore, orgId: string, sweepId: string, comboIds: readonly number[]): Promise<void> {
  const rows = await tx.exec
    .select({ combo_id: sweepCombinations.combo_id, gate_status: sweepCombinations.gate_status })
    .from(sweepCombinations)
    .where(and(eq(sweepCombinations.org_id, orgId), eq(sweepCombinations.sweep_id, sweepId), inArray(sweepCombinations.combo_id, [...comboIds])));
  for (const id of comboIds) {
    const row = rows.find((r) => r.combo_id === id);
    if (row === undefined) notFound('combination', `${sweepId}:${id}`);
    if (row.gate_status === 'FAIL') {
      throw httpError('GATE_FAILED', `Combination ${id} of sweep ${sweepId} failed its gates; only PASS and MARGINAL combinations may be trained.`, { combo_id: id, gate_status: row.gate_status });
    }
  }
}

export function trainingRoutes(deps: AppDeps) {
  const store = deps.store;
  const transition = (c: Parameters<typeof mutate>[0], t: Transition, id: string, body: { steps?: unknown[]; progress?: number; error_code?: string; message?: string } | null) =>
    mutate(c, deps, { action: t, target_type: 'training_job' }, body, async (tx, auth) => {
      const job = await loadJob(tx, auth.orgId, id);
      if (!FROM[t].includes(job.status)) {
        throw new SigmatiqError('INVALID_TRANSITION', `Cannot ${t} a ${job.status} training job.`, { status: job.status, allowed_from: FROM[t] });
      }
      const now = deps.now().toISOString();
      const patch: Partial<Row<'training_jobs'>> = { status: TO[t] };
      if (t === 'start') patch.started_at = now;
      if (t === 'progress') {
        patch.steps = body?.steps ?? [];
        patch.progress = body?.progress ?? job.progress;
      }
      if (t === 'complete') patch.progress = 1;
      if (t === 'complete' || t === 'fail' || t === 'cancel') patch.ended_at = now;
      if (t === 'fail') patch.error = { error_code: body?.error_code ?? 'INTERNAL', message: body?.message ?? '' };
      const row = await tx.update('training_jobs', auth.orgId, id, patch);
      return row === null ? notFound('training_job', id) : { status: 200 as const, body: toJob(row), target_id: id };
    });
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'training_job' }, body, async (tx, auth) => {
        const sweep = await tx.get('sweeps', auth.orgId, body.sweep_id);
        if (sweep === null) return notFound('sweep', body.sweep_id);
        const mv = await tx.get('model_versions', auth.orgId, sweep.model_version_id);
        if (mv === null) return notFound('model_version', sweep.model_version_id);
        const snapId = body.data_snapshot_id ?? sweep.data_snapshot_id;
        const snap = await tx.get('data_snapshots', auth.orgId, snapId);
        if (snap === null) return notFound('data_snapshot', snapId);
        const comboIds = [...new Set(body.combo_ids)].sort((a, b) => a - b);
        await checkCombos(tx, auth.orgId, sweep.id, comboIds);
        const now = deps.now();
        await checkTrainingQuota(tx, auth.orgId, now);
        const config = { sweep_id: sweep.id, sweep_config_hash: sweep.config_hash, combo_ids: comboIds, model_type: body.model_type, hyperparameters: body.hyperparameters, label: body.label ?? null, data_hash: snap.hash };
        const seed = body.seed ?? seedRoot(config);
        const config_hash = configHash({ ...config, seed });
        const id = randomUUID();
        const row = await tx.insert('training_jobs', auth.orgId, id, {
          model_id: mv.model_id, model_version_id: mv.id, sweep_id: sweep.id, combo_ids: comboIds, data_snapshot_id: snap.id, model_type: body.model_type,
          status: 'queued', steps: [], progress: 0, hyperparameters: body.hyperparameters, label: body.label ?? null, seed, config_hash, error: null,
        });
        await incrementCounter(tx, auth.orgId, 'training', dayPeriod(now));
        await addLink(tx, auth.orgId, { type: 'sweep', id: sweep.id }, { type: 'training_job', id });
        await addLink(tx, auth.orgId, { type: 'data_snapshot', id: snap.id }, { type: 'training_job', id });
        for (const combo of comboIds) await addLink(tx, auth.orgId, comboRef(sweep.id, combo), { type: 'training_job', id });
        await addHash(tx, auth.orgId, { type: 'training_job', id }, 'config', config_hash);
        return { status: 201 as const, body: toJob(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('training_jobs', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toJob), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(toJob(await loadJob(store, c.get('auth').orgId, id)), 200);
    })
    .openapi(transitionRoute('start'), async (c) => {
      const r = await transition(c, 'start', c.req.valid('param').id, null);
      return c.json(r.body, r.status);
    })
    .openapi(progressRoute, async (c) => {
      const r = await transition(c, 'progress', c.req.valid('param').id, c.req.valid('json'));
      return c.json(r.body, r.status);
    })
    .openapi(transitionRoute('complete'), async (c) => {
      const r = await transition(c, 'complete', c.req.valid('param').id, null);
      return c.json(r.body, r.status);
    })
    .openapi(failRoute, async (c) => {
      const r = await transition(c, 'fail', c.req.valid('param').id, c.req.valid('json'));
      return c.json(r.body, r.status);
    })
    .openapi(transitionRoute('cancel'), async (c) => {
      const r = await transition(c, 'cancel', c.req.valid('param').id, null);
      return c.json(r.body, r.status);
    })
    .openapi(addMetrics, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'training_metrics' }, body, async (tx, auth) => {
        await loadJob(tx, auth.orgId, id);
        const rows = body.items.map((m) => ({ id: randomUUID(), org_id: auth.orgId, job_id: id, split: m.split, fold: m.fold ?? null, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, auc_roc: m.auc_roc, extra: m.extra ?? null }));
        const inserted = await tx.exec.insert(trainingMetrics).values(rows).returning();
        return { status: 201 as const, body: { items: inserted.map(toMetrics), limit: inserted.length, offset: 0 }, target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listMetrics, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      await loadJob(store, orgId, id);
      const rows = await store.exec.select().from(trainingMetrics).where(and(eq(trainingMetrics.org_id, orgId), eq(trainingMetrics.job_id, id)))
        .orderBy(asc(trainingMetrics.split), asc(trainingMetrics.fold), asc(trainingMetrics.created_at), asc(trainingMetrics.id)).limit(q.limit).offset(q.offset);
      return c.json({ items: rows.map(toMetrics), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(putImportance, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const names = new Set(body.items.map((i) => i.feature));
      if (names.size !== body.items.length) throw httpError('INVALID_PARAM', 'Each feature may appear once.', { field: 'items' });
      const r = await mutate(c, deps, { action: 'update', target_type: 'feature_importance' }, body, async (tx, auth) => {
        await loadJob(tx, auth.orgId, id);
        await tx.exec.delete(featureImportance).where(and(eq(featureImportance.org_id, auth.orgId), eq(featureImportance.job_id, id)));
        const ranked = [...body.items].sort((a, b) => b.gain - a.gain || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
        const rows = ranked.map((f, i) => ({ id: randomUUID(), org_id: auth.orgId, job_id: id, feature: f.feature, gain: f.gain, permutation: f.permutation ?? null, rank: i + 1 }));
        const inserted = await tx.exec.insert(featureImportance).values(rows).returning();
        inserted.sort((a, b) => a.rank - b.rank);
        return { status: 201 as const, body: { items: inserted.map(toImportance), limit: inserted.length, offset: 0 }, target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listImportance, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      await loadJob(store, orgId, id);
      const rows = await store.exec.select().from(featureImportance).where(and(eq(featureImportance.org_id, orgId), eq(featureImportance.job_id, id)))
        .orderBy(asc(featureImportance.rank)).limit(q.limit).offset(q.offset);
      return c.json({ items: rows.map(toImportance), limit: q.limit, offset: q.offset }, 200);
    });
}
