/**
 * THE simulator (sim-core.ts): one loop for the full path (records everything) and the sweep fast
 * path (metrics only). `rec === null` turns recording off; the logic is the same code either way.
 * It never throws per bar: bad bars and skipped orders set status flags (records.ts).
 */
import type { BacktestConfig } from './config.js';
import { CrossPairSignals } from '../strategy/pair-signals.js';
import { MarketPrefix } from './market.js';
import type { BlockSumsRequest } from './metrics.js';
import { Recorder as RecorderCtor, type Recorder } from './records.js';
import { Sim, type Prepared, type SimBars, type SimOutcome } from './sim-core.js';
import { fastEligible, runFast } from './sim-fast.js';
import { MaskSignals, type SignalSource } from './signals.js';

export { validBar, type Prepared, type SimBars, type SimOutcome } from './sim-core.js';

/**
 * Run the one simulator. Signals: 1 = rule true at that bar's close. With `blocks`, the metrics
 * pass also writes the CSCV block sums of the per-bar returns (sweeps).
 */
export function simulate(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared, rec: Recorder | null, blocks?: BlockSumsRequest): SimOutcome {
  // Metrics only, in the commonest configuration: the same loop specialized (sim-fast.ts).
  if (rec === null && fastEligible(cfg, prep)) return runFast(bars, new MaskSignals(entry, exit), cfg, prep, blocks);
  return new Sim(bars, cfg, prep, rec).run(entry, exit, blocks);
}

/**
 * Metrics only, from a SignalSource (a sweep's lazy crossover signals or masks). With `market`
 * (the prefix sums of bars.close, built once for bars that will not change) the specialized loop
 * sums all-in long stretches in O(1) (sim-fast.ts); other configurations run the general loop on
 * the signals' masks.
 */
export function simulateSignals(bars: SimBars, signals: SignalSource, cfg: BacktestConfig, prep: Prepared, blocks?: BlockSumsRequest, market?: MarketPrefix): SimOutcome {
  if (fastEligible(cfg, prep)) return runFast(bars, signals, cfg, prep, blocks, market);
  const m = signals.masks();
  return new Sim(bars, cfg, prep, null).run(m.entry, m.exit, blocks);
}

/** The general loop whatever the configuration (tests compare it with the specialized one). */
export function simulateGeneral(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared, rec: Recorder | null, blocks?: BlockSumsRequest): SimOutcome {
  return new Sim(bars, cfg, prep, rec).run(entry, exit, blocks);
}

/**
 * JIT warm-up, run once when the module loads: a tiny simulation through every code path, so
 * V8 has type feedback for all of them before it first optimizes the loop. Without it, the first
 * big run is optimized mid-loop (on-stack replacement) before the code after the loop has ever
 * run, and V8 kept re-entering that code and deoptimizing on every later call (measured: 3-5x
 * slower on 1,000,000 bars). Results are discarded; nothing is shared with real runs. Six rounds
 * are enough for that feedback: twenty (as before) cost every sweep worker ~0.08 s of its cold
 * start (a cold 10,000-bar sweep: 1.49 -> 1.31 s) with no gain on later runs (bench:backtest and
 * bench:sweep at 100,000 bars unchanged).
 */
function warmUp(): void {
  const n = 48;
  const bars = { length: n, ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  const entry = new Uint8Array(n);
  const exit = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = 100 + 10 * Math.sin(i / 3);
    bars.ts[i] = i * 86_400_000;
    bars.open[i] = p;
    bars.close[i] = p + Math.cos(i);
    bars.high[i] = Math.max(p, p + Math.cos(i)) + 1;
    bars.low[i] = Math.min(p, p + Math.cos(i)) - 1;
    entry[i] = i % 5 === 0 ? 1 : 0;
    exit[i] = i % 7 === 0 ? 1 : 0;
  }
  bars.close[20] = NaN;
  const prep: Prepared = { periodsPerYear: 252, hours: undefined, vol: undefined, allValid: false };
  const prepValid: Prepared = { ...prep, allValid: true };
  const base: BacktestConfig = {
    fill: 'next_open', direction: 'long', initialCapital: 1000, commissionBps: 1, commissionFixed: 1, slippageBps: 1,
    sizing: { mode: 'fixed_fraction', fraction: 1 }, stopLoss: 0, takeProfit: 0, trailingStop: 0, timeStopBars: 0,
    tradingHours: [], lotSize: 0, contractMultiplier: 1, minOrderQty: 0, minOrderValue: 0, periodsPerYear: 0, tradingDaysPerYear: 252, sessionMinutes: 1440,
  };
  const variants: BacktestConfig[] = [
    base,
    { ...base, fill: 'close' },
    { ...base, direction: 'short', stopLoss: 0.02, takeProfit: 0.02, trailingStop: 0.01, timeStopBars: 3 },
    { ...base, stopLoss: 0.02, takeProfit: 0.02, trailingStop: 0.01, timeStopBars: 3, fill: 'close' },
    { ...base, direction: 'short', sizing: { mode: 'fixed_fraction', fraction: 50 } },
  ];
  const market = new MarketPrefix(bars.close);
  const cross = new CrossPairSignals(bars.open, bars.close, true, false);
  for (let k = 0; k < 6; k++) {
    for (const cfg of variants) {
      simulate(bars, entry, exit, cfg, prep, null);
      simulate(bars, entry, exit, cfg, prepValid, null);
      simulateGeneral(bars, entry, exit, cfg, prepValid, null);
      if (k === 0) simulate(bars, entry, exit, cfg, prep, new RecorderCtor(n));
      simulate(bars, entry, exit, cfg, prepValid, null, { bounds: Int32Array.from([0, 20, n]), out: new Float64Array(4) });
      simulateSignals(bars, new MaskSignals(entry, exit), cfg, prepValid, { bounds: Int32Array.from([0, 20, n]), out: new Float64Array(4) }, market);
      simulateSignals(bars, cross, cfg, prepValid, { bounds: Int32Array.from([0, 20, n]), out: new Float64Array(4) }, market);
    }
  }
}

warmUp();
