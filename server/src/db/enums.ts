export const PLAN_TIERS = ['free', 'premium', 'pro'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];
