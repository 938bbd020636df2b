import * as s from '../db/schema.js';

/** Tenant tables with an `id` primary key, reachable through the generic TenantStore. */
export const TENANT_TABLES = {
  users: s.users,
  api_keys: s.apiKeys,
  packs: s.packs,
  pack_validation_reports: s.packValidationReports,
  models: s.models,
  model_versions: s.modelVersions,
  data_snapshots: s.dataSnapshots,
  sweeps: s.sweeps,
  sweep_errors: s.sweepErrors,
  runs: s.runs,
  run_errors: s.runErrors,
  phase_metrics: s.phaseMetrics,
  indicator_set_versions: s.indicatorSetVersions,
  policy_versions: s.policyVersions,
  lineage_links: s.lineageLinks,
  audit_log: s.auditLog,
  training_jobs: s.trainingJobs,
  training_metrics: s.trainingMetrics,
  feature_importance: s.featureImportance,
  trained_models: s.trainedModels,
  validations: s.validations,
} as const;

export type Kind = keyof typeof TENANT_TABLES;
export type Row<K extends Kind> = (typeof TENANT_TABLES)[K]['$inferSelect'];
export type NewRow<K extends Kind> = Omit<(typeof TENANT_TABLES)[K]['$inferInsert'], 'org_id' | 'id'>;
