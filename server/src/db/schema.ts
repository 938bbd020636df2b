/**
 * The sidecar's tables (drizzle, SQLite dialect), after the Sigmatiq dictionary sections A (identity), B
 * (DataSnapshot), C (packs), D (models), E (sweeps), K (quotas) and L (lineage), the registry artifacts
 * (indicator-set and policy versions) and AlphaForge runs (run errors, phase metrics).
 * Every tenant table has `org_id NOT NULL` and an index whose first column is org_id. Column names are the
 * API's snake_case names. Identifiers are UUIDs (API keys: a public key id); timestamps ISO-8601 UTC text.
 * Migrations: `npx drizzle-kit generate` (config in server/drizzle.config.ts) into server/drizzle/.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { INSTRUMENT_KINDS } from './enums.js';

type Json = unknown;
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const id = () => text('id').primaryKey();
const orgId = () => text('org_id').notNull().references(() => orgs.id);
const createdAt = () => text('created_at').notNull().default(now);
const json = (name: string) => text(name, { mode: 'json' }).$type<Json>();

// ---- A) Identity, auth, RBAC -------------------------------------------------------------------
export const orgs = sqliteTable('orgs', {
  id: id(),
  name: text('name').notNull(),
  plan_tier: text('plan_tier', { enum: ['free', 'premium', 'pro'] }).notNull(),
  created_at: createdAt(),
});

export const roles = sqliteTable('roles', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
});

export const users = sqliteTable('users', {
  id: id(),
  org_id: orgId(),
  email: text('email').notNull(),
  name: text('name'),
  role_id: text('role_id').notNull().references(() => roles.id),
  mfa_enabled: integer('mfa_enabled', { mode: 'boolean' }).notNull().default(false),
  created_at: createdAt(),
}, (t) => [uniqueIndex('users_org_email').on(t.org_id, t.email)]);

export const apiKeys = sqliteTable('api_keys', {
  /** Public key id (`key_...`), also the first part of the secret so lookups never scan. */
  id: id(),
  org_id: orgId(),
  user_id: text('user_id').references(() => users.id),
  name: text('name').notNull(),
  /** sha256 hex of the whole secret `sq_<key id>_<random>`. */
  hash: text('hash').notNull(),
  scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
  created_at: createdAt(),
  expires_at: text('expires_at'),
  revoked_at: text('revoked_at'),
  last_used_at: text('last_used_at'),
}, (t) => [index('api_keys_org').on(t.org_id, t.created_at)]);

export const auditLog = sqliteTable('audit_log', {
  id: id(),
  org_id: orgId(),
  actor_type: text('actor_type', { enum: ['user', 'system', 'key'] }).notNull(),
  actor_id: text('actor_id').notNull(),
  action: text('action').notNull(),
  outcome: text('outcome', { enum: ['success', 'denied'] }).notNull(),
  target_type: text('target_type').notNull(),
  target_id: text('target_id').notNull(),
  ts: createdAt(),
  payload: json('payload'),
}, (t) => [index('audit_log_org_ts').on(t.org_id, t.ts)]);

/** Failed authentications (no org is known yet, so not a tenant table). */
export const authFailures = sqliteTable('auth_failures', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ts: createdAt(),
  key_id: text('key_id'),
  reason: text('reason').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
});

export const idempotencyKeys = sqliteTable('idempotency_keys', {
  org_id: orgId(),
  api_key_id: text('api_key_id').notNull(),
  key: text('key').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  body_hash: text('body_hash').notNull(),
  status: integer('status').notNull(),
  response: text('response').notNull(),
  created_at: createdAt(),
}, (t) => [primaryKey({ columns: [t.org_id, t.api_key_id, t.key] })]);

// ---- K) Quotas ----------------------------------------------------------------------------------
export const quotas = sqliteTable('quotas', {
  org_id: text('org_id').primaryKey().references(() => orgs.id),
  plan_tier: text('plan_tier', { enum: ['free', 'premium', 'pro'] }).notNull(),
  limits: text('limits', { mode: 'json' }).$type<Record<string, number | null>>().notNull(),
  updated_at: createdAt(),
});

export const usageCounters = sqliteTable('usage_counters', {
  org_id: orgId(),
  counter_name: text('counter_name').notNull(),
  /** `yyyy-mm-dd` for daily counters, `total` for lifetime ones. */
  period: text('period').notNull(),
  value: integer('value').notNull(),
  updated_at: createdAt(),
}, (t) => [primaryKey({ columns: [t.org_id, t.counter_name, t.period] })]);

