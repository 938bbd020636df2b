import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppType } from '../app.js';
import { samplePack } from './fixtures.js';

export interface World {
  key: string;
  orgId: string;
  ids: Record<string, string>;
}

type Json = Record<string, unknown>;

export function call(app: AppType, key: string | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (key !== null) h['authorization'] = `Bearer ${key}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  return app.request(url, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

async function ok(res: Response, what: string): Promise<Json> {
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${text}`);
  return text === '' ? {} : (JSON.parse(text) as Json);
}

export const METRICS = {
  total_return: 0.12, annualized_return: 0.06, sharpe_ratio: 1.1, sortino_ratio: 1.4, max_drawdown: 0.1, win_rate: 0.55,
  profit_factor: 1.3, total_trades: 42, avg_trade_duration_days: 5, best_trade: 0.05, worst_trade: -0.03, avg_winner: 0.02, avg_loser: -0.01,
};

/** A Validation body (AlphaForge shape) without run_hash and target. */
export const VALIDATION = {
  payload: { seed_root: 7 }, permutation_pvalue: 0.004, bootstrap_sharpe_low: 0.4, bootstrap_sharpe_high: 1.6, bootstrap_cagr_low: 0.02, bootstrap_cagr_high: 0.2,
  bootstrap_method: 'hadj_bb', bootstrap_block_length: 5, bootstrap_jitter: 1, bootstrap_fallback: 0,
} as const;

export function snapshotFile(content = 'ts,open,high,low,close,volume\n'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sq-snap-'));
  const file = path.join(dir, 'snapshot.parquet');
  writeFileSync(file, content);
  return file;
}

/**
 * Creates one of every resource with `key` and returns their ids: org, pack, validation report, model, model
 * version, data snapshot, sweep (running, with 3 combinations and an error), run (with error and phase
 * metric), indicator set, policy, lineage link, user and api key.
 */
