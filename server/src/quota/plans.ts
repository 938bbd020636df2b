import type { PlanTier } from '../db/enums.js';
import { comboCap } from '../engine.js';

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

/** The engine's combination cap of a sweep type on a tier (engine/src/sweep/caps.ts); 0 where the tier forbids the type. */
function engineCap(type: 'simple' | 'custom', tier: PlanTier): number {
  try {
    return comboCap(type, tier);
  } catch {
    return 0; // SWS TIER_NOT_ALLOWED: custom sweeps on the free tier
  }
}

export const PLAN_LIMITS: Readonly<Record<PlanTier, PlanLimits>> = {
  free: { models: 1, sweeps_per_day: 10, concurrent_sweeps: 2, training_per_day: 20, concurrent_training: 2, simple_combo_cap: engineCap('simple', 'free'), custom_combo_cap: engineCap('custom', 'free'), requests_per_minute: 60 },
  premium: { models: 5, sweeps_per_day: 10, concurrent_sweeps: 2, training_per_day: 20, concurrent_training: 2, simple_combo_cap: engineCap('simple', 'premium'), custom_combo_cap: engineCap('custom', 'premium'), requests_per_minute: 600 },
  pro: { models: null, sweeps_per_day: 10, concurrent_sweeps: 2, training_per_day: 20, concurrent_training: 2, simple_combo_cap: engineCap('simple', 'pro'), custom_combo_cap: engineCap('custom', 'pro'), requests_per_minute: 6000 },
};
