import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileStrategy } from '../strategy/index.js';
import type { BacktestConfigInput, FillMode } from './config.js';
import { prepareBacktest, backtestMetrics, runBacktest, type BacktestBars } from './run.js';
import { resolveBacktestConfig } from './config.js';
import { MetricsAccumulator } from './metrics.js';
import { simulateGeneral } from './simulate.js';

/** Random valid bars: a multiplicative walk; high/low bracket open and close. */
const barsArb = (minLen: number, maxLen: number) =>
  fc
    .array(fc.tuple(fc.double({ min: -0.08, max: 0.08, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: 0, max: 0.03, noNaN: true }), fc.double({ min: 0, max: 0.03, noNaN: true })), { minLength: minLen, maxLength: maxLen })
    .map((steps): BacktestBars => {
      const n = steps.length;
      const o = new Float64Array(n);
      const h = new Float64Array(n);
      const l = new Float64Array(n);
      const c = new Float64Array(n);
      let prev = 100;
      steps.forEach(([gap, move, up, down], i) => {
        const open = prev * (1 + gap);
        const close = open * (1 + move);
        o[i] = open;
        c[i] = close;
        h[i] = Math.max(open, close) * (1 + up);
        l[i] = Math.min(open, close) * (1 - down);
        prev = close;
      });
      return { interval: '1d', length: n, ts: Float64Array.from(steps, (_, i) => i * 86_400_000), open: o, high: h, low: l, close: c };
    });

const signalsArb = (n: number) => fc.tuple(fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }), fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }));

function prefix(b: BacktestBars, k: number): BacktestBars {
  return { interval: b.interval, length: k, ts: b.ts.slice(0, k), open: b.open.slice(0, k), high: b.high.slice(0, k), low: b.low.slice(0, k), close: b.close.slice(0, k) };
}

const fillArb = fc.constantFrom<FillMode>('next_open', 'close');
const cfgArb = fc.record({
  fill: fillArb,
  direction: fc.constantFrom<'long' | 'short'>('long', 'short'),
  stopLoss: fc.constantFrom(0, 0.02, 0.05),
  takeProfit: fc.constantFrom(0, 0.04),
  trailingStop: fc.constantFrom(0, 0.03),
  timeStopBars: fc.constantFrom(0, 3),
});

