import type { ParamPoint } from '../space/space.js';

export type SamplerKind = 'grid' | 'random' | 'lhs' | 'tpe';
export const SAMPLER_KINDS: readonly SamplerKind[] = ['grid', 'random', 'lhs', 'tpe'];

export interface SamplerOptions {
  /** Number of trials (random, lhs, tpe). Grid ignores it. */
  readonly trials?: number;
  /** Seed of the engine PRNG (random, lhs, tpe). Default 0. */
  readonly seed?: number;
}

/**
 * Ask/tell protocol shared by every sampler. `ask(n)` returns up to n new points (fewer, then none,
 * when the plan is exhausted); `tell` reports the objective (higher is better; NaN for a failed
 * combination) of points in the order they were asked. Only TPE uses `tell`; the driver always
 * calls it, in ask order, so every sampler is deterministic whatever the number of workers.
 */
export interface Sampler {
  readonly kind: SamplerKind;
  /** Number of points this sampler will produce in total (known before any work: the cap check uses it). */
  readonly planned: number;
  ask(n: number): ParamPoint[];
  tell(points: readonly ParamPoint[], scores: readonly number[]): void;
  /** True when the sampler needs the scores of its last batch before the next ask. */
  readonly adaptive: boolean;
}
