/**
 * Permutation test of a strategy's own backtest (docs/validation.md "Permutation test").
 *
 * Statistic (`strategy_net`): the metric of the strategy's per-bar NET returns from the engine's
 * simulator — the equity path the backtest reports, costs, sizing and stops included — so the
 * observed Sharpe ratio IS the backtest's `sharpe_ratio`.
 *
 * Re-pricing: the strategy's decisions (its entry/exit signal masks, computed once on the real bars)
 * are kept; the market under them is permuted. Each bar t ≥ 1 is described relative to the previous
 * close (open, high, low and close over close[t−1]); these bar shapes are block-permuted (resample.ts:
 * the same bars in another order, blocks of b kept intact) and chained from close[0] into a new price
 * path, on which the SAME simulator with the SAME config re-runs the SAME signals (fills, costs, sizing,
 * stops all re-priced). The observed value and every permuted one come out of that one function.
 *
 * Null hypothesis: the timing of the strategy's decisions carries no information about the bars that
 * follow them. p = (1 + #{permuted ≥ observed}) / (N + 1).
 */
import { backtestMetrics, prepareBacktest, resolveBacktestConfig, runBacktest, type BacktestBars, type BacktestConfig, type BacktestConfigInput, type BacktestSignals } from '../backtest/index.js';
import { SigmatiqError } from '../errors.js';
import { createRng } from '../random/index.js';
import { backtestReturns } from './net-returns.js';
import { DEFAULT_PERMUTATIONS, PERMUTATION_METRICS, nullDistribution, permutationBlock, type PermutationMetric, type PermutationOptions, type PermutationResult } from './permutation.js';
import { blockPermutation } from './resample.js';
import { meanOf } from './stats.js';

/** What re-runs one backtest: the bars it ran on, its signal masks and its backtest config. */
export interface StrategyPermutationInput {
  readonly bars: BacktestBars;
  readonly signals: BacktestSignals;
  /** The backtest's config (a resolved BacktestConfig, e.g. `result.config`, or the input it was resolved from). */
  readonly config?: BacktestConfigInput;
}

export function isStrategyInput(x: unknown): x is StrategyPermutationInput {
  return typeof x === 'object' && x !== null && 'signals' in x && 'bars' in x;
}

function metricOfRun(metric: PermutationMetric, bars: BacktestBars, sig: BacktestSignals, cfg: BacktestConfig): number {
  if (metric === 'mean') return meanOf(backtestReturns(runBacktest(bars, sig, cfg)));
  const m = backtestMetrics(bars, sig.entry, sig.exit, cfg, prepareBacktest(bars, cfg));
  return metric === 'sharpe' ? m.sharpe_ratio : m.total_return;
}

function checkBars(bars: BacktestBars): void {
  const cols = [['open', bars.open], ['high', bars.high], ['low', bars.low], ['close', bars.close]] as const;
  for (const [field, a] of cols) {
    if (a.length !== bars.length) throw new SigmatiqError('VALIDATION_LENGTH_MISMATCH', `bars.${field} has ${a.length} values, bars.length is ${bars.length}`, { field, length: a.length, bars: bars.length });
    for (let i = 0; i < bars.length; i++) {
      const v = a[i] as number;
      if (!(Number.isFinite(v) && v > 0)) throw new SigmatiqError('VALIDATION_NON_FINITE', `bar ${i} has ${field} ${String(v)}: the permutation test re-prices bars and needs finite positive prices`, { field, index: i });
    }
  }
}

