import type { AppType } from '../app.js';
import { SCOPE_EXTENSION } from '../http/route.js';
import { METRICS, VALIDATION, snapshotFile } from './world.js';
import { samplePack } from './fixtures.js';

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. /v1/packs/{id} */
  path: string;
  scope: string;
  op: Record<string, unknown>;
}

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown> };
}

export async function openApiDoc(app: AppType): Promise<OpenApiDoc> {
  return (await (await app.request('/openapi.json')).json()) as OpenApiDoc;
}

export function operations(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      out.push({ method: method.toUpperCase(), path, scope: String(op[SCOPE_EXTENSION]), op });
    }
  }
  return out;
}

/** Which world id fills `{id}` in a path. */
export function idKindFor(path: string): string {
  const table: [RegExp, string][] = [
    [/^\/v1\/packs\//, 'pack'], [/^\/v1\/models\//, 'model'], [/^\/v1\/model-versions\//, 'model_version'],
    [/^\/v1\/data-snapshots\//, 'data_snapshot'], [/^\/v1\/sweeps\//, 'sweep'], [/^\/v1\/runs\//, 'run'],
    [/^\/v1\/indicator-sets\//, 'indicator_set'], [/^\/v1\/policies\//, 'policy'], [/^\/v1\/lineage\/links\//, 'lineage_link'],
    [/^\/v1\/keys\//, 'api_key'],
    [/^\/v1\/training-jobs\//, 'training_job'], [/^\/v1\/trained-models\//, 'trained_model'], [/^\/v1\/artifacts\//, 'artifact'], [/^\/v1\/validations\//, 'validation'], [/^\/v1\/users\//, 'user'], [/^\/v1\/lineage\/\{type\}\//, 'pack'],
  ];
  for (const [re, kind] of table) if (re.test(path)) return kind;
  throw new Error(`no id kind for ${path}`);
}

export function fillPath(path: string, ids: Record<string, string>, override?: string): string {
  const kind = path.includes('{id}') ? idKindFor(path) : '';
  // {combo_id}: combination 0, which every world's sweep has.
  return path.replace('{type}', 'pack').replace('{combo_id}', '0').replace('{id}', override ?? ids[kind] ?? 'missing');
}

/** A valid body for every operation that takes one (keyed "METHOD /path"), given a world's ids. */
export function sampleBody(method: string, path: string, ids: Record<string, string>, uniq: string): unknown {
  const k = `${method} ${path}`;
  switch (k) {
    case 'POST /v1/orgs': return { name: `org-${uniq}`, plan_tier: 'free', admin_email: `a-${uniq}@example.com` };
    case 'POST /v1/keys': return { name: `key-${uniq}`, role: 'viewer' };
    case 'POST /v1/users': return { email: `u-${uniq}@example.com`, role: 'viewer' };
    case 'PATCH /v1/users/{id}': return { name: 'renamed' };
    case 'POST /v1/packs': return samplePack(`pack-${uniq}`);
    case 'PATCH /v1/packs/{id}': return { tags: ['t'] };
    case 'POST /v1/packs/{id}/validation-reports': return { errors: [{ code: 'PACK_X', message: 'x' }], warnings: [] };
    case 'POST /v1/models': return { pack_id: ids['pack'], name: `model-${uniq}` };
    case 'PATCH /v1/models/{id}': return { description: 'd' };
    case 'POST /v1/models/{id}/versions': return { config_yaml: `a: ${uniq}\n` };
    case 'POST /v1/data-snapshots': return { name: `s-${uniq}`, uri: snapshotFile(uniq), date_range: { start: '2022-01-01', end: '2022-12-31' }, data_source_version: 'v1' };
    case 'POST /v1/sweeps': return {
      model_version_id: ids['model_version'], data_snapshot_id: ids['data_snapshot'], type: 'simple',
      date_range: { start: '2022-01-01', end: '2022-12-31' }, parameters: { rsi: [uniq] },
    };
    case 'PATCH /v1/sweeps/{id}': return { tag: 't' };
    case 'POST /v1/sweeps/{id}/progress': return { progress: 0.25 };
    case 'POST /v1/sweeps/{id}/fail': return { reason_code: 'SWS-4001', message: 'boom' };
    case 'POST /v1/sweeps/{id}/errors': return { reason_code: 'SWS-2001', message: 'x' };
    case 'POST /v1/sweeps/{id}/statistics': return { trials: 3, dsr: 0.41, pbo: 0.25 };
    case 'POST /v1/sweeps/{id}/combinations': return { items: [{ combo_id: 900, params: { p: uniq }, backtest_metrics: METRICS, gate_results: { quality: 'PASS' }, kept: true }] };
    case 'POST /v1/runs': return { config: { uniq }, data_snapshot_id: ids['data_snapshot'] };
    case 'POST /v1/runs/{id}/errors': return { error_code: 'X', message: 'x' };
    case 'POST /v1/runs/{id}/phase-metrics': return { phase: 'p', started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:00:01Z' };
    case 'POST /v1/indicator-sets': return { name: `is-${uniq}`, version: '1', indicators: [{ name: 'rsi', version: '1', params: {} }] };
    case 'POST /v1/policies': return { name: `p-${uniq}`, version: '1', spec: {} };
    case 'POST /v1/lineage/links': return { from: { type: 'pack', id: ids['pack'] }, to: { type: 'policy', id: ids['policy'] } };
    case 'POST /v1/training-jobs': return { sweep_id: ids['sweep'], combo_ids: [2], model_type: 'logreg', hyperparameters: { c: 1, uniq } };
    case 'POST /v1/training-jobs/{id}/progress': return { steps: [{ name: 'features', status: 'done', duration_ms: 3 }], progress: 0.5 };
    case 'POST /v1/training-jobs/{id}/fail': return { error_code: 'TRAIN_X', message: 'x' };
    case 'POST /v1/training-jobs/{id}/metrics': return { items: [{ split: 'validation', fold: 0, accuracy: 0.6, precision: 0.6, recall: 0.5, f1: 0.55, auc_roc: 0.61 }] };
    case 'POST /v1/training-jobs/{id}/feature-importance': return { items: [{ feature: `f-${uniq}`, gain: 1 }] };
    case 'POST /v1/artifacts': return { model: uniq };
    case 'POST /v1/trained-models': return { training_job_id: ids['training_job'], combo_id: 2, artifact_hash: ids['artifact'] };
    case 'POST /v1/validations': return { ...VALIDATION, run_hash: `rh-${uniq}`, trained_model_id: ids['trained_model'] };
    default: return undefined;
  }
}

export function takesBody(op: Operation): boolean {
  return op.op['requestBody'] !== undefined;
}
