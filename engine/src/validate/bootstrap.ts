/**
 * Bootstrap confidence intervals of Sharpe and CAGR (docs/validation.md "Bootstrap").
 *
 * The per-bar returns are resampled `resamples` times (default 1,000) with the circular block
 * bootstrap, block length chosen from the ACF (block-length.ts, ±1 jitter, cap 50) or, when that
 * is undefined, with the simple bootstrap (fallback recorded). Each resample's Sharpe and CAGR use
 * the backtester's conventions (stats.ts); the interval is the percentile interval at `level`
 * (default 0.95), quantiles of type 7.
 */
import { SigmatiqError } from '../errors.js';
import { createRng } from '../random/index.js';
import { DEFAULT_BLOCK_CAP, selectBlockLength, type BlockChoice } from './block-length.js';
import { blockBootstrapIndices } from './resample.js';
import { cagrOf, quantileSorted, sharpeOf } from './stats.js';

export const DEFAULT_RESAMPLES = 1000;

export interface BootstrapOptions {
  /** Resamples (default 1,000). */
  readonly resamples?: number;
  readonly seed: number;
  /** Annualization (periods per year) for Sharpe and CAGR. */
  readonly periodsPerYear: number;
  /** Confidence level in (0, 1), default 0.95. */
  readonly level?: number;
  /** Block length cap (default 50). */
  readonly cap?: number;
  /** Force a block length (skips the ACF selection; 1 = simple). */
  readonly blockLength?: number;
  readonly jitter?: number;
}

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface BootstrapResult {
  readonly sharpe: Interval;
  readonly cagr: Interval;
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
  readonly method: BlockChoice['method'];
  readonly block_length: number | null;
  readonly jitter: number | null;
  readonly fallback: boolean;
  readonly reason: BlockChoice['reason'] | 'forced';
  readonly observations: number;
}

function checkOptions(returns: ArrayLike<number>, o: BootstrapOptions): void {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 10 || resamples > 1_000_000) {
    throw new SigmatiqError('VALIDATION_BAD_OPTION', `resamples must be an integer in [10, 1000000], got ${String(resamples)}`, { field: 'resamples' });
  }
  const level = o.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new SigmatiqError('VALIDATION_BAD_OPTION', `level must be in (0, 1), got ${String(level)}`, { field: 'level' });
  if (!(o.periodsPerYear > 0) || !Number.isFinite(o.periodsPerYear)) {
    throw new SigmatiqError('VALIDATION_BAD_OPTION', `periodsPerYear must be a positive number, got ${String(o.periodsPerYear)}`, { field: 'periodsPerYear' });
  }
  if (o.blockLength !== undefined && (!Number.isInteger(o.blockLength) || o.blockLength < 1)) {
    throw new SigmatiqError('VALIDATION_BAD_OPTION', `blockLength must be a positive integer, got ${String(o.blockLength)}`, { field: 'blockLength' });
  }
  if (returns.length < 2) throw new SigmatiqError('VALIDATION_TOO_FEW_RETURNS', `the bootstrap needs at least 2 returns, got ${returns.length}`, { observations: returns.length });
  for (let i = 0; i < returns.length; i++) {
    if (!Number.isFinite(returns[i])) throw new SigmatiqError('VALIDATION_NON_FINITE', `return ${i} is not finite`, { index: i });
  }
}

export function bootstrapCi(returns: ArrayLike<number>, options: BootstrapOptions): BootstrapResult {
  checkOptions(returns, options);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  const cap = options.cap ?? DEFAULT_BLOCK_CAP;
  const n = returns.length;
  const ppy = options.periodsPerYear;
  let choice: Omit<BootstrapResult, 'sharpe' | 'cagr' | 'level' | 'resamples' | 'seed' | 'observations'>;
  if (options.blockLength !== undefined) {
    const b = options.blockLength;
    choice = b === 1 ? { method: 'simple', block_length: null, jitter: null, fallback: false, reason: 'forced' } : { method: 'hadj_bb', block_length: b, jitter: options.jitter ?? 1, fallback: false, reason: 'forced' };
  } else {
    const c = selectBlockLength(returns, { cap, ...(options.jitter === undefined ? {} : { jitter: options.jitter }) });
    choice = { method: c.method, block_length: c.block_length, jitter: c.jitter, fallback: c.fallback, reason: c.reason };
  }
  const b = choice.block_length ?? 1;
  const jitter = choice.jitter ?? 0;
  const rng = createRng(options.seed);
  const idx = new Int32Array(n);
  const x = Float64Array.from(returns);
  // log(1 + r) once (−Infinity for a total loss): a resample's CAGR is exp(ppy · mean log growth) − 1.
  const lg = x.map((v) => (1 + v > 0 ? Math.log1p(v) : Number.NEGATIVE_INFINITY));
  const sharpes = new Float64Array(resamples);
  const cagrs = new Float64Array(resamples);
  const sqrtPpy = Math.sqrt(ppy);
  for (let r = 0; r < resamples; r++) {
    blockBootstrapIndices(n, b, jitter, Math.max(cap, b), rng, idx);
    // Two passes over the drawn values (mean, then squared deviations: the same arithmetic as sharpeOf).
    let s = 0;
    let g = 0;
    for (let t = 0; t < n; t++) {
      const i = idx[t] as number;
      s += x[i] as number;
      g += lg[i] as number;
    }
    const mean = s / n;
    let ss = 0;
    for (let t = 0; t < n; t++) {
      const d = (x[idx[t] as number] as number) - mean;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / (n - 1));
    sharpes[r] = sd > 0 ? (mean / sd) * sqrtPpy : 0;
    cagrs[r] = g === Number.NEGATIVE_INFINITY ? -1 : Math.exp((g * ppy) / n) - 1;
  }
  sharpes.sort();
  cagrs.sort();
  const a = (1 - level) / 2;
  return {
    sharpe: { estimate: sharpeOf(returns, ppy), low: quantileSorted(sharpes, a), high: quantileSorted(sharpes, 1 - a) },
    cagr: { estimate: cagrOf(returns, ppy), low: quantileSorted(cagrs, a), high: quantileSorted(cagrs, 1 - a) },
    level, resamples, seed: options.seed, observations: n, ...choice,
  };
}
