/**
 * Exposure permutation test (docs/validation.md "Permutation test", statistic `exposure_gross`): a
 * lower-level variant of strategy-permutation.ts for when only a return series and exposures are at
 * hand. Its statistic is NOT the backtest's: it is the metric of w[t] · r[t], close-to-close and before
 * costs (a position opened at bar t's open counts from bar t+1). `validateBacktest` and `validateRun`
 * with a strategy input use the strategy's own net returns instead (`strategy_net`).
 *
 * What is permuted: the MARKET's per-bar returns, in blocks, under the strategy's FIXED exposure
 * series. The strategy's return at bar t is w[t] · r[t], where w[t] is the exposure (signed
 * fraction of equity in the instrument) held over bar t and r[t] the instrument's return over bar t.
 * Each permutation keeps w and replaces r by a block permutation of r (resample.ts: the same values
 * in another order, blocks of length b kept intact so short-range autocorrelation survives). Null
 * hypothesis: the timing of the exposures carries no information about the returns that follow;
 * under it, the observed metric is exchangeable with the permuted ones. The metric is computed the
 * same way for the observed series and for every permutation (gross of costs: costs do not depend
 * on the order of the market returns).
 *
 * p-value = (1 + #{permuted metric ≥ observed}) / (N + 1) (the +1 correction: the observed
 * ordering counts as one of the permutations, so p is never 0 and the test is exact at level α).
 */
import { SigmatiqError } from '../errors.js';
import { createRng } from '../random/index.js';
import { selectBlockLength, type BlockChoice } from './block-length.js';
import { blockPermutation } from './resample.js';
import { meanOf, sharpeOf, totalReturnOf } from './stats.js';

export const DEFAULT_PERMUTATIONS = 500;
export const PERMUTATION_METRICS = ['sharpe', 'total_return', 'mean'] as const;
export type PermutationMetric = (typeof PERMUTATION_METRICS)[number];

export interface PermutationInput {
  /** r[t]: the instrument's return over bar t (close[t] / close[t − 1] − 1; r[0] = 0). */
  readonly marketReturns: ArrayLike<number>;
  /** w[t]: exposure held over bar t (signed fraction of equity), same length. */
  readonly exposure: ArrayLike<number>;
}

export interface PermutationOptions {
  readonly seed: number;
  /** Default 500. */
  readonly permutations?: number;
  /** Default `sharpe`. */
  readonly metric?: PermutationMetric;
  /** Periods per year (Sharpe annualization; default 252). */
  readonly periodsPerYear?: number;
  /** Force a block length (default: from the ACF of the market returns, cap 50; 1 when none). */
  readonly blockLength?: number;
}

/**
 * What the metric is computed on. `strategy_net`: the strategy's per-bar net returns from the simulator
 * (costs included; the observed Sharpe is the backtest's), re-simulated on permuted bars.
 * `exposure_gross`: w[t] · r[t] under fixed exposures, close-to-close, before costs.
 */
export type PermutationStatistic = 'strategy_net' | 'exposure_gross';

export interface PermutationResult {
  readonly statistic: PermutationStatistic;
  readonly metric: PermutationMetric;
  readonly observed: number;
  readonly p_value: number;
  readonly permutations: number;
  /** Permuted metrics at least as large as the observed one. */
  readonly exceed: number;
  readonly block_length: number;
  readonly block_reason: BlockChoice['reason'] | 'forced';
  readonly seed: number;
  /** Mean and std (ddof 1) of the permuted metrics (the null distribution's location and scale). */
  readonly null_mean: number;
  readonly null_std: number;
}

function metricOf(metric: PermutationMetric, s: Float64Array, ppy: number): number {
  if (metric === 'sharpe') return sharpeOf(s, ppy);
  if (metric === 'total_return') return totalReturnOf(s);
  return meanOf(s);
}

