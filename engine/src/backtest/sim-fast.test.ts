import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveBacktestConfig, type BacktestConfigInput } from './config.js';
import { prepareBacktest, type BacktestBars } from './run.js';
import { MarketPrefix } from './market.js';
import { fastEligible, runFast } from './sim-fast.js';
import { MaskSignals } from './signals.js';
import { simulate, simulateGeneral, type SimOutcome } from './simulate.js';

// Oracle: the general simulator loop (sim-core.ts Sim.run, itself covered by the hand-checked
// cases of simulate.test.ts and the properties of properties.test.ts). The specialized loop must
// give the same numbers bit for bit (Object.is: -0 and NaN included).

/** Random valid bars: a multiplicative walk (big moves included, so short all-in runs can ruin). */
const barsArb = fc
  .array(fc.tuple(fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true })), { minLength: 0, maxLength: 90 })
  .map((steps): BacktestBars => {
    const n = steps.length;
    const o = new Float64Array(n);
    const c = new Float64Array(n);
    let prev = 100;
    steps.forEach(([gap, move], i) => {
      o[i] = prev * (1 + gap);
      c[i] = o[i] * (1 + move);
      prev = c[i];
    });
    const h = o.map((x, i) => Math.max(x, c[i] as number) * 1.01);
    const l = o.map((x, i) => Math.min(x, c[i] as number) * 0.99);
    return { interval: '1d', length: n, ts: Float64Array.from(steps, (_, i) => 1_000_000 + i * 86_400_000 + (i % 3) * 3_600_000), open: o, high: h, low: l, close: c };
  });

const cfgArb: fc.Arbitrary<BacktestConfigInput> = fc.record({
  fill: fc.constantFrom('next_open' as const, 'close' as const),
  direction: fc.constantFrom('long' as const, 'short' as const),
  commissionBps: fc.constantFrom(0, 10, 250),
  commissionFixed: fc.constantFrom(0, 1, 40),
  slippageBps: fc.constantFrom(0, 5),
  sizing: fc.constantFrom({ mode: 'fixed_fraction' as const, fraction: 1 }, { mode: 'fixed_fraction' as const, fraction: 0.5 }, { mode: 'fixed_fraction' as const, fraction: 3 }),
  lotSize: fc.constantFrom(0, 1, 7),
  contractMultiplier: fc.constantFrom(1, 50),
  minOrderQty: fc.constantFrom(0, 2),
  minOrderValue: fc.constantFrom(0, 500),
  initialCapital: fc.constantFrom(1000, 100_000),
});

/** Signals with runs of 0s and 1s, and some bytes that are not signals (2, 255). */
const maskArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((u) => u.map((v) => (v < 150 ? 0 : v < 250 ? 1 : v === 250 ? 2 : 255)));

/** Longer walks with small moves (drawdowns build up over many bars, new peaks are rarer). */
const longBarsArb = fc
  .array(fc.double({ min: -0.03, max: 0.03, noNaN: true }), { minLength: 100, maxLength: 600 })
  .map((moves): BacktestBars => {
    const n = moves.length;
    const c = new Float64Array(n);
    let prev = 100;
    moves.forEach((m, i) => {
      prev *= 1 + m;
      c[i] = prev;
    });
    const o = c.map((x, i) => (i === 0 ? x : (c[i - 1] as number)));
    return { interval: '1d', length: n, ts: Float64Array.from(moves, (_, i) => 1_000_000 + i * 86_400_000), open: o, high: c.map((x, i) => Math.max(x, o[i] as number) * 1.001), low: c.map((x, i) => Math.min(x, o[i] as number) * 0.999), close: c };
  });

/** All-in long configurations (the market path), with and without costs. */
const allInArb: fc.Arbitrary<BacktestConfigInput> = fc.record({
  fill: fc.constantFrom('next_open' as const, 'close' as const),
  direction: fc.constant('long' as const),
  commissionBps: fc.constantFrom(0, 10, 250),
  commissionFixed: fc.constantFrom(0, 1),
  slippageBps: fc.constantFrom(0, 5),
  sizing: fc.constant({ mode: 'fixed_fraction' as const, fraction: 1 }),
  initialCapital: fc.constantFrom(1000, 100_000),
});

/** Rare signals (about 1 bar in 25). */
const sparseMaskArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((u) => u.map((v) => (v < 10 ? 1 : 0)));

