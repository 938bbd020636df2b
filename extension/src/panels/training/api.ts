/** Shapes of the sidecar's training answers (docs/http-api.md "Training and validation"); only the fields the panel reads. */
export type TrainingStatus = 'queued' | 'training' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface TrainingStep {
  name: string;
  status: StepStatus;
  started_at?: string;
  ended_at?: string;
  duration_ms?: number;
}

export interface TrainingJob {
  id: string;
  model_id: string;
  model_version_id: string;
  sweep_id: string;
  combo_ids: number[];
  data_snapshot_id: string;
  model_type: 'logreg' | 'gbdt';
  status: TrainingStatus;
  steps: TrainingStep[];
  progress: number;
  hyperparameters: Record<string, unknown>;
  label: Record<string, unknown> | null;
  seed: number;
  config_hash: string;
  error: { error_code: string; message: string } | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

export type Split = 'train' | 'validation' | 'test';

export interface TrainingMetricsRow {
  id: string;
  job_id: string;
  split: Split;
  fold: number | null;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc_roc: number;
  created_at: string;
}

export interface FeatureImportanceRow {
  feature: string;
  gain: number;
  permutation: number | null;
  rank: number;
}
