/**
 * The sidecar side of training and validation (docs/http-api.md "Training and validation"): training
 * jobs and their lifecycle, metrics, feature importance, artifacts uploaded by content hash, trained
 * models and validations. Thin typed wrappers over the sidecar's routes.
 */
import { SigmatiqError } from '@sigmatiq/engine';
import { expectOk, type SigmatiqClient } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { allPages } from './sweep-lookup.js';

export interface SidecarTrainingStep { name: string; status: 'pending' | 'running' | 'done' | 'failed' | 'skipped'; started_at?: string; ended_at?: string; duration_ms?: number }

export interface SidecarTrainingJob {
  id: string; model_id: string; model_version_id: string; sweep_id: string; combo_ids: number[]; data_snapshot_id: string;
  model_type: 'logreg' | 'gbdt'; status: 'queued' | 'training' | 'completed' | 'failed' | 'cancelled';
  steps: SidecarTrainingStep[]; progress: number; hyperparameters: Record<string, unknown>; label: Record<string, unknown> | null;
  seed: number; config_hash: string; error: { error_code: string; message: string } | null;
  created_at: string; started_at: string | null; ended_at: string | null;
}

export interface SidecarMetricsRow {
  id: string; job_id: string; split: 'train' | 'validation' | 'test'; fold: number | null;
  accuracy: number; precision: number; recall: number; f1: number; auc_roc: number; extra: Record<string, unknown> | null;
}

export interface SidecarImportanceRow { feature: string; gain: number; permutation: number | null; rank: number }

export interface SidecarTrainedModel {
  id: string; training_job_id: string; model_id: string; sweep_id: string; combo_id: number; artifact_hash: string;
  config_hash: string; data_snapshot_id: string; status: 'ready' | 'deprecated'; metadata: Record<string, unknown> | null; created_at: string;
}

export interface SidecarValidation {
  id: string; run_hash: string; trained_model_id: string | null; sweep_id: string | null; combo_id: number | null; payload: Record<string, unknown>;
  permutation_pvalue: number | null; bootstrap_sharpe_low: number | null; bootstrap_sharpe_high: number | null; bootstrap_cagr_low: number | null; bootstrap_cagr_high: number | null;
  bootstrap_method: 'hadj_bb' | 'simple' | null; bootstrap_block_length: number | null; bootstrap_jitter: number | null; bootstrap_fallback: 0 | 1 | null; created_at: string;
}

export async function createTrainingJob(client: SigmatiqClient, body: {
  sweep_id: string; combo_ids: number[]; model_type: 'logreg' | 'gbdt'; hyperparameters: Record<string, unknown>; label?: Record<string, unknown>; data_snapshot_id?: string; seed?: number;
}): Promise<SidecarTrainingJob> {
  return expectOk<SidecarTrainingJob>(await client.v1['training-jobs'].$post({ json: body, header: {} }), 'create training job');
}

export async function getTrainingJob(client: SigmatiqClient, id: string): Promise<SidecarTrainingJob> {
  const res = await client.v1['training-jobs'][':id'].$get({ param: { id } });
  if ((res.status as number) === 404) throw new SigmatiqError('TRAINING_JOB_NOT_FOUND', `no training job ${id} in the sidecar (sq.training.list() lists them)`, { param: 'job', id });
  return expectOk<SidecarTrainingJob>(res, `get training job ${id}`);
}

export async function listTrainingJobs(client: SigmatiqClient): Promise<SidecarTrainingJob[]> {
  return allPages(async (limit, offset) => expectOk<{ items: SidecarTrainingJob[] }>(await client.v1['training-jobs'].$get({ query: { limit, offset } }), 'list training jobs'));
}

export async function jobTransition(client: SigmatiqClient, id: string, t: 'start' | 'complete' | 'cancel'): Promise<SidecarTrainingJob> {
  return expectOk<SidecarTrainingJob>(await client.v1['training-jobs'][':id'][t].$post({ param: { id }, header: {} }), `${t} training job`);
}

export async function failJob(client: SigmatiqClient, id: string, code: string, message: string): Promise<SidecarTrainingJob> {
  const error_code = /^[A-Z][A-Z0-9_-]{0,63}$/.test(code) ? code : 'TRAIN_INTERNAL';
  return expectOk<SidecarTrainingJob>(await client.v1['training-jobs'][':id'].fail.$post({ param: { id }, json: { error_code, message: message.slice(0, 4000) || error_code }, header: {} }), 'fail training job');
}

/**
 * Progress while the job runs: the sidecar's job status after the post — `training`, or the status that refused it
 * (409 INVALID_TRANSITION: `cancelled` when the job was cancelled in the sidecar, e.g. from the API or a panel).
 */
export async function postLiveProgress(client: SigmatiqClient, id: string, steps: SidecarTrainingStep[], progress: number): Promise<string> {
  const res = await client.v1['training-jobs'][':id'].progress.$post({ param: { id }, json: { steps, progress: Math.min(1, Math.max(0, progress)) }, header: {} });
  if ((res.status as number) === 409) {
    type Err = { details?: { status?: unknown } };
    const body = (await res.json().catch(() => null)) as (Err & { error?: Err }) | null;
    const status = body?.error?.details?.status ?? body?.details?.status;
    return typeof status === 'string' ? status : 'unknown';
  }
  return (await expectOk<SidecarTrainingJob>(res, 'post training progress')).status;
}

export type MetricsItem = { split: 'train' | 'validation' | 'test'; fold?: number; accuracy: number; precision: number; recall: number; f1: number; auc_roc: number; extra?: Record<string, unknown> };

