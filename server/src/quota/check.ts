import { SigmatiqError } from '../engine.js';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { orgs, quotas, sweepRuns, trainingJobs, usageCounters } from '../db/schema.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import { PLAN_LIMITS, type PlanLimits } from './plans.js';

/** The org's limits: its Quota row, else the defaults of its plan. */
export async function loadLimits(tx: LibsqlTenantStore, orgId: string): Promise<{ plan: keyof typeof PLAN_LIMITS; limits: PlanLimits }> {
  const [row] = await tx.exec
    .select({ plan: orgs.plan_tier, limits: quotas.limits })
    .from(orgs)
    .leftJoin(quotas, eq(quotas.org_id, orgs.id))
    .where(eq(orgs.id, orgId))
    .limit(1);
  if (row === undefined) throw new SigmatiqError('NOT_FOUND', 'Unknown organization.', { org_id: orgId });
  return { plan: row.plan, limits: { ...PLAN_LIMITS[row.plan], ...(row.limits ?? {}) } };
}

function exceeded(limit: string, value: number | null, plan: string, message: string): SigmatiqError {
  return new SigmatiqError('QUOTA_EXCEEDED', message, { limit, value, plan_tier: plan });
}

export async function checkModelQuota(tx: LibsqlTenantStore, orgId: string): Promise<void> {
  const { plan, limits } = await loadLimits(tx, orgId);
  if (limits.models === null) return;
  const n = await tx.count('models', orgId);
  if (n >= limits.models) throw exceeded('models', limits.models, plan, `The ${plan} plan allows ${limits.models} model(s).`);
}

export function dayPeriod(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export async function counterValue(tx: LibsqlTenantStore, orgId: string, name: string, period: string): Promise<number> {
  const [row] = await tx.exec
    .select({ value: usageCounters.value })
    .from(usageCounters)
    .where(and(eq(usageCounters.org_id, orgId), eq(usageCounters.counter_name, name), eq(usageCounters.period, period)));
  return row?.value ?? 0;
}

export async function incrementCounter(tx: LibsqlTenantStore, orgId: string, name: string, period: string): Promise<void> {
  await tx.exec
    .insert(usageCounters)
    .values({ org_id: orgId, counter_name: name, period, value: 1 })
    .onConflictDoUpdate({
      target: [usageCounters.org_id, usageCounters.counter_name, usageCounters.period],
      set: { value: sql`${usageCounters.value} + 1`, updated_at: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` },
    });
}

/**
 * Checks the sweep quotas before a sweep is created: custom sweeps allowed by the plan, sweeps per UTC day
 * (UsageCounter `sweeps`/yyyy-mm-dd) and concurrent sweeps (queued or running). Returns the combo cap.
 */
export async function checkSweepQuota(tx: LibsqlTenantStore, orgId: string, type: 'simple' | 'custom', now: Date): Promise<{ comboCap: number; plan: keyof typeof PLAN_LIMITS }> {
  const { plan, limits } = await loadLimits(tx, orgId);
  const comboCap = type === 'simple' ? limits.simple_combo_cap : limits.custom_combo_cap;
  if (comboCap <= 0) throw exceeded('custom_combo_cap', 0, plan, `The ${plan} plan allows simple sweeps only.`);
  const today = await counterValue(tx, orgId, 'sweeps', dayPeriod(now));
  if (today >= limits.sweeps_per_day) {
    throw exceeded('sweeps_per_day', limits.sweeps_per_day, plan, `The ${plan} plan allows ${limits.sweeps_per_day} sweeps per day.`);
  }
  const [active] = await tx.exec
    .select({ n: count() })
    .from(sweepRuns)
    .where(and(eq(sweepRuns.org_id, orgId), inArray(sweepRuns.status, ['queued', 'running'])));
  if ((active?.n ?? 0) >= limits.concurrent_sweeps) {
    throw exceeded('concurrent_sweeps', limits.concurrent_sweeps, plan, `The ${plan} plan allows ${limits.concurrent_sweeps} concurrent sweeps.`);
  }
  return { comboCap, plan };
}

/**
 * Checks the training quotas before a training job is created: jobs per UTC day (UsageCounter
 * `training`/yyyy-mm-dd) and concurrent jobs (queued or training), from the org's plan limits.
 */
export async function checkTrainingQuota(tx: LibsqlTenantStore, orgId: string, now: Date): Promise<void> {
  const { plan, limits } = await loadLimits(tx, orgId);
  const today = await counterValue(tx, orgId, 'training', dayPeriod(now));
  if (today >= limits.training_per_day) {
    throw exceeded('training_per_day', limits.training_per_day, plan, `The ${plan} plan allows ${limits.training_per_day} training jobs per day.`);
  }
  const [active] = await tx.exec
    .select({ n: count() })
    .from(trainingJobs)
    .where(and(eq(trainingJobs.org_id, orgId), inArray(trainingJobs.status, ['queued', 'training'])));
  if ((active?.n ?? 0) >= limits.concurrent_training) {
    throw exceeded('concurrent_training', limits.concurrent_training, plan, `The ${plan} plan allows ${limits.concurrent_training} concurrent training jobs.`);
  }
}
