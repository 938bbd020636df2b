import type { PlanTier } from '../db/enums.js';

/**
 * Plan limits from REQUIREMENTS.md ("Plans, quotas, errors" and "Sweeps"). `null` = unlimited. They are
 * copied into the org's Quota row when the org is created (and when its plan changes), so an operator
 * can adjust one org without a release.
 */
export interface PlanLimits {
  models: number | null;
  sweeps_per_day: number;
  concurrent_sweeps: number;
  training_per_day: number;
  concurrent_training: number;
  simple_combo_cap: number;
  /** 0 = custom sweeps not allowed on this plan. */
  custom_combo_cap: number;
  requests_per_minute: number;
}

export const PLAN_LIMITS: Readonly<Record<PlanTier, PlanLimits>> = {
  free: { models: 1, sweeps_per_day: 10, concurrent_sweeps: 2, training_per_day: 20, concurrent_training: 2, simple_combo_cap: 45, custom_combo_cap: 0, requests_per_minute: 60 },
  premium: { models: 5, sweeps_per_day: 10, concurrent_sweeps: 2, training_per_day: 20, concurrent_training: 2, simple_combo_cap: 45, custom_combo_cap: 1000, requests_per_minute: 600 },
  pro: { models: null, sweeps_per_day: 10, concurrent_sweeps: 2, training_per_day: 20, concurrent_training: 2, simple_combo_cap: 45, custom_combo_cap: 3000, requests_per_minute: 6000 },
};
