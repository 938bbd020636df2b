/**
 * Training, artifact and validation routes: gates, quotas, lifecycle, content-hash uploads, lineage chain,
 * Validation coherence, tenant isolation, and the engine's Validation row stored as is.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRun } from '@sigmatiq/engine/dist/validate/index.js';
import { createClient } from '../client.js';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { VALIDATION, buildWorld, call, newOrg, type World } from '../testing/world.js';

let t: TestApp;
let a: World;
let b: World;
beforeAll(async () => {
  t = await makeTestApp();
  a = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'train-a')).key, 'ta');
  b = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'train-b')).key, 'tb');
});
afterAll(() => t.close());

type Json = Record<string, unknown>;
const req = async (w: World | string, method: string, url: string, body?: unknown): Promise<{ status: number; body: Json }> => {
  const res = await call(t.app, typeof w === 'string' ? w : w.key, method, url, body);
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
};
const upload = (key: string, text: string, sha: string) =>
  t.app.request(`/v1/artifacts?sha256=${sha}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: text });
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('training jobs', () => {
  it('trains only PASS/MARGINAL combinations of an existing sweep', async () => {
    const sweep = a.ids['sweep'] ?? '';
    // combo 0 is FAIL in the world; 1 is MARGINAL, 2 PASS.
    expect(await req(a, 'POST', '/v1/training-jobs', { sweep_id: sweep, combo_ids: [0, 2], model_type: 'gbdt', hyperparameters: {} })).toMatchObject({ status: 400, body: { code: 'GATE_FAILED', details: { combo_id: 0, gate_status: 'FAIL' } } });
    expect(await req(a, 'POST', '/v1/training-jobs', { sweep_id: sweep, combo_ids: [7], model_type: 'gbdt', hyperparameters: {} })).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await req(a, 'POST', '/v1/training-jobs', { sweep_id: b.ids['sweep'], combo_ids: [1], model_type: 'gbdt', hyperparameters: {} })).status).toBe(404);
    const job = await req(a, 'GET', `/v1/training-jobs/${a.ids['training_job'] ?? ''}`);
    expect(job.body).toMatchObject({ status: 'completed', progress: 1, combo_ids: [1, 2], model_type: 'gbdt', sweep_id: sweep, model_version_id: a.ids['model_version'], model_id: a.ids['model'], data_snapshot_id: a.ids['data_snapshot'] });
    expect(job.body['seed']).toEqual(expect.any(Number));
    expect(String(job.body['config_hash'])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives the seed from the config (same config -> same seed) unless one is given', async () => {
    const o = await newOrg(t.app, t.adminKey, 'seed-org');
    const w = await buildWorld(t.app, o.key, 'sd');
    const body = { sweep_id: w.ids['sweep'], combo_ids: [2], model_type: 'logreg', hyperparameters: { c: 1 } };
    const j1 = await req(w, 'POST', '/v1/training-jobs', body);
    const j2 = await req(w, 'POST', '/v1/training-jobs', { ...body, combo_ids: [2, 2] });
    expect(j1.status).toBe(201);
    expect(j2.body['seed']).toBe(j1.body['seed']);
    expect(j2.body['config_hash']).toBe(j1.body['config_hash']);
    await req(w, 'POST', `/v1/training-jobs/${String(j1.body['id'])}/cancel`);
    await req(w, 'POST', `/v1/training-jobs/${String(j2.body['id'])}/cancel`);
    const j3 = await req(w, 'POST', '/v1/training-jobs', { ...body, seed: 42 });
    expect(j3.body['seed']).toBe(42);
  });

  it('walks the lifecycle and refuses invalid transitions', async () => {
    const j = await req(a, 'POST', '/v1/training-jobs', { sweep_id: a.ids['sweep'], combo_ids: [2], model_type: 'logreg', hyperparameters: { c: 0.5 } });
    const id = String(j.body['id']);
    expect(j.body).toMatchObject({ status: 'queued', progress: 0, steps: [], error: null });
    expect(await req(a, 'POST', `/v1/training-jobs/${id}/complete`)).toMatchObject({ status: 409, body: { code: 'INVALID_TRANSITION' } });
    expect((await req(a, 'POST', `/v1/training-jobs/${id}/start`)).body).toMatchObject({ status: 'training' });
    const steps = [{ name: 'dataset', status: 'done', started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:00:02Z', duration_ms: 2000 }, { name: 'cv', status: 'running' }];
    expect((await req(a, 'POST', `/v1/training-jobs/${id}/progress`, { steps, progress: 0.4 })).body).toMatchObject({ steps, progress: 0.4 });
    expect((await req(a, 'POST', `/v1/training-jobs/${id}/fail`, { error_code: 'TRAIN_LEAKAGE', message: 'feature x reads future bars' })).body)
      .toMatchObject({ status: 'failed', error: { error_code: 'TRAIN_LEAKAGE' } });
    expect(await req(a, 'POST', `/v1/training-jobs/${id}/start`)).toMatchObject({ status: 409 });
  });

  it('stores metrics per split and ranks feature importance by gain', async () => {
    const id = a.ids['training_job'] ?? '';
    const m = await req(a, 'GET', `/v1/training-jobs/${id}/metrics`);
    expect(m.body['items']).toEqual([expect.objectContaining({ split: 'train', fold: null, auc_roc: 0.74 })]);
    const fi = await req(a, 'POST', `/v1/training-jobs/${id}/feature-importance`, { items: [{ feature: 'b', gain: 1 }, { feature: 'a', gain: 1 }, { feature: 'c', gain: 5, permutation: 0.1 }] });
    expect((fi.body['items'] as Json[]).map((x) => [x['feature'], x['rank']])).toEqual([['c', 1], ['a', 2], ['b', 3]]);
    const again = await req(a, 'GET', `/v1/training-jobs/${id}/feature-importance`);
    expect((again.body['items'] as Json[]).map((x) => x['feature'])).toEqual(['c', 'a', 'b']); // replaced, not appended
    expect((await req(a, 'POST', `/v1/training-jobs/${id}/feature-importance`, { items: [{ feature: 'a', gain: 1 }, { feature: 'a', gain: 2 }] })).status).toBe(400);
  });

  it('enforces the plan\'s concurrent and per-day training quotas', async () => {
    // Premium: 2 concurrent, 20 per day (REQUIREMENTS: training 20/day with 2 concurrent); free would hit its 60
    // requests/minute first. The world used 1 job (completed).
    const o = await newOrg(t.app, t.adminKey, 'quota-org', 'premium');
    const w = await buildWorld(t.app, o.key, 'qo');
    const body = { sweep_id: w.ids['sweep'], combo_ids: [2], model_type: 'logreg', hyperparameters: {} };
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(String((await req(w, 'POST', '/v1/training-jobs', body)).body['id']));
    expect(await req(w, 'POST', '/v1/training-jobs', body)).toMatchObject({ status: 403, body: { code: 'QUOTA_EXCEEDED', details: { limit: 'concurrent_training', value: 2, plan_tier: 'premium' } } });
    for (const id of ids) await req(w, 'POST', `/v1/training-jobs/${id}/cancel`);
    // 1 (world) + 2 so far; 17 more reach 20 for the day.
    for (let i = 0; i < 17; i++) {
      const r = await req(w, 'POST', '/v1/training-jobs', body);
      expect(r.status).toBe(201);
      await req(w, 'POST', `/v1/training-jobs/${String(r.body['id'])}/cancel`);
    }
    expect(await req(w, 'POST', '/v1/training-jobs', body)).toMatchObject({ status: 403, body: { code: 'QUOTA_EXCEEDED', details: { limit: 'training_per_day', value: 20 } } });
  });
});

describe('artifacts and trained models', () => {
  it('verifies the content hash, stores the bytes verbatim and is idempotent', async () => {
    const text = '{ "kind": "logreg",\n  "coef": [0.5, -1.25] }';
    const h = sha(text);
    const bad = await upload(a.key, text, sha('other'));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json)['code']).toBe('ARTIFACT_HASH_MISMATCH');
    const first = await upload(a.key, text, h);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ hash: h, size_bytes: Buffer.byteLength(text), media_type: 'application/json' });
    expect((await upload(a.key, text, h)).status).toBe(200);
    const got = await call(t.app, a.key, 'GET', `/v1/artifacts/${h}`);
    expect(await got.text()).toBe(text);
    expect(sha(text)).toBe(h);
    // Not a JSON object: refused before anything is stored.
    expect((await upload(a.key, '[1,2]', sha('[1,2]'))).status).toBe(400);
    // Another org neither sees it nor lists it.
    expect((await call(t.app, b.key, 'GET', `/v1/artifacts/${h}`)).status).toBe(404);
    expect(await (await call(t.app, b.key, 'GET', '/v1/artifacts?limit=500')).text()).not.toContain(h);
  });

  it('registers a trained model of a completed job and links lineage back to the data snapshot', async () => {
    const tm = await req(a, 'GET', `/v1/trained-models/${a.ids['trained_model'] ?? ''}`);
    expect(tm.body).toMatchObject({ training_job_id: a.ids['training_job'], combo_id: 1, artifact_hash: a.ids['artifact'], status: 'ready', sweep_id: a.ids['sweep'], data_snapshot_id: a.ids['data_snapshot'] });
    const g = await req(a, 'GET', `/v1/lineage/trained_model/${a.ids['trained_model'] ?? ''}?direction=up`);
    const nodes = (g.body['nodes'] as { type: string; id: string; hashes: { hash_type: string; hash: string }[] }[]);
    const has = (type: string, id: string | undefined) => nodes.some((n) => n.type === type && n.id === id);
    expect(has('combination', `${a.ids['sweep'] ?? ''}:1`)).toBe(true);
    expect(has('sweep', a.ids['sweep'])).toBe(true);
    expect(has('model_version', a.ids['model_version'])).toBe(true);
    expect(has('data_snapshot', a.ids['data_snapshot'])).toBe(true);
    expect(has('training_job', a.ids['training_job'])).toBe(true);
    expect(nodes.find((n) => n.type === 'trained_model')?.hashes).toEqual(expect.arrayContaining([{ hash_type: 'artifact', hash: a.ids['artifact'] }]));
    // Combination as a lineage root resolves too.
    expect((await req(a, 'GET', `/v1/lineage/combination/${a.ids['sweep'] ?? ''}:1?direction=down`)).status).toBe(200);
  });

  it('refuses unfinished jobs, untrained combinations, unknown artifacts and duplicates', async () => {
    const text = JSON.stringify({ kind: 'x' });
    await upload(a.key, text, sha(text));
    const j = await req(a, 'POST', '/v1/training-jobs', { sweep_id: a.ids['sweep'], combo_ids: [2], model_type: 'logreg', hyperparameters: { z: 1 } });
    const jobId = String(j.body['id']);
    expect(await req(a, 'POST', '/v1/trained-models', { training_job_id: jobId, combo_id: 2, artifact_hash: sha(text) })).toMatchObject({ status: 409, body: { code: 'INVALID_TRANSITION' } });
    await req(a, 'POST', `/v1/training-jobs/${jobId}/start`);
    await req(a, 'POST', `/v1/training-jobs/${jobId}/complete`);
    expect(await req(a, 'POST', '/v1/trained-models', { training_job_id: jobId, combo_id: 1, artifact_hash: sha(text) })).toMatchObject({ status: 400, body: { code: 'INVALID_PARAM' } });
    expect(await req(a, 'POST', '/v1/trained-models', { training_job_id: jobId, combo_id: 2, artifact_hash: sha('missing') })).toMatchObject({ status: 404 });
    expect((await req(a, 'POST', '/v1/trained-models', { training_job_id: jobId, combo_id: 2, artifact_hash: sha(text) })).status).toBe(201);
    expect(await req(a, 'POST', '/v1/trained-models', { training_job_id: jobId, combo_id: 2, artifact_hash: sha(text) })).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
  });
});

describe('validations', () => {
  it('checks bootstrap coherence and run_hash uniqueness', async () => {
    const base = { ...VALIDATION, trained_model_id: a.ids['trained_model'] };
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1', bootstrap_method: 'simple' })).status).toBe(400);
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1', bootstrap_block_length: null })).status).toBe(400);
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1', bootstrap_sharpe_low: 3 })).status).toBe(400);
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1', sweep_id: a.ids['sweep'] })).status).toBe(400);
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1', trained_model_id: b.ids['trained_model'] })).status).toBe(404);
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1', trained_model_id: undefined, sweep_id: a.ids['sweep'], combo_id: 9 })).status).toBe(404);
    expect((await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1' })).status).toBe(201);
    expect(await req(a, 'POST', '/v1/validations', { ...base, run_hash: 'v1' })).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    const listed = await req(a, 'GET', `/v1/validations?trained_model_id=${a.ids['trained_model'] ?? ''}`);
    expect((listed.body['items'] as Json[]).map((v) => v['run_hash']).sort()).toEqual(['rh-ta', 'v1']);
  });

  it('stores the engine\'s Validation row as is (combination target)', async () => {
    const r = Float64Array.from({ length: 300 }, (_, i) => 0.001 * Math.sin(i) + 0.0004 * Math.cos(3 * i));
    const { record } = validateRun({ config: { combo: 2 }, runHash: 'engine-run', returns: r, permutation: { marketReturns: r, exposure: new Float64Array(300).fill(1) }, periodsPerYear: 252, permutationOptions: { permutations: 50 }, bootstrapOptions: { resamples: 50 } });
    const { payload_json, ...fields } = record;
    const res = await req(a, 'POST', '/v1/validations', { ...fields, payload: JSON.parse(payload_json) as Json, sweep_id: a.ids['sweep'], combo_id: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...fields, combo_id: 2 });
    const g = await req(a, 'GET', `/v1/lineage/validation/${String(res.body['id'])}?direction=up`);
    expect((g.body['nodes'] as { type: string }[]).map((n) => n.type)).toContain('combination');
  });
});

describe('tenant isolation of the training routes', () => {
  it('answers 404 to another org for every training resource and sub-resource', async () => {
    const paths = [
      `/v1/training-jobs/${a.ids['training_job'] ?? ''}`, `/v1/training-jobs/${a.ids['training_job'] ?? ''}/metrics`, `/v1/training-jobs/${a.ids['training_job'] ?? ''}/feature-importance`,
      `/v1/trained-models/${a.ids['trained_model'] ?? ''}`, `/v1/artifacts/${a.ids['artifact'] ?? ''}`, `/v1/validations/${a.ids['validation'] ?? ''}`,
    ];
    for (const p of paths) expect((await req(b, 'GET', p)).status, p).toBe(404);
    for (const act of ['start', 'complete', 'cancel']) expect((await req(b, 'POST', `/v1/training-jobs/${a.ids['training_job'] ?? ''}/${act}`)).status).toBe(404);
    expect((await req(b, 'POST', '/v1/trained-models', { training_job_id: a.ids['training_job'], combo_id: 1, artifact_hash: a.ids['artifact'] })).status).toBe(404);
    for (const list of ['/v1/training-jobs', '/v1/trained-models', '/v1/validations', '/v1/artifacts']) {
      const text = JSON.stringify((await req(b, 'GET', `${list}?limit=500`)).body);
      for (const id of Object.values(a.ids)) expect(text.includes(id), `${list} leaks ${id}`).toBe(false);
    }
  });
});

describe('typed client', () => {
  it('reaches the training routes with typed calls (artifact hash = sha256 of the JSON the client sends)', async () => {
    const fetchApp = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => Promise.resolve(t.app.request(input, init));
    const client = createClient('http://sidecar.test', a.key, { fetch: fetchApp });
    const job = await client.v1['training-jobs'][':id'].$get({ param: { id: a.ids['training_job'] ?? '' } });
    expect(job.status).toBe(200);
    if (job.status === 200) expect((await job.json()).combo_ids).toEqual([1, 2]);
    const doc = { kind: 'logreg', coef: [1, 2], scaler: { mean: [0], std: [1] } };
    const up = await client.v1.artifacts.$post({ query: { sha256: sha(JSON.stringify(doc)) }, json: doc, header: {} });
    expect(up.status).toBe(201);
    const vals = await client.v1.validations.$get({ query: { trained_model_id: a.ids['trained_model'] ?? '' } });
    expect(vals.status).toBe(200);
    if (vals.status === 200) expect((await vals.json()).items.length).toBeGreaterThan(0);
  });
});
