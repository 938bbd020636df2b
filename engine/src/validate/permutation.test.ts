/**
 * Permutation test of the strategy's own net returns (strategyPermutationTest, statistic strategy_net):
 * size under the null (random-walk prices) and power (a planted edge), plus the lower-level exposure test.
 * Sizes: 50 seeds x 200 permutations x 500 bars (10,000 re-simulated 500-bar backtests) for the null;
 * 500 permutations for the edge (p can reach 1/501 < 0.01; the default N is what the gate uses).
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/run.js';
import { generateSyntheticBars } from '../data/synthetic.js';
import { createRng } from '../random/index.js';
import { compileStrategy } from '../strategy/index.js';
import { exposureFromBacktest, permutationTest } from './permutation.js';
import { strategyPermutationTest } from './strategy-permutation.js';

const BT = { fill: 'close' as const, commissionBps: 0, commissionFixed: 0, slippageBps: 0 };
const SMA = compileStrategy({ entry: 'cross_above(sma(close, 5), sma(close, 20))', exit: 'cross_below(sma(close, 5), sma(close, 20))' }, {});

describe('strategyPermutationTest', () => {
  it('an SMA-cross strategy on random-walk prices gets p > 0.05 for at least 90% of 50 seeds', () => {
    // Oracle: under the null every ordering is equally likely, so p is (super-)uniform: P(p <= 0.05) <= 0.05.
    const ps: number[] = [];
    for (let seed = 0; seed < 50; seed++) {
      const bars = generateSyntheticBars({ length: 500, seed: 100 + seed, interval: '1d', regimes: [{ vol: 0.2, drift: 0 }] });
      const sig = SMA.evaluate({ bars });
      // Default costs and next-open fills: the statistic is the net return path of the real backtest.
      ps.push(strategyPermutationTest({ bars, signals: sig, config: {} }, { seed, permutations: 200 }).p_value);
    }
    const above = ps.filter((p) => p > 0.05).length;
    expect(above).toBeGreaterThanOrEqual(45);
    // Not degenerate: the p-values spread over (0, 1].
    expect(Math.min(...ps)).toBeLessThan(0.5);
    expect(Math.max(...ps)).toBeGreaterThan(0.5);
  });

  it('a planted edge gets p < 0.01 (and the +1 correction: p = (1 + exceed) / (N + 1))', () => {
    // A signal x[t] = +/-1 known at bar t's close predicts the next bar's return: r[t+1] = 0.002 x[t] + 0.01 e.
    // The strategy is long while x > 0 (fill at the close, so it earns exactly the next return).
    const n = 500;
    const rng = createRng(42);
    const x = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1));
    const close = new Float64Array(n);
    close[0] = 100;
    for (let t = 1; t < n; t++) close[t] = (close[t - 1] as number) * (1 + 0.002 * (x[t - 1] as number) + 0.01 * rng.normal());
    const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
    const bars = { symbol: 'EDGE', interval: '1d', length: n, ts, open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1000) };
    const strat = compileStrategy({ entry: 'x > 0', exit: 'x < 0' }, { series: ['x'] });
    const signals = strat.evaluate({ bars, series: { x } });
    const res = runBacktest(bars, signals, BT);
    const p = strategyPermutationTest({ bars, signals, config: BT }, { seed: 7 });
    expect(p.statistic).toBe('strategy_net');
    expect(p.permutations).toBe(500);
    expect(p.p_value).toBeLessThan(0.01);
    expect(p.p_value).toBe((1 + p.exceed) / 501);
    expect(p.observed).toBe(res.metrics.sharpe_ratio); // the backtest's own Sharpe
    expect(p.observed).toBeGreaterThan(p.null_mean + 3 * p.null_std);
    // The same for total return and the mean net return.
    const tr = strategyPermutationTest({ bars, signals, config: BT }, { seed: 7, metric: 'total_return' });
    expect(tr.observed).toBe(res.metrics.total_return);
    expect(tr.p_value).toBeLessThan(0.01);
    expect(strategyPermutationTest({ bars, signals, config: BT }, { seed: 7, metric: 'mean', permutations: 200 }).p_value).toBeLessThan(0.01);
  });

  it('keeps its power on autocorrelated prices: blocks keep r\'s autocorrelation but not its alignment with the exposures', () => {
    // AR(1) returns, phi = 0.3: the ACF picks a block length > 1, yet a momentum rule (long after an up bar) is
    // still detected, because the exposures stay where they are while the returns move.
    const n = 1000;
    const rng = createRng(99);
    const close = new Float64Array(n);
    close[0] = 100;
    let r = 0;
    for (let t = 1; t < n; t++) {
      r = 0.3 * r + 0.01 * rng.normal();
      close[t] = (close[t - 1] as number) * (1 + r);
    }
    const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
    const bars = { symbol: 'AR', interval: '1d', length: n, ts, open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1000) };
    const strat = compileStrategy({ entry: 'close > shift(close, 1)', exit: 'close < shift(close, 1)' }, {});
    const p = strategyPermutationTest({ bars, signals: strat.evaluate({ bars }), config: BT }, { seed: 3 });
    expect(p.block_length).toBeGreaterThan(1);
    expect(p.p_value).toBeLessThan(0.01);
  });

  it('is deterministic for a seed; exposures carry the position from the previous close', () => {
    const bars = generateSyntheticBars({ length: 300, seed: 3, interval: '1d' });
    const res = runBacktest(bars, SMA.evaluate({ bars }), BT);
    const input = exposureFromBacktest(bars.close, res.bars);
    // Hand check of one exposure: w[t] = position[t-1] * close[t-1] / equity[t-1].
    const t = Array.from(res.bars.position).findIndex((q) => q > 0) + 1;
    expect(t).toBeGreaterThan(0);
    const want = ((res.bars.position[t - 1] as number) * (bars.close[t - 1] as number)) / (res.bars.equity[t - 1] as number);
    expect(input.exposure[t]).toBe(want);
    const a = permutationTest(input, { seed: 11, permutations: 100 });
    expect(permutationTest(input, { seed: 11, permutations: 100 })).toEqual(a);
    expect(permutationTest(input, { seed: 12, permutations: 100 }).null_mean).not.toBe(a.null_mean);
  });

  it('a zero exposure is never significant; bad inputs fail with stable codes', () => {
    const r = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i) / 100);
    // All metrics equal 0 = observed: every permutation "exceeds", p = 1.
    expect(permutationTest({ marketReturns: r, exposure: new Float64Array(100) }, { seed: 1, permutations: 50 }).p_value).toBe(1);
    const code = (f: () => unknown): string => { try { f(); } catch (e) { return (e as { code: string }).code; } return ''; };
    expect(code(() => permutationTest({ marketReturns: r, exposure: new Float64Array(99) }, { seed: 1 }))).toBe('VALIDATION_LENGTH_MISMATCH');
    expect(code(() => permutationTest({ marketReturns: r, exposure: new Float64Array(100) }, { seed: 1, permutations: 0 }))).toBe('VALIDATION_BAD_OPTION');
    expect(code(() => permutationTest({ marketReturns: r, exposure: new Float64Array(100).fill(Number.NaN) }, { seed: 1 }))).toBe('VALIDATION_NON_FINITE');
  });
});
