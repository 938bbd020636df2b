import type { InstrumentKind } from '@sigmatiq/engine/dist/instruments/schema.js';

export const PLAN_TIERS = ['free', 'premium', 'pro'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

/**
 * Instrument kinds a pack may declare: the engine's kinds (engine/src/instruments INSTRUMENT_KINDS), 'option'
 * included (reserved by the engine). Spelled out as a tuple for zod and the packs CHECK constraint; the two
 * type checks below fail the build if the engine adds or drops a kind without this list following.
 */
export const INSTRUMENT_KINDS = ['stock', 'future', 'fx', 'crypto', 'option'] as const;
export type ServerInstrumentKind = (typeof INSTRUMENT_KINDS)[number];
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameKinds: Equal<ServerInstrumentKind, InstrumentKind> = true;
void sameKinds;
