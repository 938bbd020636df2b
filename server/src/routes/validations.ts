/**
 * AlphaForge Validation results (permutation p-value, bootstrap CIs with method metadata, walk-forward summary in
 * the payload) of a trained model or a sweep combination. The sidecar repeats the engine's coherence rules: method
 * simple -> block length and jitter null; hadj_bb -> a block length; low <= high.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { httpError } from '../http/errors.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash, addLink, comboExists, comboRef, type EntityRef } from '../lineage/record.js';
import type { Row } from '../repo/tables.js';
import { Validation, ValidationCreate } from './training-schemas.js';

const tags = ['training'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);
const ValidationQuery = ListQuery.extend({
  trained_model_id: z.string().max(100).optional().openapi({ param: { name: 'trained_model_id', in: 'query' } }),
});

const create = defineRoute('training:write', {
  method: 'post', path: '/validations', tags,
  summary: 'Record a Validation (AlphaForge shape) of a trained model or a sweep combination; same run_hash -> 409 with the existing id',
  request: { headers: IdempotencyHeaders, ...jsonBody(ValidationCreate) }, responses: { 201: jsonResponse('Created', Validation), ...E },
});
const list = defineRoute('training:read', {
  method: 'get', path: '/validations', tags, summary: 'List validations (optionally of one trained model)', request: { query: ValidationQuery },
  responses: { 200: jsonResponse('Validations', listOf(Validation)), ...E },
});
const get = defineRoute('training:read', {
  method: 'get', path: '/validations/{id}', tags, summary: 'Get a validation', request: { params: IdParam },
  responses: { 200: jsonResponse('Validation', Validation), ...E },
});

const toValidation = (r: Row<'validations'>) => Validation.parse({ ...withoutOrg(r), bootstrap_fallback: r.bootstrap_fallback === null ? null : r.bootstrap_fallback ? 1 : 0 });

function checkCoherence(b: z.infer<typeof ValidationCreate>): void {
  const bad = (field: string, message: string) => httpError('INVALID_PARAM', message, { field });
  if (b.bootstrap_method === 'simple' && (b.bootstrap_block_length !== null || b.bootstrap_jitter !== null)) {
    throw bad('bootstrap_block_length', 'With bootstrap_method simple, bootstrap_block_length and bootstrap_jitter must be null.');
  }
  if (b.bootstrap_method === 'hadj_bb' && b.bootstrap_block_length === null) throw bad('bootstrap_block_length', 'bootstrap_method hadj_bb needs a bootstrap_block_length.');
  for (const [lo, hi] of [['bootstrap_sharpe_low', 'bootstrap_sharpe_high'], ['bootstrap_cagr_low', 'bootstrap_cagr_high']] as const) {
    const l = b[lo];
    const h = b[hi];
    if (l !== null && h !== null && l > h) throw bad(lo, `${lo} is above ${hi}.`);
  }
  if ((b.sweep_id === undefined) !== (b.combo_id === undefined)) throw bad(b.sweep_id === undefined ? 'sweep_id' : 'combo_id', 'sweep_id and combo_id go together.');
}

export function validationRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      checkCoherence(body);
      const r = await mutate(c, deps, { action: 'create', target_type: 'validation' }, body, async (tx, auth) => {
        const upstream: EntityRef[] = [];
        if (body.trained_model_id !== undefined) {
          if ((await tx.get('trained_models', auth.orgId, body.trained_model_id)) === null) return notFound('trained_model', body.trained_model_id);
          upstream.push({ type: 'trained_model', id: body.trained_model_id });
        }
        if (body.sweep_id !== undefined && body.combo_id !== undefined) {
          const ref = comboRef(body.sweep_id, body.combo_id);
          if (!(await comboExists(tx, auth.orgId, ref.id))) return notFound('combination', ref.id);
          upstream.push(ref);
        }
        const [dup] = await tx.list('validations', auth.orgId, { limit: 1, offset: 0, where: { run_hash: body.run_hash } });
        if (dup !== undefined) throw httpError('CONFLICT', 'A validation with this run_hash exists; reuse it.', { validation_id: dup.id, run_hash: body.run_hash });
        const id = randomUUID();
        const row = await tx.insert('validations', auth.orgId, id, {
          run_hash: body.run_hash, trained_model_id: body.trained_model_id ?? null, sweep_id: body.sweep_id ?? null, combo_id: body.combo_id ?? null,
          payload: body.payload, permutation_pvalue: body.permutation_pvalue,
          bootstrap_sharpe_low: body.bootstrap_sharpe_low, bootstrap_sharpe_high: body.bootstrap_sharpe_high,
          bootstrap_cagr_low: body.bootstrap_cagr_low, bootstrap_cagr_high: body.bootstrap_cagr_high,
          bootstrap_method: body.bootstrap_method, bootstrap_block_length: body.bootstrap_block_length, bootstrap_jitter: body.bootstrap_jitter,
          bootstrap_fallback: body.bootstrap_fallback === null ? null : body.bootstrap_fallback === 1,
        });
        for (const u of upstream) await addLink(tx, auth.orgId, u, { type: 'validation', id });
        await addHash(tx, auth.orgId, { type: 'validation', id }, 'config', body.run_hash);
        return { status: 201 as const, body: toValidation(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const { trained_model_id, ...page } = q;
      const rows = await store.list('validations', c.get('auth').orgId, { ...page, ...(trained_model_id === undefined ? {} : { where: { trained_model_id } }) });
      return c.json({ items: rows.map(toValidation), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('validations', c.get('auth').orgId, id);
      return row === null ? notFound('validation', id) : c.json(toValidation(row), 200);
    });
}
