/**
 * Walk-forward end to end on synthetic daily bars, sweeps inline (workers: 0). Oracles: a brute-force
 * optimizer (every grid point backtested on the train slice, best Sharpe), out-of-sample metrics from
 * signals computed on the FULL history and sliced (SMA windows are exact once warm, so they must
 * agree), and the no-look-ahead check (bars after a window's test end changed -> that window unchanged).
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/run.js';
import type { Bars } from '../data/bars.js';
import { sliceBars } from '../data/make.js';
import { generateSyntheticBars } from '../data/synthetic.js';
import { compileStrategy } from '../strategy/index.js';
import { walkForward, type WalkForwardSpec } from './walk-forward.js';

const BT = { fill: 'close' as const, commissionBps: 5, commissionFixed: 0, slippageBps: 0 };
const ENTRY = 'cross_above(sma(close, fast), sma(close, slow))';
const EXIT = 'cross_below(sma(close, fast), sma(close, slow))';
const FAST = [3, 5, 8];
const SLOW = [15, 30];
const spec: WalkForwardSpec = {
  train: '1y', test: '6m',
  sweep: {
    target: { kind: 'rules', entry: ENTRY, exit: EXIT, params: { fast: 5, slow: 20 }, backtest: BT },
    space: { params: [{ name: 'fast', kind: 'list', values: FAST }, { name: 'slow', kind: 'list', values: SLOW }] },
  },
};
// 2000-01-03 .. 2003-01-24, weekdays: tests start 2001-01-03, 2001-07-03, 2002-01-03, 2002-07-03.
const bars = generateSyntheticBars({ length: 800, seed: 21, interval: '1d' });
const strat = compileStrategy({ entry: ENTRY, exit: EXIT }, { params: { fast: 5, slow: 20 } });

describe('walkForward', () => {
  it('optimizes each train part, evaluates the winner out of sample, stitches the curve', async () => {
    const wf = await walkForward(bars, spec, { workers: 0 });
    expect(wf.windows.length).toBe(4);
    let stitchedLen = 0;
    for (const w of wf.windows) {
      const tr = sliceBars(bars, w.window.train.start, w.window.train.end);
      // Brute force on the train slice.
      let best = { sharpe: Number.NEGATIVE_INFINITY, fast: 0, slow: 0 };
      for (const fast of FAST) {
        for (const slow of SLOW) {
          const m = runBacktest(tr, strat.evaluate({ bars: tr, params: { fast, slow } }), BT).metrics;
          if (m.sharpe_ratio > best.sharpe) best = { sharpe: m.sharpe_ratio, fast, slow };
        }
      }
      expect(w.winner.params).toEqual({ fast: best.fast, slow: best.slow });
      // The sweep sums all-in long stretches from prefix sums (docs/backtest.md): the same Sharpe
      // ratio to rounding, not bit for bit.
      expect(Math.abs(w.in_sample.sharpe_ratio - best.sharpe)).toBeLessThanOrEqual(1e-12 * Math.abs(best.sharpe));
      // Out of sample from full-history signals, sliced to the test part.
      const full = strat.evaluate({ bars, params: { fast: best.fast, slow: best.slow } });
      const { start, end } = w.window.test;
      const oos = runBacktest(sliceBars(bars, start, end), { entry: full.entry.slice(start, end), exit: full.exit.slice(start, end) }, BT).metrics;
      expect(w.out_of_sample.sharpe_ratio).toBeCloseTo(oos.sharpe_ratio, 10);
      expect(w.out_of_sample.total_trades).toBe(oos.total_trades);
      expect(w.degradation).toBeCloseTo((w.in_sample.sharpe_ratio - w.out_of_sample.sharpe_ratio) / Math.abs(w.in_sample.sharpe_ratio), 12);
      stitchedLen += end - start;
    }
    // Stitched curve: one point per test bar, ascending, compounding each window's return.
    expect(wf.stitched.equity.length).toBe(stitchedLen);
    expect(wf.out_of_sample.bars).toBe(stitchedLen);
    for (let i = 1; i < wf.stitched.ts.length; i++) expect(wf.stitched.ts[i] as number).toBeGreaterThan(wf.stitched.ts[i - 1] as number);
    const growth = wf.windows.reduce((g, w) => g * (1 + w.out_of_sample.total_return), 1);
    expect(wf.out_of_sample.total_return).toBeCloseTo(growth - 1, 10);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const isMean = mean(wf.windows.map((w) => w.in_sample.sharpe_ratio));
    const oosMean = mean(wf.windows.map((w) => w.out_of_sample.sharpe_ratio));
    expect(wf.degradation).toBeCloseTo((isMean - oosMean) / Math.abs(isMean), 12);
    // Determinism.
    expect(await walkForward(bars, spec, { workers: 0 })).toEqual(wf);
  });

  it('has no look-ahead: changing bars after a window\'s test end leaves that window unchanged', async () => {
    const wf = await walkForward(bars, spec, { workers: 0 });
    const cut = wf.windows[1]?.window.test.end ?? 0;
    expect(cut).toBeGreaterThan(0);
    // Scramble every bar from `cut` on (prices x a factor drifting away from 1; OHLC relations kept).
    const col = (a: Float64Array): Float64Array => a.map((v, i) => (i >= cut ? v * (1 + 0.3 * Math.sin(i)) : v));
    const changed: Bars = { ...bars, open: col(bars.open), high: col(bars.high), low: col(bars.low), close: col(bars.close) };
    const wf2 = await walkForward(changed, spec, { workers: 0 });
    expect(wf2.windows.slice(0, 2)).toEqual(wf.windows.slice(0, 2));
    const firstTwo = cut - (wf.windows[0]?.window.test.start ?? 0);
    expect(Array.from(wf2.stitched.equity.slice(0, firstTwo))).toEqual(Array.from(wf.stitched.equity.slice(0, firstTwo)));
    // ...and the later windows do see the change.
    expect(wf2.windows[3]?.out_of_sample).not.toEqual(wf.windows[3]?.out_of_sample);
  });

  it('anchored mode trains from the first bar every time', async () => {
    const wf = await walkForward(bars, { ...spec, anchored: true }, { workers: 0 });
    expect(wf.mode).toBe('anchored');
    expect(wf.windows.map((w) => w.window.train.start)).toEqual([0, 0, 0, 0]);
  });
});
