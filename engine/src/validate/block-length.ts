/**
 * Block length from the autocorrelation function (docs/validation.md "Block length").
 *
 * Rule: with n returns, the 95% band of a white-noise ACF is ±1.96/√n. The block length b is the
 * smallest lag k ≥ 1 whose |ρ(k)| falls inside that band — lags 1..k−1 are significantly
 * autocorrelated, so a block must span them — capped at `cap` (default 50) and at ⌊n/2⌋.
 * b = 1 means no significant autocorrelation: the block bootstrap with blocks of 1 IS the simple
 * bootstrap, so the method is recorded as `simple` (not a fallback). When the ACF is undefined
 * (fewer than MIN_OBSERVATIONS returns, zero variance, or a non-finite value) the simple bootstrap
 * is used as a fallback and `fallback` is true.
 */
import { acf } from './stats.js';

export const DEFAULT_BLOCK_CAP = 50;
/** Below this many returns the ACF band is too wide to mean anything: simple bootstrap (fallback). */
export const MIN_OBSERVATIONS = 20;

export type BlockMethod = 'hadj_bb' | 'simple';

export interface BlockChoice {
  /** `hadj_bb`: block bootstrap with ACF-chosen block length and ±jitter; `simple`: iid resampling. */
  readonly method: BlockMethod;
  /** Block length (null when method is simple). */
  readonly block_length: number | null;
  /** Jitter (null when method is simple). */
  readonly jitter: number | null;
  /** True when the ACF was undefined and the simple bootstrap is a fallback. */
  readonly fallback: boolean;
  /** Why: `acf` (a block length was chosen), `no_autocorrelation` (b = 1), `too_short`, `zero_variance`, `non_finite`. */
  readonly reason: 'acf' | 'no_autocorrelation' | 'too_short' | 'zero_variance' | 'non_finite';
  /** The band used, 1.96/√n (null on fallback). */
  readonly band: number | null;
}

export function selectBlockLength(returns: ArrayLike<number>, options: { cap?: number; jitter?: number } = {}): BlockChoice {
  const cap = options.cap ?? DEFAULT_BLOCK_CAP;
  const jitter = options.jitter ?? 1;
  const n = returns.length;
  const simple = (reason: BlockChoice['reason'], fallback: boolean, band: number | null): BlockChoice => ({ method: 'simple', block_length: null, jitter: null, fallback, reason, band });
  for (let i = 0; i < n; i++) if (!Number.isFinite(returns[i])) return simple('non_finite', true, null);
  if (n < MIN_OBSERVATIONS) return simple('too_short', true, null);
  const limit = Math.max(1, Math.min(cap, Math.floor(n / 2)));
  const rho = acf(returns, limit);
  if (rho === undefined) return simple('zero_variance', true, null);
  const band = 1.96 / Math.sqrt(n);
  let b = limit;
  for (let k = 1; k <= limit; k++) {
    if (Math.abs(rho[k] as number) < band) {
      b = k;
      break;
    }
  }
  if (b <= 1) return simple('no_autocorrelation', false, band);
  return { method: 'hadj_bb', block_length: b, jitter, fallback: false, reason: 'acf', band };
}