// ---- B) Data snapshots ---------------------------------------------------------------------------
export const dataSnapshots = sqliteTable('data_snapshots', {
  id: id(),
  org_id: orgId(),
  name: text('name').notNull(),
  uri: text('uri').notNull(),
  date_range: json('date_range').notNull(),
  data_source_version: text('data_source_version').notNull(),
  /** sha256 of the snapshot file's bytes, computed by the sidecar. */
  hash: text('hash').notNull(),
  size_bytes: integer('size_bytes').notNull(),
  /**
   * The engine's data hash of the snapshot's normalized bars (the name of its content-addressed files), sent by the
   * importer and verified by the sidecar with the engine; null for snapshots registered before it existed.
   */
  data_hash: text('data_hash'),
  created_at: createdAt(),
}, (t) => [index('data_snapshots_org').on(t.org_id, t.created_at), uniqueIndex('data_snapshots_org_hash').on(t.org_id, t.hash)]);

// ---- C) Packs ------------------------------------------------------------------------------------
export const packs = sqliteTable('packs', {
  id: id(),
  org_id: orgId(),
  name: text('name').notNull(),
  version: text('version').notNull(),
  metadata: json('metadata').notNull(),
  supported_instruments: json('supported_instruments').notNull(),
  default_instrument: text('default_instrument').notNull(),
  tags: json('tags').notNull(),
  author: text('author').notNull(),
  spec: json('spec').notNull(),
  content_hash: text('content_hash').notNull(),
  created_at: createdAt(),
}, (t) => [
  index('packs_org').on(t.org_id, t.created_at),
  uniqueIndex('packs_org_name_version').on(t.org_id, t.name, t.version),
  check('packs_default_instrument', sql.raw(`default_instrument IN (${INSTRUMENT_KINDS.map((k) => `'${k}'`).join(', ')})`)),
]);

export const packValidationReports = sqliteTable('pack_validation_reports', {
  id: id(),
  org_id: orgId(),
  pack_id: text('pack_id').notNull().references(() => packs.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
  status: text('status', { enum: ['PASS', 'FAIL'] }).notNull(),
  errors: json('errors').notNull(),
  warnings: json('warnings').notNull(),
  created_at: createdAt(),
}, (t) => [index('pack_validation_reports_org').on(t.org_id, t.pack_id)]);

// ---- D) Models -----------------------------------------------------------------------------------
export const models = sqliteTable('models', {
  id: id(),
  org_id: orgId(),
  pack_id: text('pack_id').notNull().references(() => packs.id),
  name: text('name').notNull(),
  description: text('description'),
  status: text('status', { enum: ['draft', 'configured', 'published', 'retired'] }).notNull(),
  created_at: createdAt(),
}, (t) => [index('models_org').on(t.org_id, t.created_at), uniqueIndex('models_org_name').on(t.org_id, t.name)]);

export const modelVersions = sqliteTable('model_versions', {
  id: id(),
  org_id: orgId(),
  model_id: text('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  pack_version: text('pack_version').notNull(),
  config_yaml: text('config_yaml').notNull(),
  config_hash: text('config_hash').notNull(),
  created_at: createdAt(),
}, (t) => [index('model_versions_org').on(t.org_id, t.model_id), uniqueIndex('model_versions_model_version').on(t.model_id, t.version)]);

// ---- E) Sweeps -----------------------------------------------------------------------------------
export const sweeps = sqliteTable('sweeps', {
  id: id(),
  org_id: orgId(),
  model_version_id: text('model_version_id').notNull().references(() => modelVersions.id),
  data_snapshot_id: text('data_snapshot_id').notNull().references(() => dataSnapshots.id),
  type: text('type', { enum: ['simple', 'custom'] }).notNull(),
  date_range: json('date_range').notNull(),
  parameters: json('parameters').notNull(),
  quality_gates: json('quality_gates'),
  tag: text('tag'),
  plan_tier: text('plan_tier', { enum: ['free', 'premium', 'pro'] }).notNull(),
  combo_cap: integer('combo_cap').notNull(),
  config_hash: text('config_hash').notNull(),
  created_at: createdAt(),
}, (t) => [index('sweeps_org').on(t.org_id, t.created_at)]);

/** SweepRun: the 1:1 lifecycle row of a sweep. */
export const sweepRuns = sqliteTable('sweep_runs', {
  sweep_id: text('sweep_id').primaryKey().references(() => sweeps.id, { onDelete: 'cascade' }),
  org_id: orgId(),
  status: text('status', { enum: ['queued', 'running', 'cancelled', 'completed', 'failed'] }).notNull(),
  progress: real('progress').notNull(),
  started_at: text('started_at'),
  ended_at: text('ended_at'),
  pruning_used: integer('pruning_used', { mode: 'boolean' }).notNull(),
}, (t) => [index('sweep_runs_org').on(t.org_id, t.status)]);

export const sweepCombinations = sqliteTable('sweep_combinations', {
  org_id: orgId(),
  sweep_id: text('sweep_id').notNull().references(() => sweeps.id, { onDelete: 'cascade' }),
  combo_id: integer('combo_id').notNull(),
  params: json('params').notNull(),
  config_hash: text('config_hash').notNull(),
  backtest_metrics: json('backtest_metrics').notNull(),
  gate_results: json('gate_results').notNull(),
  gate_status: text('gate_status', { enum: ['PASS', 'MARGINAL', 'FAIL'] }).notNull(),
  sharpe: real('sharpe').notNull(),
  total_return: real('total_return').notNull(),
  trades: integer('trades').notNull(),
  max_drawdown: real('max_drawdown').notNull(),
  kept: integer('kept', { mode: 'boolean' }).notNull(),
  created_at: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.sweep_id, t.combo_id] }),
  // (sharpe DESC, total_return DESC, combo_id ASC) is exactly the leaderboard order (docs/sweeps.md, "Leaderboard
  // order"): a page is an index range scan, no sort.
  index('sweep_combinations_org_rank').on(t.org_id, t.sweep_id, t.kept, sql`${t.sharpe} DESC`, sql`${t.total_return} DESC`, t.combo_id),
]);

