/**
 * The strategy permutation test's re-pricing and its reconciliation with the backtest: the observed
 * statistic is the backtest's own metric (same simulator, same config, costs and sizing included).
 * Null size and power are in permutation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/run.js';
import { generateSyntheticBars } from '../data/synthetic.js';
import { compileStrategy } from '../strategy/index.js';
import { exposureFromBacktest, permutationTest } from './permutation.js';
import { barShapes, repriceBars, strategyPermutationTest } from './strategy-permutation.js';

const SMA = compileStrategy({ entry: 'cross_above(sma(close, 5), sma(close, 20))', exit: 'cross_below(sma(close, 5), sma(close, 20))' }, {});
const KELLY = { sizing: { mode: 'kelly' as const, multiplier: 0.5, cap: 0.25, minTrades: 5, warmupFraction: 0.1 }, stopLoss: 0.03 };
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return '';
};

describe('repriceBars', () => {
  const bars = generateSyntheticBars({ length: 50, seed: 4, interval: '1d' });
  const shapes = barShapes(bars);
  const out = { open: new Float64Array(50), high: new Float64Array(50), low: new Float64Array(50), close: new Float64Array(50) };
  it('the identity permutation gives back the prices (to rounding)', () => {
    repriceBars(bars, shapes, Int32Array.from({ length: 49 }, (_, i) => i), out);
    for (let t = 0; t < 50; t++) {
      for (const f of ['open', 'high', 'low', 'close'] as const) expect(Math.abs((out[f][t] as number) / (bars[f][t] as number) - 1)).toBeLessThan(1e-12);
    }
  });
  it('bar t takes the shape of bar perm[t-1] + 1 over the new previous close; bars stay well formed', () => {
    // Oracle: the definition, by hand: close*[t] / close*[t-1] = close[k+1] / close[k] with k = perm[t-1], same for open/high/low.
    const perm = Int32Array.from({ length: 49 }, (_, i) => 48 - i);
    repriceBars(bars, shapes, perm, out);
    expect(out.close[0]).toBe(bars.close[0]);
    for (let t = 1; t < 50; t++) {
      const k = perm[t - 1] as number;
      for (const f of ['open', 'high', 'low', 'close'] as const) {
        const want = (bars[f][k + 1] as number) / (bars.close[k] as number);
        expect(Math.abs((out[f][t] as number) / (out.close[t - 1] as number) / want - 1)).toBeLessThan(1e-12);
      }
      expect(out.low[t]).toBeLessThanOrEqual(Math.min(out.open[t] as number, out.close[t] as number));
      expect(out.high[t]).toBeGreaterThanOrEqual(Math.max(out.open[t] as number, out.close[t] as number));
    }
  });
});

describe('strategyPermutationTest', () => {
  const bars = generateSyntheticBars({ length: 600, seed: 21, interval: '1d' });
  const signals = SMA.evaluate({ bars });
  it('observes exactly the backtest\'s Sharpe and total return: Kelly sizing, stops, next-open fills, default costs', () => {
    const res = runBacktest(bars, signals, KELLY);
    expect(res.metrics.total_trades).toBeGreaterThan(5);
    const p = strategyPermutationTest({ bars, signals, config: res.config }, { seed: 1, permutations: 50 });
    expect(p.statistic).toBe('strategy_net');
    expect(p.observed).toBe(res.metrics.sharpe_ratio);
    expect(strategyPermutationTest({ bars, signals, config: KELLY }, { seed: 1, permutations: 20, metric: 'total_return' }).observed).toBe(res.metrics.total_return);
    // The lower-level exposure statistic is another number (gross, close-to-close): named apart.
    const g = permutationTest(exposureFromBacktest(bars.close, res.bars), { seed: 1, permutations: 50 });
    expect(g.statistic).toBe('exposure_gross');
    expect(g.observed).not.toBe(p.observed);
  });
  it('is deterministic for a seed; another seed draws other permutations', () => {
    const a = strategyPermutationTest({ bars, signals, config: KELLY }, { seed: 5, permutations: 60 });
    expect(strategyPermutationTest({ bars, signals, config: KELLY }, { seed: 5, permutations: 60 })).toEqual(a);
    expect(strategyPermutationTest({ bars, signals, config: KELLY }, { seed: 6, permutations: 60 }).null_mean).not.toBe(a.null_mean);
    expect(a.block_reason === 'acf' || a.block_reason === 'no_autocorrelation').toBe(true);
  });
  it('a strategy that never trades is never significant (every permuted Sharpe is 0 = observed: p = 1)', () => {
    const none = { entry: new Uint8Array(600), exit: new Uint8Array(600) };
    const p = strategyPermutationTest({ bars, signals: none }, { seed: 2, permutations: 30 });
    expect(p.observed).toBe(0);
    expect(p.p_value).toBe(1);
  });
  it('bad inputs fail with stable codes', () => {
    const bad = { ...bars, close: Float64Array.from(bars.close, (c, i) => (i === 7 ? Number.NaN : c)) };
    expect(code(() => strategyPermutationTest({ bars: bad, signals }, { seed: 1 }))).toBe('VALIDATION_NON_FINITE');
    expect(code(() => strategyPermutationTest({ bars, signals: { entry: new Uint8Array(3), exit: new Uint8Array(3) } }, { seed: 1 }))).toBe('VALIDATION_LENGTH_MISMATCH');
    expect(code(() => strategyPermutationTest({ bars, signals }, { seed: 1, permutations: 0 }))).toBe('VALIDATION_BAD_OPTION');
    expect(code(() => strategyPermutationTest({ bars, signals }, { seed: 1, blockLength: 0 }))).toBe('VALIDATION_BAD_OPTION');
  });
});
