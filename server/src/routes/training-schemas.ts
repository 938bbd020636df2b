/** Request and response schemas of the training, artifact and validation routes (docs/http-api.md "Training and validation"). */
import { z } from '@hono/zod-openapi';
import { Sha256, Timestamp } from '../http/common.js';

const Unit = z.number().min(0).max(1);
const Code = z.string().regex(/^[A-Z][A-Z0-9_-]{0,63}$/);

export const TrainingJobCreate = z
  .object({
    sweep_id: z.string().min(1).max(100),
    combo_ids: z.array(z.number().int().min(0).max(1_000_000)).min(1).max(20).openapi({ description: 'PASS or MARGINAL combinations of the sweep (else 400 GATE_FAILED)' }),
    model_type: z.enum(['logreg', 'gbdt']),
    hyperparameters: z.record(z.string(), z.unknown()),
    label: z.record(z.string(), z.unknown()).optional(),
    data_snapshot_id: z.string().min(1).max(100).optional().openapi({ description: 'Default: the sweep\'s data snapshot' }),
    seed: z.number().int().min(0).max(4294967295).optional().openapi({ description: 'Default: sha256(canonical config) mod 2^32' }),
  })
  .strict()
  .openapi('TrainingJobCreate');

export const TrainingStep = z
  .object({
    name: z.string().min(1).max(100),
    status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
    started_at: z.iso.datetime().optional(),
    ended_at: z.iso.datetime().optional(),
    duration_ms: z.number().int().min(0).optional(),
  })
  .strict()
  .openapi('TrainingStep');

export const TrainingJob = z
  .object({
    id: z.string(), model_id: z.string(), model_version_id: z.string(), sweep_id: z.string(), combo_ids: z.array(z.number().int()),
    data_snapshot_id: z.string(), model_type: z.enum(['logreg', 'gbdt']),
    status: z.enum(['queued', 'training', 'completed', 'failed', 'cancelled']),
    steps: z.array(TrainingStep), progress: z.number(), hyperparameters: z.record(z.string(), z.unknown()), label: z.record(z.string(), z.unknown()).nullable(),
    seed: z.number().int(), config_hash: z.string(), error: z.object({ error_code: z.string(), message: z.string() }).nullable(),
    created_at: Timestamp, started_at: z.string().nullable(), ended_at: z.string().nullable(),
  })
  .openapi('TrainingJob');

export const ProgressBody = z
  .object({ steps: z.array(TrainingStep).max(100), progress: Unit })
  .strict()
  .openapi('TrainingProgress');
export const FailBody = z.object({ error_code: Code, message: z.string().min(1).max(4000) }).strict().openapi('TrainingFail');

const MetricsFields = { accuracy: Unit, precision: Unit, recall: Unit, f1: Unit, auc_roc: Unit };
export const MetricsItem = z
  .object({ split: z.enum(['train', 'validation', 'test']), fold: z.number().int().min(0).max(1000).optional(), ...MetricsFields, extra: z.record(z.string(), z.unknown()).optional() })
  .strict();
export const MetricsBatch = z.object({ items: z.array(MetricsItem).min(1).max(200) }).strict().openapi('TrainingMetricsBatch');
export const TrainingMetrics = z
  .object({ id: z.string(), job_id: z.string(), split: z.enum(['train', 'validation', 'test']), fold: z.number().int().nullable(), ...MetricsFields, extra: z.record(z.string(), z.unknown()).nullable(), created_at: Timestamp })
  .openapi('TrainingMetrics');

export const ImportanceBatch = z
  .object({ items: z.array(z.object({ feature: z.string().min(1).max(200), gain: z.number().min(0), permutation: z.number().optional() }).strict()).min(1).max(2000) })
  .strict()
  .openapi('FeatureImportanceBatch');
export const FeatureImportance = z
  .object({ id: z.string(), job_id: z.string(), feature: z.string(), gain: z.number(), permutation: z.number().nullable(), rank: z.number().int(), created_at: Timestamp })
  .openapi('FeatureImportance');

export const Artifact = z
  .object({ hash: z.string(), media_type: z.string(), size_bytes: z.number().int(), created_at: Timestamp })
  .openapi('Artifact');

export const TrainedModelCreate = z
  .object({
    training_job_id: z.string().min(1).max(100),
    combo_id: z.number().int().min(0).max(1_000_000),
    artifact_hash: Sha256,
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .openapi('TrainedModelCreate');
export const TrainedModel = z
  .object({
    id: z.string(), training_job_id: z.string(), model_id: z.string(), sweep_id: z.string(), combo_id: z.number().int(), artifact_hash: z.string(),
    config_hash: z.string(), data_snapshot_id: z.string(), status: z.enum(['ready', 'deprecated']), metadata: z.record(z.string(), z.unknown()).nullable(), created_at: Timestamp,
  })
  .openapi('TrainedModel');

const Real = z.number().nullable();
export const ValidationCreate = z
  .object({
    run_hash: z.string().min(1).max(128),
    trained_model_id: z.string().min(1).max(100).optional(),
    sweep_id: z.string().min(1).max(100).optional(),
    combo_id: z.number().int().min(0).max(1_000_000).optional(),
    payload: z.record(z.string(), z.unknown()),
    permutation_pvalue: z.number().min(0).max(1).nullable(),
    bootstrap_sharpe_low: Real, bootstrap_sharpe_high: Real, bootstrap_cagr_low: Real, bootstrap_cagr_high: Real,
    bootstrap_method: z.enum(['hadj_bb', 'simple']).nullable(),
    bootstrap_block_length: z.number().int().min(1).max(50).nullable(),
    bootstrap_jitter: z.number().int().min(0).max(50).nullable(),
    bootstrap_fallback: z.union([z.literal(0), z.literal(1)]).nullable(),
  })
  .strict()
  .openapi('ValidationCreate');
export const Validation = z
  .object({
    id: z.string(), run_hash: z.string(), trained_model_id: z.string().nullable(), sweep_id: z.string().nullable(), combo_id: z.number().int().nullable(),
    payload: z.record(z.string(), z.unknown()), permutation_pvalue: Real,
    bootstrap_sharpe_low: Real, bootstrap_sharpe_high: Real, bootstrap_cagr_low: Real, bootstrap_cagr_high: Real,
    bootstrap_method: z.enum(['hadj_bb', 'simple']).nullable(), bootstrap_block_length: z.number().int().nullable(), bootstrap_jitter: z.number().int().nullable(),
    bootstrap_fallback: z.union([z.literal(0), z.literal(1)]).nullable(), created_at: Timestamp,
  })
  .openapi('Validation');