function same(a: SimOutcome, b: SimOutcome): void {
  for (const [k, v] of Object.entries(a.metrics)) expect(Object.is(v, (b.metrics as unknown as Record<string, number>)[k]), k).toBe(true);
  expect(Array.from(a.statusCounts)).toEqual(Array.from(b.statusCounts));
  expect(Object.is(a.finalEquity, b.finalEquity)).toBe(true);
}

describe('sim-fast: the specialized loop equals the general one', () => {
  it('on random bars, signals and eligible configurations (metrics, status counts, final equity, block sums)', () => {
    fc.assert(
      fc.property(barsArb.chain((bars) => fc.tuple(fc.constant(bars), maskArb(bars.length), maskArb(bars.length), cfgArb)), ([bars, entry, exit, input]) => {
        const cfg = resolveBacktestConfig(input);
        const prep = prepareBacktest(bars, cfg);
        expect(fastEligible(cfg, prep)).toBe(true);
        const n = bars.length;
        const edges = Int32Array.from([0, n >> 2, n >> 1, n]);
        const outG = new Float64Array(6).fill(7);
        const outF = new Float64Array(6).fill(9);
        const g = simulateGeneral(bars, entry, exit, cfg, prep, null, { bounds: edges, out: outG });
        const f = runFast(bars, new MaskSignals(entry, exit), cfg, prep, { bounds: edges, out: outF });
        same(g, f);
        expect(Array.from(outF)).toEqual(Array.from(outG));
        // Oracle for the streamed sums: the general loop's per-bar returns, summed per block in bar
        // order (bit for bit), and a two-pass sample variance for the Sharpe ratio (to rounding).
        const r = g.returns ?? new Float64Array(0);
        expect(r.length).toBe(n);
        for (let b = 0; b < 3; b++) {
          let s1 = 0;
          let s2 = 0;
          for (let t = edges[b] as number; t < (edges[b + 1] as number); t++) {
            s1 += r[t] as number;
            s2 += (r[t] as number) ** 2;
          }
          expect(Object.is(outG[b], s1), `block ${b} sum`).toBe(true);
          expect(Object.is(outG[3 + b], s2), `block ${b} sum of squares`).toBe(true);
        }
        if (n > 1) {
          const mean = r.reduce((a, x) => a + x, 0) / n;
          const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
          const sharpe = sd > 0 ? (mean / sd) * Math.sqrt(prep.periodsPerYear) : 0;
          // One-pass rounding: relative error of order N·ε·(1 + mean²/var) (docs/backtest.md).
          const rel = 1e-12 + 64 * n * Number.EPSILON * (1 + (mean / sd) ** 2);
          if (Number.isFinite(sharpe) && sd > 1e-6 * Math.abs(mean)) expect(Math.abs(g.metrics.sharpe_ratio - sharpe)).toBeLessThanOrEqual(rel * Math.abs(sharpe) + 1e-12);
        }
        // simulate() picks the specialized loop here.
        same(simulate(bars, entry, exit, cfg, prep, null), f);
      }),
      { numRuns: 800 },
    );
  });

  it('with the market prefix sums: all-in long stretches summed in O(1), every other result bit-identical', () => {
    // Oracle: the general loop again. With `market`, all-in long stretches take their returns from
    // the closes' prefix sums (market.ts): Σr, Σr², the downside sum and the block sums then agree
    // to rounding (the residue of an all-in fill is <= 1e-12 of the position), so the Sharpe,
    // Sortino and block sums are compared with a tolerance; everything else (trades, returns of
    // trades, total return, drawdown, exposure, status counts, final equity) must be identical.
    const exact = ['total_return', 'annualized_return', 'max_drawdown', 'win_rate', 'profit_factor', 'total_trades', 'avg_trade_duration_days', 'best_trade', 'worst_trade', 'avg_winner', 'avg_loser', 'calmar_ratio', 'exposure'];
    let marketStretches = 0;
    // Short dense runs, and long ones with sparse signals (stretches of tens of bars, so the
    // stretch bounds, the exact-low path and whole 8-bar blocks are used).
    const runs = fc.oneof(
      barsArb.chain((bars) => fc.tuple(fc.constant(bars), maskArb(bars.length), maskArb(bars.length), cfgArb)),
      longBarsArb.chain((bars) => fc.tuple(fc.constant(bars), sparseMaskArb(bars.length), sparseMaskArb(bars.length), fc.oneof(cfgArb, allInArb))),
    );
    fc.assert(
      fc.property(runs, ([bars, entry, exit, input]) => {
        const cfg = resolveBacktestConfig(input);
        const prep = prepareBacktest(bars, cfg);
        const n = bars.length;
        const edges = Int32Array.from([0, n >> 2, n >> 1, n]);
        const outG = new Float64Array(6);
        const outF = new Float64Array(6);
        const g = simulateGeneral(bars, entry, exit, cfg, prep, null, { bounds: edges, out: outG });
        const f = runFast(bars, new MaskSignals(entry, exit), cfg, prep, { bounds: edges, out: outF }, new MarketPrefix(bars.close));
        const gm = g.metrics as unknown as Record<string, number>;
        const fm = f.metrics as unknown as Record<string, number>;
        for (const k of exact) expect(Object.is(fm[k], gm[k]), k).toBe(true);
        expect(Array.from(f.statusCounts)).toEqual(Array.from(g.statusCounts));
        expect(Object.is(f.finalEquity, g.finalEquity)).toBe(true);
        // Tolerances: a return x / y − 1 carries up to ~2ε of absolute rounding (the − 1 cancels
        // the leading digits), in either computation; so a block sum of k returns may differ by
        // ~4kε, and the mean and the standard deviation by ~4ε each, which moves the Sharpe
        // (Sortino) ratio by about |S|·4ε·(1/|mean| + 1/std) (1/downside): large only for
        // near-constant prices, where a Sharpe ratio means little.
        const r = g.returns ?? new Float64Array(0);
        const mean = n > 0 ? r.reduce((acc, x) => acc + x, 0) / n : 0;
        const sd = n > 1 ? Math.sqrt(r.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (n - 1)) : 0;
        const down = n > 0 ? Math.sqrt(r.reduce((acc, x) => acc + (x < 0 ? x * x : 0), 0) / n) : 0;
        const eps = 8 * Number.EPSILON;
        const near = (a: number, b: number, tol: number, what: string): void => {
          if (Object.is(a, b)) return;
          expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.abs(b) + tol);
        };
        const sharpe = gm.sharpe_ratio as number;
        const sortino = gm.sortino_ratio as number;
        near(fm.sharpe_ratio as number, sharpe, Math.abs(sharpe) * eps * (1 / Math.abs(mean) + 1 / sd), 'sharpe_ratio');
        near(fm.sortino_ratio as number, sortino, Math.abs(sortino) * eps * (1 / Math.abs(mean) + 1 / down), 'sortino_ratio');
        for (let i = 0; i < 6; i++) {
          const b = i % 3;
          const k = (edges[b + 1] as number) - (edges[b] as number);
          near(outF[i] as number, outG[i] as number, eps * k, `block sum ${i}`);
        }
        if (input.direction === 'long' && cfg.sizing.mode === 'fixed_fraction' && cfg.sizing.fraction === 1 && cfg.lotSize === 0 && n >= 100 && g.metrics.total_trades > 0) marketStretches++;
      }),
      { numRuns: 800 },
    );
    expect(marketStretches).toBeGreaterThan(100); // the all-in long path ran on long stretches
  });

  it('is not used when the configuration needs the general loop', () => {
    const bars: BacktestBars = { interval: '1d', length: 2, ts: Float64Array.of(0, 86_400_000), open: Float64Array.of(1, 1), high: Float64Array.of(1, 1), low: Float64Array.of(1, 1), close: Float64Array.of(1, 1) };
    const ok = resolveBacktestConfig({});
    expect(fastEligible(ok, prepareBacktest(bars, ok))).toBe(true);
    for (const input of [{ stopLoss: 0.1 }, { takeProfit: 0.1 }, { trailingStop: 0.1 }, { timeStopBars: 2 }, { sizing: { mode: 'kelly' as const, multiplier: 0.5, cap: 0.25, minTrades: 10, warmupFraction: 0.1 } }, { sizing: { mode: 'volatility_target' as const, targetVol: 0.1, lookback: 5, maxFraction: 1 } }, { tradingHours: [{ start: '09:30', end: '16:00' }] }]) {
      const cfg = resolveBacktestConfig(input);
      expect(fastEligible(cfg, prepareBacktest(bars, cfg)), JSON.stringify(input)).toBe(false);
    }
    const bad = { ...bars, close: Float64Array.of(1, Number.NaN) };
    expect(fastEligible(ok, prepareBacktest(bad, ok))).toBe(false);
  });
});
