import { describe, expect, it } from 'vitest';
import { MetricsAccumulator } from './metrics.js';

describe('MetricsAccumulator (hand-checked on tiny series)', () => {
  it('return-based metrics', () => {
    // Initial 100, equity 110, 99, 108.9 -> returns r = [0.1, -0.1, 0.1], N = 3 return bars.
    const acc = new MetricsAccumulator(100, new Float64Array(1)); // a tiny buffer also exercises growth
    acc.addEquity(110, true);
    acc.addEquity(99, true);
    acc.addEquity(108.9, false);
    const m = acc.finish(252);
    // total_return = 108.9 / 100 - 1 = 0.089
    expect(m.total_return).toBeCloseTo(0.089, 14);
    // annualized = 1.089^(252/3) - 1 = 1.089^84 - 1 = 1288.26  (84 * ln 1.089 = 84 * 0.0852589 = 7.161748; e^7.161748 = 1289.26)
    expect(m.annualized_return).toBeCloseTo(Math.exp(84 * Math.log(1.089)) - 1, 8);
    expect(m.annualized_return).toBeGreaterThan(1288.2);
    expect(m.annualized_return).toBeLessThan(1288.3);
    // mean = 0.1/3 = 0.0333333; deviations 0.0666667, -0.1333333, 0.0666667
    // sum sq = 0.0044444 + 0.0177778 + 0.0044444 = 0.0266667; var(ddof 1) = 0.0133333; std = 0.1154701
    // sharpe = 0.0333333 / 0.1154701 * sqrt(252) = 0.2886751 * 15.8745079 = 4.5825757
    expect(m.sharpe_ratio).toBeCloseTo(4.5825757, 6);
    // sortino: mean of min(r,0)^2 over all 3 bars = 0.01 / 3; sqrt = 0.0577350
    // = 0.0333333 / 0.0577350 * 15.8745079 = 0.5773503 * 15.8745079 = 9.1651514
    expect(m.sortino_ratio).toBeCloseTo(9.1651514, 6);
    // peak 110, trough 99: (110 - 99) / 110 = 0.1
    expect(m.max_drawdown).toBeCloseTo(0.1, 14);
    expect(m.calmar_ratio).toBeCloseTo(m.annualized_return / 0.1, 8);
    // in position on 2 of 3 bars
    expect(m.exposure).toBeCloseTo(2 / 3, 14);
    expect(m.total_trades).toBe(0);
    expect(m.win_rate).toBe(0);
  });

  it('stale values in a reused buffer do not count', () => {
    // a scratch buffer holding old returns: only the one return added (0.1) counts
    const acc = new MetricsAccumulator(100, Float64Array.from([5, -5, 5]));
    acc.addEquity(110, true);
    const m = acc.finish(252);
    expect(m.total_return).toBeCloseTo(0.1, 14);
    expect(m.sharpe_ratio).toBe(0); // one return: no sample std
  });

  it('addFlat(k, e) equals k times addEquity(e, false) (bit for bit)', () => {
    const a = new MetricsAccumulator(100, new Float64Array(2));
    const b = new MetricsAccumulator(100, new Float64Array(2));
    for (const acc of [a, b]) {
      acc.addEquity(110, true);
      acc.addEquity(99, true);
    }
    a.addFlat(5, 99);
    for (let i = 0; i < 5; i++) b.addEquity(99, false);
    a.addFlat(2, 120); // equity differs from the last one: falls back to per-bar adds
    for (let i = 0; i < 2; i++) b.addEquity(120, false);
    expect(Array.from(a.returnsView() ?? [])).toEqual(Array.from(b.returnsView() ?? [1]));
    expect(a.finish(252)).toStrictEqual(b.finish(252));
    expect(a.drawdown()).toBe(b.drawdown());
  });

  it('addHeld equals addEquity(cash + exposure * close, true) bar by bar, stops before equity <= 0', () => {
    const close = Float64Array.from([10, 11, 9.5, 9.5, 12, 8, 3, 7]);
    const [cash, exposure] = [-40, 6]; // equity 20, 26, 17, 17, 32, 8, -22 (stop), 2
    const a = new MetricsAccumulator(25, new Float64Array(1));
    const b = new MetricsAccumulator(25, new Float64Array(1));
    a.addEquity(25, false);
    b.addEquity(25, false);
    const eq = new Float64Array(close.length).fill(-1);
    expect(a.addHeld(close, 0, 8, cash, exposure, eq)).toBe(6);
    for (let t = 0; t < 6; t++) b.addEquity(cash + exposure * (close[t] as number), true);
    // equityOut holds the equities of the bars added; past the stop it may hold anything (the caller writes those bars).
    expect(Array.from(eq.subarray(0, 6))).toEqual([20, 26, 17, 17, 32, 8]);
    expect(a.addHeld(close, 6, 6, cash, exposure, null)).toBe(6);
    expect(Array.from(a.returnsView() ?? [])).toEqual(Array.from(b.returnsView() ?? [1]));
    expect(a.drawdown()).toBe(b.drawdown());
    expect(a.finish(252)).toEqual(b.finish(252));
  });

  it('trade-based metrics', () => {
    const acc = new MetricsAccumulator(100);
    acc.addTrade(0.1, 10, 1);
    acc.addTrade(-0.05, -5, 2);
    acc.addTrade(0.02, 2, 3);
    acc.addTrade(0, 0, 4); // a flat trade: neither winner nor loser, but counted
    acc.addEquity(100, false);
    const m = acc.finish(252);
    expect(m.total_trades).toBe(4);
    expect(m.win_rate).toBe(0.5); // 2 winners / 4 trades
    expect(m.profit_factor).toBeCloseTo(12 / 5, 14); // (10 + 2) / 5
    expect(m.avg_trade_duration_days).toBe(2.5); // (1+2+3+4)/4
    expect(m.best_trade).toBe(0.1);
    expect(m.worst_trade).toBe(-0.05);
    expect(m.avg_winner).toBeCloseTo(0.06, 14); // (0.1 + 0.02) / 2
    expect(m.avg_loser).toBe(-0.05);
  });

  it('profit factor is +Infinity with winners and no loser, 0 with neither (documented)', () => {
    // By hand: gross profit 10 + 2 = 12, gross loss 0 -> 12 / 0 = +Infinity (no loser divides the profit).
    const win = new MetricsAccumulator(100);
    win.addTrade(0.1, 10, 1);
    win.addTrade(0.02, 2, 3);
    win.addTrade(0, 0, 4); // break-even: not a loser
    win.addEquity(112, true);
    expect(win.finish(252).profit_factor).toBe(Number.POSITIVE_INFINITY);
    // Only break-even trades: no profit and no loss -> 0.
    const flat = new MetricsAccumulator(100);
    flat.addTrade(0, 0, 1);
    flat.addEquity(100, false);
    expect(flat.finish(252).profit_factor).toBe(0);
  });

  it('undefined ratios are 0 (documented), flat equity has no drawdown', () => {
    const acc = new MetricsAccumulator(100);
    acc.addEquity(100, false);
    acc.addEquity(100, false);
    const m = acc.finish(252);
    expect(m.sharpe_ratio).toBe(0);
    expect(m.sortino_ratio).toBe(0);
    expect(m.calmar_ratio).toBe(0);
    expect(m.profit_factor).toBe(0);
    expect(m.max_drawdown).toBe(0);
    expect(m.annualized_return).toBe(0);
  });

  it('drawdown is measured from a peak that includes the initial capital', () => {
    // 100 -> 90 -> 95: peak stays 100, max dd = 0.1 (not 0 from a peak of 90)
    const acc = new MetricsAccumulator(100);
    acc.addEquity(90, true);
    expect(acc.drawdown()).toBeCloseTo(0.1, 14);
    acc.addEquity(95, true);
    expect(acc.drawdown()).toBeCloseTo(0.05, 14);
    expect(acc.finish(252).max_drawdown).toBeCloseTo(0.1, 14);
  });
});