/**
 * The multiple-testing statistics of a sweep (trials, deflated Sharpe ratio of the winner, PBO by CSCV), posted
 * by the runner (the kernel's %sweep) when the sweep finishes or is cancelled; one row per sweep, replaced on
 * each post. DSR and PBO are probabilities (null when the engine could not compute them).
 */
export const sweepStatistics = sqliteTable('sweep_statistics', {
  sweep_id: text('sweep_id').primaryKey().references(() => sweeps.id, { onDelete: 'cascade' }),
  org_id: orgId(),
  trials: integer('trials').notNull(),
  dsr: real('dsr'),
  pbo: real('pbo'),
  created_at: createdAt(),
}, (t) => [
  index('sweep_statistics_org').on(t.org_id, t.sweep_id),
  check('sweep_statistics_ranges', sql`${t.trials} >= 1 AND (${t.dsr} IS NULL OR (${t.dsr} >= 0 AND ${t.dsr} <= 1)) AND (${t.pbo} IS NULL OR (${t.pbo} >= 0 AND ${t.pbo} <= 1))`),
]);

export const sweepErrors = sqliteTable('sweep_errors', {
  id: id(),
  org_id: orgId(),
  sweep_id: text('sweep_id').notNull().references(() => sweeps.id, { onDelete: 'cascade' }),
  reason_code: text('reason_code').notNull(),
  message: text('message').notNull(),
  detail: json('detail'),
  created_at: createdAt(),
}, (t) => [index('sweep_errors_org').on(t.org_id, t.sweep_id)]);

// ---- AlphaForge runs ----------------------------------------------------------------------------
export const runs = sqliteTable('runs', {
  id: id(),
  org_id: orgId(),
  run_hash: text('run_hash').notNull(),
  status: text('status', { enum: ['pending', 'running', 'failed', 'completed'] }).notNull(),
  config: json('config').notNull(),
  data_snapshot_id: text('data_snapshot_id').notNull().references(() => dataSnapshots.id),
  data_hash: text('data_hash').notNull(),
  sweep_id: text('sweep_id').references(() => sweeps.id),
  seed_root: integer('seed_root').notNull(),
  created_at: createdAt(),
  updated_at: createdAt(),
}, (t) => [index('runs_org').on(t.org_id, t.created_at), uniqueIndex('runs_org_hash').on(t.org_id, t.run_hash)]);

