/**
 * Sweep types and plan-tier caps (REQUIREMENTS.md, Sweeps): a `simple` sweep has at most 45
 * combinations on every tier; a `custom` sweep at most 1,000 on premium and 3,000 on pro, and is
 * not allowed on free. Checked before any work starts (`planCount` never enumerates more than
 * cap + 1 grid points).
 */
import { SweepError } from './errors.js';
import { checkTrials } from './samplers/basic.js';
import type { SamplerKind } from './samplers/types.js';
import type { ParameterSpace } from './space/space.js';

export type SweepType = 'simple' | 'custom';
export type PlanTier = 'free' | 'premium' | 'pro';
export const SWEEP_TYPES: readonly SweepType[] = ['simple', 'custom'];
export const PLAN_TIERS: readonly PlanTier[] = ['free', 'premium', 'pro'];

export const SIMPLE_CAP = 45;
export const CUSTOM_CAPS: Readonly<Record<PlanTier, number | undefined>> = { free: undefined, premium: 1000, pro: 3000 };

/** The combination cap of a sweep type on a tier (SWS-1002 when the tier does not allow the type). */
export function comboCap(type: SweepType, tier: PlanTier): number {
  if (!SWEEP_TYPES.includes(type)) throw new SweepError('INVALID_OPTIONS', `unknown sweep type '${String(type)}' (simple, custom)`, { field: 'type' });
  if (!PLAN_TIERS.includes(tier)) throw new SweepError('INVALID_OPTIONS', `unknown plan tier '${String(tier)}' (free, premium, pro)`, { field: 'tier' });
  if (type === 'simple') return SIMPLE_CAP;
  const cap = CUSTOM_CAPS[tier];
  if (cap === undefined) throw new SweepError('TIER_NOT_ALLOWED', `the ${tier} tier allows simple sweeps only (<= ${SIMPLE_CAP} combinations)`, { type, tier });
  return cap;
}

/**
 * The number of combinations a sweep will run: the conditioned grid size for `grid`, else the
 * trials. Throws SWS-1001 when it exceeds `cap` (pass Infinity for no cap), and SWS-1004 when the
 * conditions leave nothing.
 */
export function planCount(space: ParameterSpace, sampler: SamplerKind, trials: number | undefined, cap: number): number {
  let count: number;
  if (sampler === 'grid') {
    const { points, exceeded } = space.enumerate(cap);
    if (exceeded) {
      throw new SweepError('CAP_EXCEEDED', `the grid has more than ${cap} combinations (the cap of this sweep type and tier)`, { cap, raw_size: space.rawSize, sampler });
    }
    count = points.length;
  } else {
    count = checkTrials(trials, sampler);
    if (count > cap) throw new SweepError('CAP_EXCEEDED', `${count} trials exceed the cap of ${cap} combinations`, { cap, trials: count, sampler });
  }
  if (count === 0) throw new SweepError('EMPTY_SPACE', `no combination satisfies the conditions ${space.conditions.map((c) => `'${c.source}'`).join(' and ')}`, { conditions: space.conditions.map((c) => c.source) });
  return count;
}