export function permutationTest(input: PermutationInput, options: PermutationOptions): PermutationResult {
  const r = input.marketReturns;
  const w = input.exposure;
  const n = r.length;
  const N = options.permutations ?? DEFAULT_PERMUTATIONS;
  const metric = options.metric ?? 'sharpe';
  const ppy = options.periodsPerYear ?? 252;
  if (w.length !== n) throw new SigmatiqError('VALIDATION_LENGTH_MISMATCH', `exposure has ${w.length} values, marketReturns ${n}`, { exposure: w.length, marketReturns: n });
  if (n < 2) throw new SigmatiqError('VALIDATION_TOO_FEW_RETURNS', `the permutation test needs at least 2 returns, got ${n}`, { observations: n });
  if (!Number.isInteger(N) || N < 1 || N > 1_000_000) throw new SigmatiqError('VALIDATION_BAD_OPTION', `permutations must be an integer in [1, 1000000], got ${String(N)}`, { field: 'permutations' });
  if (!PERMUTATION_METRICS.includes(metric)) throw new SigmatiqError('VALIDATION_BAD_OPTION', `metric must be one of ${PERMUTATION_METRICS.join(', ')}, got '${String(metric)}'`, { field: 'metric' });
  if (options.blockLength !== undefined && (!Number.isInteger(options.blockLength) || options.blockLength < 1)) {
    throw new SigmatiqError('VALIDATION_BAD_OPTION', `blockLength must be a positive integer, got ${String(options.blockLength)}`, { field: 'blockLength' });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(r[i])) throw new SigmatiqError('VALIDATION_NON_FINITE', `market return ${i} is not finite`, { field: 'marketReturns', index: i });
    if (!Number.isFinite(w[i])) throw new SigmatiqError('VALIDATION_NON_FINITE', `exposure ${i} is not finite`, { field: 'exposure', index: i });
  }
  const { b, reason } = permutationBlock(options, () => r);
  const s = new Float64Array(n);
  for (let t = 0; t < n; t++) s[t] = (w[t] as number) * (r[t] as number);
  const observed = metricOf(metric, s, ppy);
  const rng = createRng(options.seed);
  const perm = new Int32Array(n);
  const nul = nullDistribution(N, observed, () => {
    blockPermutation(n, b, rng, perm);
    for (let t = 0; t < n; t++) s[t] = (w[t] as number) * (r[perm[t] as number] as number);
    return metricOf(metric, s, ppy);
  });
  return { statistic: 'exposure_gross', metric, observed, permutations: N, block_length: b, block_reason: reason, seed: options.seed, ...nul };
}

/**
 * The block length of a permutation test: `options.blockLength` when given ('forced'), else chosen from the
 * autocorrelation of `returns()` (called only then), 1 when that is not defined. Shared by both tests.
 */
export function permutationBlock(options: PermutationOptions, returns: () => ArrayLike<number>): { b: number; reason: PermutationResult['block_reason'] } {
  if (options.blockLength !== undefined) return { b: options.blockLength, reason: 'forced' };
  const c = selectBlockLength(returns());
  return { b: c.block_length ?? 1, reason: c.reason };
}

/**
 * The null distribution of `N` permuted statistics (`draw()`, called N times in order) against the
 * observed one: exceedances (permuted ≥ observed), the p-value (1 + exceed) / (N + 1) (Phipson & Smyth
 * 2010: never 0), and the null's mean and sample standard deviation. Shared by both permutation tests.
 */
export function nullDistribution(N: number, observed: number, draw: () => number): { exceed: number; p_value: number; null_mean: number; null_std: number } {
  let exceed = 0;
  let sum = 0;
  let sum2 = 0;
  for (let k = 0; k < N; k++) {
    const m = draw();
    if (m >= observed) exceed++;
    sum += m;
    sum2 += m * m;
  }
  const nullMean = sum / N;
  const nullVar = N > 1 ? Math.max(0, (sum2 - N * nullMean * nullMean) / (N - 1)) : 0;
  return { exceed, p_value: (1 + exceed) / (N + 1), null_mean: nullMean, null_std: Math.sqrt(nullVar) };
}

/**
 * The permutation input of a full backtest: r[t] = close[t] / close[t−1] − 1 and
 * w[t] = position[t−1] · close[t−1] · multiplier / equity[t−1] (the exposure carried from bar t−1's
 * close into bar t; w[0] = 0). Close-to-close: a position opened at bar t's open counts from bar t+1.
 */
export function exposureFromBacktest(close: ArrayLike<number>, records: { readonly position: ArrayLike<number>; readonly equity: ArrayLike<number> }, multiplier = 1): PermutationInput {
  const n = close.length;
  if (records.position.length !== n || records.equity.length !== n) {
    throw new SigmatiqError('VALIDATION_LENGTH_MISMATCH', `position/equity records (${records.position.length}/${records.equity.length}) must have one value per bar (${n})`, { bars: n });
  }
  const r = new Float64Array(n);
  const w = new Float64Array(n);
  for (let t = 1; t < n; t++) {
    const c0 = close[t - 1] as number;
    r[t] = (close[t] as number) / c0 - 1;
    const eq = records.equity[t - 1] as number;
    w[t] = eq > 0 ? ((records.position[t - 1] as number) * c0 * multiplier) / eq : 0;
  }
  return { marketReturns: r, exposure: w };
}