describe('properties', () => {
  it('no look-ahead: appending future bars never changes earlier signals, fills or equity', () => {
    const strategy = compileStrategy({ entry: 'cross_above(sma(close, 2), sma(close, 4)) or close > highest(shift(close, 1), 3)', exit: 'close < lowest(shift(low, 1), 2)' });
    fc.assert(
      fc.property(barsArb(6, 60), fc.integer({ min: 1, max: 59 }), cfgArb, (bars, cut, cfg) => {
        const k = Math.min(cut, bars.length - 1);
        const head = prefix(bars, k);
        const full = strategy.evaluate({ bars: { ...bars, volume: new Float64Array(bars.length) } });
        const part = strategy.evaluate({ bars: { ...head, volume: new Float64Array(k) } });
        expect(Array.from(part.entry)).toEqual(Array.from(full.entry.subarray(0, k)));
        expect(Array.from(part.exit)).toEqual(Array.from(full.exit.subarray(0, k)));
        const config = { ...cfg, initialCapital: 1000 };
        const a = runBacktest(bars, full, config);
        const b = runBacktest(head, part, config);
        expect(Array.from(b.bars.equity)).toEqual(Array.from(a.bars.equity.subarray(0, k)));
        expect(Array.from(b.bars.position)).toEqual(Array.from(a.bars.position.subarray(0, k)));
        const early = (r: typeof a) => Array.from(r.fills.bar, (bar, i) => [bar, r.fills.price[i], r.fills.qty[i]]).filter(([bar]) => (bar as number) < k);
        expect(early(b)).toEqual(early(a));
      }),
      { numRuns: 150 },
    );
  });

  it('zero costs, long-only, all in: equity is the product of the held bar returns', () => {
    fc.assert(
      fc.property(
        barsArb(2, 50).chain((b) => fc.tuple(fc.constant(b), signalsArb(b.length), fillArb)),
        ([bars, [entry, exit], fill]) => {
          const r = runBacktest(bars, { entry, exit }, { fill, commissionBps: 0, commissionFixed: 0, slippageBps: 0, initialCapital: 1 });
          // Oracle: an independent state machine over the signals, multiplying per-bar price ratios.
          const { open: O, close: C } = bars;
          let inPos = false;
          let pending = 0; // +1 enter at next open, -1 exit at next open
          let eq = 1;
          for (let t = 0; t < bars.length; t++) {
            const o = O[t] as number;
            const c = C[t] as number;
            if (t > 0 && inPos) eq *= (pending === -1 ? o : c) / (C[t - 1] as number);
            if (pending === -1) inPos = false;
            if (pending === 1) {
              inPos = true;
              eq *= c / o;
            }
            pending = 0;
            const wantIn: boolean = inPos ? exit[t] !== 1 : entry[t] === 1 && exit[t] !== 1;
            if (fill === 'close') inPos = wantIn;
            else if (wantIn !== inPos && t + 1 < bars.length) pending = wantIn ? 1 : -1;
            expect(r.bars.equity[t]).toBeCloseTo(eq, 9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('costs never increase returns (signal-driven exits)', () => {
    fc.assert(
      fc.property(
        barsArb(2, 50).chain((b) => fc.tuple(fc.constant(b), signalsArb(b.length))),
        fillArb,
        fc.constantFrom<'long' | 'short'>('long', 'short'),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        ([bars, [entry, exit]], fill, direction, commissionBps, commissionFixed, slippageBps, fraction) => {
          const base: BacktestConfigInput = { fill, direction, initialCapital: 10_000, sizing: { mode: 'fixed_fraction', fraction } };
          const free = runBacktest(bars, { entry, exit }, { ...base, commissionBps: 0, commissionFixed: 0, slippageBps: 0 });
          const paid = runBacktest(bars, { entry, exit }, { ...base, commissionBps, commissionFixed, slippageBps });
          expect(paid.metrics.total_return).toBeLessThanOrEqual(free.metrics.total_return + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('bit-identical across runs, and the fast path equals the full path', () => {
    fc.assert(
      fc.property(
        barsArb(2, 60).chain((b) => fc.tuple(fc.constant(b), signalsArb(b.length))),
        cfgArb,
        ([bars, [entry, exit]], cfg) => {
          const a = runBacktest(bars, { entry, exit }, cfg);
          const b = runBacktest(bars, { entry, exit }, cfg);
          expect(b).toStrictEqual(a);
          const resolved = resolveBacktestConfig(cfg);
          const prep = prepareBacktest(bars, resolved);
          const fast = backtestMetrics(bars, entry, exit, resolved, prep);
          for (const [key, v] of Object.entries(a.metrics)) expect(Object.is(fast[key as keyof typeof fast], v)).toBe(true);
          // The flat-period skip (all bars valid) and the bar-by-bar path give the same records.
          expect(prep.allValid).toBe(true);
          const slow = runBacktest(bars, { entry, exit }, cfg, { ...prep, allValid: false });
          expect(slow).toStrictEqual(a);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('stretch skipping (flat, held, after ruin) equals the bar-by-bar path, leverage and ruin included', () => {
    // Oracle: the same simulator with the stretch skips off (allValid: false checks every bar and
    // goes through the per-bar path), and MetricsAccumulator.drawdown() after each equity.
    let ruins = 0;
    fc.assert(
      fc.property(
        barsArb(2, 80).chain((b) => fc.tuple(fc.constant(b), signalsArb(b.length))),
        fc.record({ direction: fc.constantFrom<'long' | 'short'>('long', 'short'), fill: fillArb, fraction: fc.constantFrom(1, 30, 100) }),
        ([bars, [entry, exit]], { direction, fill, fraction }) => {
          const cfg = resolveBacktestConfig({ direction, fill, sizing: { mode: 'fixed_fraction', fraction } });
          const prep = prepareBacktest(bars, cfg);
          const fast = runBacktest(bars, { entry, exit }, cfg, prep);
          const slow = runBacktest(bars, { entry, exit }, cfg, { ...prep, allValid: false });
          expect(fast).toStrictEqual(slow);
          // Per-bar returns: the general loop with its stretch skips vs without (bar by bar).
          const rFast = Array.from(simulateGeneral(bars, entry, exit, cfg, prep, null).returns ?? []);
          const rSlow = Array.from(simulateGeneral(bars, entry, exit, cfg, { ...prep, allValid: false }, null).returns ?? []);
          expect(rFast).toEqual(rSlow);
          expect(rFast.length).toBe(bars.length);
          const acc = new MetricsAccumulator(cfg.initialCapital);
          fast.bars.equity.forEach((e, t) => {
            acc.addEquity(e, false);
            expect(Object.is(fast.bars.drawdown[t], acc.drawdown())).toBe(true);
          });
          if (fast.status.RUIN > 0) ruins++;
        },
      ),
      { numRuns: 300 },
    );
    expect(ruins).toBeGreaterThan(0); // the property did exercise ruin
  });
});
