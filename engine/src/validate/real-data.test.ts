/**
 * Walk-forward and bootstrap on real S&P 500 daily bars (../shared/data/real, 1999-2018): window
 * boundaries land on the calendar, test parts tile the out-of-sample period, the stitched curve chains
 * the windows, and the bootstrap of a real strategy's returns records its method.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/run.js';
import { importBars } from '../data/import.js';
import { realDataDir } from '../data/real-data.js';
import { compileStrategy } from '../strategy/index.js';
import { backtestReturns } from './backtest-input.js';
import { bootstrapCi } from './bootstrap.js';
import { walkForward } from './walk-forward.js';

const ENTRY = 'cross_above(sma(close, fast), sma(close, slow))';
const EXIT = 'cross_below(sma(close, fast), sma(close, slow))';
const BT = { commissionBps: 1, slippageBps: 1 };

describe('validation on real S&P 500 daily bars', () => {
  it('walk-forward 4y/1y: calendar windows, tiled tests, stitched curve; bootstrap records its method', async () => {
    const { bars } = await importBars(join(realDataDir(), 'sp500_daily_1999_2018.csv'));
    const wf = await walkForward(bars, {
      train: '4y', test: '1y',
      sweep: {
        target: { kind: 'rules', entry: ENTRY, exit: EXIT, params: { fast: 10, slow: 50 }, backtest: BT },
        space: { params: [{ name: 'fast', kind: 'list', values: [5, 10, 20] }, { name: 'slow', kind: 'list', values: [50, 100] }] },
      },
    }, { workers: 0 });
    const first = new Date(bars.ts[0] as number);
    expect(wf.windows.length).toBeGreaterThanOrEqual(14);
    wf.windows.forEach((w, k) => {
      // Test k starts exactly 4 + k years after the first bar (same month and day).
      const start = new Date(w.window.test_start_ts);
      expect(start.getUTCFullYear()).toBe(first.getUTCFullYear() + 4 + k);
      expect([start.getUTCMonth(), start.getUTCDate()]).toEqual([first.getUTCMonth(), first.getUTCDate()]);
      expect(bars.ts[w.window.train.end - 1] as number).toBeLessThan(w.window.test_start_ts);
      if (k > 0) expect(w.window.test.start).toBe(wf.windows[k - 1]?.window.test.end);
      expect(Number.isFinite(w.out_of_sample.sharpe_ratio)).toBe(true);
    });
    const oosBars = wf.windows.reduce((s, w) => s + w.window.test.end - w.window.test.start, 0);
    expect(wf.stitched.equity.length).toBe(oosBars);
    expect(wf.out_of_sample.total_return).toBeCloseTo(wf.windows.reduce((g, w) => g * (1 + w.out_of_sample.total_return), 1) - 1, 9);

    const sig = compileStrategy({ entry: ENTRY, exit: EXIT }, { params: { fast: 10, slow: 50 } }).evaluate({ bars });
    const result = runBacktest(bars, sig, BT);
    const ci = bootstrapCi(backtestReturns(result), { seed: 1, periodsPerYear: result.periodsPerYear, resamples: 300 });
    expect(ci.sharpe.estimate).toBeCloseTo(result.metrics.sharpe_ratio, 12);
    expect(ci.sharpe.low).toBeLessThan(ci.sharpe.estimate);
    expect(ci.sharpe.high).toBeGreaterThan(ci.sharpe.estimate);
    expect(ci.fallback).toBe(false);
    // Coherence: simple -> no block length; hadj_bb -> a block length of at least 2.
    expect(ci.method === 'simple' ? ci.block_length === null : (ci.block_length ?? 0) >= 2).toBe(true);
  });
});