export async function buildWorld(app: AppType, key: string, tag: string): Promise<World> {
  const ids: Record<string, string> = {};
  const org = await ok(await call(app, key, 'GET', '/v1/org'), 'org');
  const orgId = String((org['org'] as Json)['id']);
  ids['pack'] = String((await ok(await call(app, key, 'POST', '/v1/packs', samplePack(`pack-${tag}`)), 'pack'))['id']);
  ids['report'] = String((await ok(await call(app, key, 'POST', `/v1/packs/${ids['pack']}/validation-reports`, { errors: [], warnings: [] }), 'report'))['id']);
  ids['model'] = String((await ok(await call(app, key, 'POST', '/v1/models', { pack_id: ids['pack'], name: `model-${tag}` }), 'model'))['id']);
  ids['model_version'] = String((await ok(await call(app, key, 'POST', `/v1/models/${ids['model']}/versions`, { config_yaml: `strategy: momentum\nrsi: 14\ntag: ${tag}\n` }), 'version'))['id']);
  ids['data_snapshot'] = String((await ok(await call(app, key, 'POST', '/v1/data-snapshots', {
    name: `snap-${tag}`, uri: snapshotFile(`data ${tag}\n`), date_range: { start: '2022-01-01', end: '2023-12-31' }, data_source_version: 'v1',
  }), 'snapshot'))['id']);
  ids['sweep'] = String((await ok(await call(app, key, 'POST', '/v1/sweeps', {
    model_version_id: ids['model_version'], data_snapshot_id: ids['data_snapshot'], type: 'simple',
    date_range: { start: '2022-01-01', end: '2023-12-31' }, parameters: { rsi: [10, 14, 20] },
  }), 'sweep'))['id']);
  await ok(await call(app, key, 'POST', `/v1/sweeps/${ids['sweep']}/start`), 'start');
  await ok(await call(app, key, 'POST', `/v1/sweeps/${ids['sweep']}/combinations`, {
    items: [10, 14, 20].map((rsi, i) => ({
      // Judged by the sidecar under the default gates (min_trades 20, relaxed 16): 12 trades FAIL, 18 MARGINAL, 42 PASS.
      combo_id: i, params: { rsi }, backtest_metrics: { ...METRICS, sharpe_ratio: 0.5 + i * 0.3, total_trades: [12, 18, 42][i] ?? 42 },
      gate_results: { quality: i === 0 ? 'FAIL' : i === 1 ? 'MARGINAL' : 'PASS', min_trades: i === 0 ? 'FAIL' : i === 1 ? 'MARGINAL' : 'PASS' }, kept: true,
    })),
  }), 'combos');
  ids['sweep_error'] = String((await ok(await call(app, key, 'POST', `/v1/sweeps/${ids['sweep']}/errors`, { reason_code: 'SWS-2001', message: 'combo skipped' }), 'sweep error'))['id']);
  ids['run'] = String((await ok(await call(app, key, 'POST', '/v1/runs', { config: { rsi: 14, tag }, data_snapshot_id: ids['data_snapshot'], sweep_id: ids['sweep'] }), 'run'))['id']);
  await ok(await call(app, key, 'POST', `/v1/runs/${ids['run']}/errors`, { error_code: 'DATA_GAP', message: 'gap', phase: 'load' }), 'run error');
  await ok(await call(app, key, 'POST', `/v1/runs/${ids['run']}/phase-metrics`, { phase: 'load', started_at: '2026-01-01T00:00:00.000Z', ended_at: '2026-01-01T00:00:01.500Z' }), 'phase');
  ids['indicator_set'] = String((await ok(await call(app, key, 'POST', '/v1/indicator-sets', { name: `is-${tag}`, version: '1', indicators: [{ name: 'rsi', version: '1', params: { period: 14 } }] }), 'is'))['id']);
  ids['policy'] = String((await ok(await call(app, key, 'POST', '/v1/policies', { name: `pol-${tag}`, version: '1', spec: { kelly: 0.05 } }), 'policy'))['id']);
  ids['lineage_link'] = String((await ok(await call(app, key, 'POST', '/v1/lineage/links', { from: { type: 'indicator_set', id: ids['indicator_set'] }, to: { type: 'model_version', id: ids['model_version'] } }), 'link'))['id']);
  // Training: a completed job on combinations 1 and 2 (PASS/MARGINAL), its artifact, trained model and validation.
  ids['training_job'] = String((await ok(await call(app, key, 'POST', '/v1/training-jobs', { sweep_id: ids['sweep'], combo_ids: [1, 2], model_type: 'gbdt', hyperparameters: { trees: 50, tag } }), 'training job'))['id']);
  await ok(await call(app, key, 'POST', `/v1/training-jobs/${ids['training_job']}/start`), 'training start');
  await ok(await call(app, key, 'POST', `/v1/training-jobs/${ids['training_job']}/metrics`, { items: [{ split: 'train', accuracy: 0.7, precision: 0.68, recall: 0.6, f1: 0.64, auc_roc: 0.74 }] }), 'training metrics');
  await ok(await call(app, key, 'POST', `/v1/training-jobs/${ids['training_job']}/feature-importance`, { items: [{ feature: 'rsi', gain: 3, permutation: 0.02 }, { feature: 'atr', gain: 1 }] }), 'importance');
  await ok(await call(app, key, 'POST', `/v1/training-jobs/${ids['training_job']}/complete`), 'training complete');
  const artifact = JSON.stringify({ kind: 'gbdt', tag });
  ids['artifact'] = createHash('sha256').update(artifact).digest('hex');
  const up = await app.request(`/v1/artifacts?sha256=${ids['artifact']}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: artifact });
  await ok(up, 'artifact');
  ids['trained_model'] = String((await ok(await call(app, key, 'POST', '/v1/trained-models', { training_job_id: ids['training_job'], combo_id: 1, artifact_hash: ids['artifact'] }), 'trained model'))['id']);
  ids['validation'] = String((await ok(await call(app, key, 'POST', '/v1/validations', { ...VALIDATION, run_hash: `rh-${tag}`, trained_model_id: ids['trained_model'] }), 'validation'))['id']);
  ids['user'] = String((await ok(await call(app, key, 'POST', '/v1/users', { email: `u-${tag}@example.com`, role: 'viewer' }), 'user'))['id']);
  ids['api_key'] = String((await ok(await call(app, key, 'POST', '/v1/keys', { name: `k-${tag}`, role: 'viewer' }), 'key'))['id']);
  return { key, orgId, ids };
}

/** Creates an organization through POST /v1/orgs with the platform key; returns its admin key. */
export async function newOrg(app: AppType, platformKey: string, name: string, plan: 'free' | 'premium' | 'pro' = 'pro'): Promise<{ key: string; orgId: string }> {
  const res = await ok(await call(app, platformKey, 'POST', '/v1/orgs', { name, plan_tier: plan, admin_email: `admin@${name}.example.com` }), 'org');
  return { key: String(res['key']), orgId: String((res['org'] as Json)['id']) };
}

/** A key with a built-in role in the org of `adminKey`. */
export async function keyWithRole(app: AppType, adminKey: string, role: 'org_admin' | 'researcher' | 'viewer'): Promise<string> {
  const res = await ok(await call(app, adminKey, 'POST', '/v1/keys', { name: `role-${role}`, role }), 'key');
  return String(res['key']);
}