export async function postMetrics(client: SigmatiqClient, id: string, items: MetricsItem[]): Promise<void> {
  await expectOk(await client.v1['training-jobs'][':id'].metrics.$post({ param: { id }, json: { items }, header: {} }), 'record training metrics');
}

export async function jobMetrics(client: SigmatiqClient, id: string): Promise<SidecarMetricsRow[]> {
  return allPages(async (limit, offset) => expectOk<{ items: SidecarMetricsRow[] }>(await client.v1['training-jobs'][':id'].metrics.$get({ param: { id }, query: { limit, offset } }), 'training metrics'));
}

export async function postImportance(client: SigmatiqClient, id: string, items: { feature: string; gain: number; permutation?: number }[]): Promise<void> {
  await expectOk(await client.v1['training-jobs'][':id']['feature-importance'].$post({ param: { id }, json: { items }, header: {} }), 'record feature importance');
}

export async function jobImportance(client: SigmatiqClient, id: string): Promise<SidecarImportanceRow[]> {
  return allPages(async (limit, offset) => expectOk<{ items: SidecarImportanceRow[] }>(await client.v1['training-jobs'][':id']['feature-importance'].$get({ param: { id }, query: { limit, offset } }), 'feature importance'));
}

/**
 * Uploads the artifact's exact bytes with their sha256 (`POST /v1/artifacts?sha256=`). A raw fetch, not the
 * typed client: the typed client would re-serialize the JSON and the sidecar hashes the bytes it receives.
 */
export async function uploadArtifact(locator: SidecarLocator, url: string, sha256: string, json: string): Promise<'stored' | 'existing'> {
  const key = locator.apiKey();
  const res = await fetch(`${url.replace(/\/+$/, '')}/v1/artifacts?sha256=${sha256}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body: json,
  });
  await expectOk(res, 'upload artifact');
  return res.status === 201 ? 'stored' : 'existing';
}

/**
 * Registers the trained model. Training is deterministic, so the same training run again produces the same
 * artifact, which the sidecar refuses to register twice (409 CONFLICT naming the trained model that holds
 * it): that trained model is returned, with `reused: true`.
 */
export async function createTrainedModel(client: SigmatiqClient, body: { training_job_id: string; combo_id: number; artifact_hash: string; metadata?: Record<string, unknown> }): Promise<{ trained: SidecarTrainedModel; reused: boolean }> {
  const res = await client.v1['trained-models'].$post({ json: body, header: {} });
  if ((res.status as number) === 409) {
    type Err = { code?: unknown; details?: { trained_model_id?: unknown } };
    const body = (await res.clone().json().catch(() => null)) as (Err & { error?: Err }) | null;
    const err = body?.error ?? body;
    const id = err?.details?.trained_model_id;
    if (err?.code === 'CONFLICT' && typeof id === 'string') {
      const existing = await getTrainedModel(client, id);
      if (existing !== undefined) return { trained: existing, reused: true };
    }
  }
  return { trained: await expectOk<SidecarTrainedModel>(res, 'create trained model'), reused: false };
}

export async function getTrainedModel(client: SigmatiqClient, id: string): Promise<SidecarTrainedModel | undefined> {
  const res = await client.v1['trained-models'][':id'].$get({ param: { id } });
  if ((res.status as number) === 404) return undefined;
  return expectOk<SidecarTrainedModel>(res, `get trained model ${id}`);
}

export async function listTrainedModels(client: SigmatiqClient): Promise<SidecarTrainedModel[]> {
  return allPages(async (limit, offset) => expectOk<{ items: SidecarTrainedModel[] }>(await client.v1['trained-models'].$get({ query: { limit, offset } }), 'list trained models'));
}

export type ValidationBody = Omit<SidecarValidation, 'id' | 'created_at' | 'trained_model_id' | 'sweep_id' | 'combo_id'> & { trained_model_id?: string; sweep_id?: string; combo_id?: number };

/** Stores a validation; the same run_hash stored before answers 409 CONFLICT: that row is returned (reused). */
export async function storeValidation(client: SigmatiqClient, body: ValidationBody): Promise<{ validation: SidecarValidation; reused: boolean }> {
  const res = await client.v1.validations.$post({ json: body, header: {} });
  if ((res.status as number) === 409) {
    const err = (await res.json().catch(() => null)) as { error?: { details?: { validation_id?: unknown } }; details?: { validation_id?: unknown } } | null;
    const vid = err?.error?.details?.validation_id ?? err?.details?.validation_id;
    if (typeof vid === 'string') return { validation: await expectOk<SidecarValidation>(await client.v1.validations[':id'].$get({ param: { id: vid } }), 'get validation'), reused: true };
  }
  return { validation: await expectOk<SidecarValidation>(res, 'store validation'), reused: false };
}

/**
 * After a long synchronous computation on the kernel thread (`%validate`'s permutations and bootstrap, an inline
 * walk-forward; training no longer blocks: it runs on a worker thread), the sidecar may have closed idle
 * keep-alive connections (its keep-alive timeout is 5 s) without the kernel having seen it yet: the first
 * request on such a socket fails with `TypeError: fetch failed` before reaching the sidecar. `afterBlocking`
 * lets the event loop process those closes, then runs `request` (which must be idempotent or conflict-safe),
 * retrying it once on a connection failure.
 */
export async function afterBlocking<T>(request: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  try {
    return await request();
  } catch (e) {
    if (!(e instanceof TypeError && e.message === 'fetch failed')) throw e;
    await new Promise((resolve) => setTimeout(resolve, 50));
    return request();
  }
}