/** Bar k + 1's open, high, low and close over bar k's close (k = 0 … n − 2). */
export interface BarShapes {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

export function barShapes(bars: Pick<BacktestBars, 'open' | 'high' | 'low' | 'close' | 'length'>): BarShapes {
  const m = Math.max(0, bars.length - 1);
  const out = { open: new Float64Array(m), high: new Float64Array(m), low: new Float64Array(m), close: new Float64Array(m) };
  for (let k = 0; k < m; k++) {
    const prev = bars.close[k] as number;
    out.open[k] = (bars.open[k + 1] as number) / prev;
    out.high[k] = (bars.high[k + 1] as number) / prev;
    out.low[k] = (bars.low[k + 1] as number) / prev;
    out.close[k] = (bars.close[k + 1] as number) / prev;
  }
  return out;
}

/**
 * The price path of permuted bars: bar 0 as in `bars`; bar t ≥ 1 takes the shape of original bar
 * perm[t − 1] + 1, scaled by the new previous close (prices stay positive and each bar keeps
 * low ≤ open, close ≤ high, because scaling by a positive number is monotone). Writes into `out`.
 */
export function repriceBars(bars: Pick<BacktestBars, 'open' | 'high' | 'low' | 'close' | 'length'>, shapes: BarShapes, perm: ArrayLike<number>, out: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array }): void {
  const n = bars.length;
  out.open[0] = bars.open[0] as number;
  out.high[0] = bars.high[0] as number;
  out.low[0] = bars.low[0] as number;
  out.close[0] = bars.close[0] as number;
  for (let t = 1; t < n; t++) {
    const k = perm[t - 1] as number;
    const prev = out.close[t - 1] as number;
    out.open[t] = prev * (shapes.open[k] as number);
    out.high[t] = prev * (shapes.high[k] as number);
    out.low[t] = prev * (shapes.low[k] as number);
    out.close[t] = prev * (shapes.close[k] as number);
  }
}

/** Permutation test of the strategy's net per-bar returns, re-simulated on block-permuted bars. */
export function strategyPermutationTest(input: StrategyPermutationInput, options: PermutationOptions): PermutationResult {
  const { bars, signals } = input;
  const n = bars.length;
  const N = options.permutations ?? DEFAULT_PERMUTATIONS;
  const metric = options.metric ?? 'sharpe';
  if (n < 3) throw new SigmatiqError('VALIDATION_TOO_FEW_RETURNS', `the permutation test needs at least 3 bars (2 returns), got ${n}`, { observations: Math.max(0, n - 1) });
  if (!Number.isInteger(N) || N < 1 || N > 1_000_000) throw new SigmatiqError('VALIDATION_BAD_OPTION', `permutations must be an integer in [1, 1000000], got ${String(N)}`, { field: 'permutations' });
  if (!PERMUTATION_METRICS.includes(metric)) throw new SigmatiqError('VALIDATION_BAD_OPTION', `metric must be one of ${PERMUTATION_METRICS.join(', ')}, got '${String(metric)}'`, { field: 'metric' });
  if (options.blockLength !== undefined && (!Number.isInteger(options.blockLength) || options.blockLength < 1)) {
    throw new SigmatiqError('VALIDATION_BAD_OPTION', `blockLength must be a positive integer, got ${String(options.blockLength)}`, { field: 'blockLength' });
  }
  if (signals.entry.length !== n || signals.exit.length !== n) {
    throw new SigmatiqError('VALIDATION_LENGTH_MISMATCH', `signals (${signals.entry.length}/${signals.exit.length}) must have one value per bar (${n})`, { field: 'signals', bars: n });
  }
  checkBars(bars);
  const cfg = resolveBacktestConfig(input.config ?? {});
  const shapes = barShapes(bars);
  const { b, reason } = permutationBlock(options, () => Float64Array.from(shapes.close, (x) => x - 1));
  const observed = metricOfRun(metric, bars, signals, cfg);
  const permuted = { ts: bars.ts, open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), length: n, interval: bars.interval };
  const rng = createRng(options.seed);
  const perm = new Int32Array(n - 1);
  const nul = nullDistribution(N, observed, () => {
    blockPermutation(n - 1, b, rng, perm);
    repriceBars(bars, shapes, perm, permuted);
    return metricOfRun(metric, permuted, signals, cfg);
  });
  return { statistic: 'strategy_net', metric, observed, permutations: N, block_length: b, block_reason: reason, seed: options.seed, ...nul };
}