export const runErrors = sqliteTable('run_errors', {
  id: id(),
  org_id: orgId(),
  run_id: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  ts: createdAt(),
  phase: text('phase'),
  error_code: text('error_code').notNull(),
  message: text('message').notNull(),
  stack_hash: text('stack_hash'),
}, (t) => [index('run_errors_org').on(t.org_id, t.run_id)]);

export const phaseMetrics = sqliteTable('phase_metrics', {
  id: id(),
  org_id: orgId(),
  run_id: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  phase: text('phase').notNull(),
  started_at: text('started_at').notNull(),
  ended_at: text('ended_at').notNull(),
  duration_ms: integer('duration_ms').notNull(),
  rows_processed: integer('rows_processed'),
  extra: json('extra'),
}, (t) => [index('phase_metrics_org').on(t.org_id, t.run_id)]);

// ---- Registry artifacts -------------------------------------------------------------------------
export const indicatorSetVersions = sqliteTable('indicator_set_versions', {
  id: id(),
  org_id: orgId(),
  name: text('name').notNull(),
  version: text('version').notNull(),
  description: text('description'),
  indicators: json('indicators').notNull(),
  content_hash: text('content_hash').notNull(),
  created_at: createdAt(),
}, (t) => [index('indicator_set_versions_org').on(t.org_id, t.created_at), uniqueIndex('indicator_set_versions_org_nv').on(t.org_id, t.name, t.version)]);

export const policyVersions = sqliteTable('policy_versions', {
  id: id(),
  org_id: orgId(),
  name: text('name').notNull(),
  version: text('version').notNull(),
  description: text('description'),
  spec: json('spec').notNull(),
  content_hash: text('content_hash').notNull(),
  created_at: createdAt(),
}, (t) => [index('policy_versions_org').on(t.org_id, t.created_at), uniqueIndex('policy_versions_org_nv').on(t.org_id, t.name, t.version)]);

// ---- L) Lineage ----------------------------------------------------------------------------------
/** An edge from an upstream entity (`from`) to the entity derived from it (`to`). */
export const lineageLinks = sqliteTable('lineage_links', {
  id: id(),
  org_id: orgId(),
  from_type: text('from_type').notNull(),
  from_id: text('from_id').notNull(),
  to_type: text('to_type').notNull(),
  to_id: text('to_id').notNull(),
  created_at: createdAt(),
}, (t) => [
  uniqueIndex('lineage_links_org_edge').on(t.org_id, t.from_type, t.from_id, t.to_type, t.to_id),
  index('lineage_links_org_to').on(t.org_id, t.to_type, t.to_id),
]);

export const hashRecords = sqliteTable('hash_records', {
  org_id: orgId(),
  entity_type: text('entity_type').notNull(),
  entity_id: text('entity_id').notNull(),
  hash_type: text('hash_type', { enum: ['config', 'data', 'content', 'artifact'] }).notNull(),
  hash: text('hash').notNull(),
  created_at: createdAt(),
}, (t) => [primaryKey({ columns: [t.org_id, t.entity_type, t.entity_id, t.hash_type] }), index('hash_records_org_hash').on(t.org_id, t.hash)]);

// ---- F) Training and artifacts, AlphaForge validation ------------------------------------------
/** TrainingJob: one classifier training on PASS/MARGINAL combinations of a sweep. */
export const trainingJobs = sqliteTable('training_jobs', {
  id: id(),
  org_id: orgId(),
  model_id: text('model_id').notNull().references(() => models.id),
  model_version_id: text('model_version_id').notNull().references(() => modelVersions.id),
  sweep_id: text('sweep_id').notNull().references(() => sweeps.id),
  /** The trained combinations (the dictionary's combo_id; a job may train several). */
  combo_ids: text('combo_ids', { mode: 'json' }).$type<number[]>().notNull(),
  data_snapshot_id: text('data_snapshot_id').notNull().references(() => dataSnapshots.id),
  model_type: text('model_type', { enum: ['logreg', 'gbdt'] }).notNull(),
  status: text('status', { enum: ['queued', 'training', 'completed', 'failed', 'cancelled'] }).notNull(),
  /** Per-step progress: [{ name, status, started_at, ended_at, duration_ms }]. */
  steps: json('steps').notNull(),
  /** Fraction done in [0, 1]. */
  progress: real('progress').notNull(),
  hyperparameters: json('hyperparameters').notNull(),
  label: json('label'),
  seed: integer('seed').notNull(),
  config_hash: text('config_hash').notNull(),
  error: json('error'),
  created_at: createdAt(),
  started_at: text('started_at'),
  ended_at: text('ended_at'),
}, (t) => [index('training_jobs_org').on(t.org_id, t.created_at), index('training_jobs_org_status').on(t.org_id, t.status)]);

/** TrainingMetrics: one row per split (train, validation, test) and optional CV fold. */
export const trainingMetrics = sqliteTable('training_metrics', {
  id: id(),
  org_id: orgId(),
  job_id: text('job_id').notNull().references(() => trainingJobs.id, { onDelete: 'cascade' }),
  split: text('split', { enum: ['train', 'validation', 'test'] }).notNull(),
  fold: integer('fold'),
  accuracy: real('accuracy').notNull(),
  precision: real('precision').notNull(),
  recall: real('recall').notNull(),
  f1: real('f1').notNull(),
  auc_roc: real('auc_roc').notNull(),
  extra: json('extra'),
  created_at: createdAt(),
}, (t) => [index('training_metrics_org').on(t.org_id, t.job_id)]);

export const featureImportance = sqliteTable('feature_importance', {
  id: id(),
  org_id: orgId(),
  job_id: text('job_id').notNull().references(() => trainingJobs.id, { onDelete: 'cascade' }),
  feature: text('feature').notNull(),
  gain: real('gain').notNull(),
  permutation: real('permutation'),
  rank: integer('rank').notNull(),
  created_at: createdAt(),
}, (t) => [index('feature_importance_org').on(t.org_id, t.job_id, t.rank)]);

/** Content-addressed JSON artifacts (trained models: model + scaler + metadata), keyed by the sha256 of their bytes. */
export const artifacts = sqliteTable('artifacts', {
  org_id: orgId(),
  hash: text('hash').notNull(),
  media_type: text('media_type').notNull(),
  size_bytes: integer('size_bytes').notNull(),
  content: text('content').notNull(),
  created_at: createdAt(),
}, (t) => [primaryKey({ columns: [t.org_id, t.hash] })]);

export const trainedModels = sqliteTable('trained_models', {
  id: id(),
  org_id: orgId(),
  training_job_id: text('training_job_id').notNull().references(() => trainingJobs.id),
  model_id: text('model_id').notNull().references(() => models.id),
  sweep_id: text('sweep_id').notNull().references(() => sweeps.id),
  combo_id: integer('combo_id').notNull(),
  artifact_hash: text('artifact_hash').notNull(),
  config_hash: text('config_hash').notNull(),
  data_snapshot_id: text('data_snapshot_id').notNull().references(() => dataSnapshots.id),
  status: text('status', { enum: ['ready', 'deprecated'] }).notNull(),
  metadata: json('metadata'),
  created_at: createdAt(),
}, (t) => [index('trained_models_org').on(t.org_id, t.created_at), uniqueIndex('trained_models_org_artifact').on(t.org_id, t.artifact_hash)]);

/** AlphaForge Validation (permutation, bootstrap, walk-forward) of a trained model or a sweep combination. */
export const validations = sqliteTable('validations', {
  id: id(),
  org_id: orgId(),
  run_hash: text('run_hash').notNull(),
  trained_model_id: text('trained_model_id').references(() => trainedModels.id, { onDelete: 'cascade' }),
  sweep_id: text('sweep_id').references(() => sweeps.id, { onDelete: 'cascade' }),
  combo_id: integer('combo_id'),
  payload: json('payload').notNull(),
  permutation_pvalue: real('permutation_pvalue'),
  bootstrap_sharpe_low: real('bootstrap_sharpe_low'),
  bootstrap_sharpe_high: real('bootstrap_sharpe_high'),
  bootstrap_cagr_low: real('bootstrap_cagr_low'),
  bootstrap_cagr_high: real('bootstrap_cagr_high'),
  bootstrap_method: text('bootstrap_method', { enum: ['hadj_bb', 'simple'] }),
  bootstrap_block_length: integer('bootstrap_block_length'),
  bootstrap_jitter: integer('bootstrap_jitter'),
  bootstrap_fallback: integer('bootstrap_fallback', { mode: 'boolean' }),
  created_at: createdAt(),
}, (t) => [index('validations_org').on(t.org_id, t.created_at), index('validations_org_model').on(t.org_id, t.trained_model_id), uniqueIndex('validations_org_run_hash').on(t.org_id, t.run_hash)]);
