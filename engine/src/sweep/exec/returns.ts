/**
 * Metrics plus per-block return sums of one backtest, on the simulator's metrics-only fast path.
 *
 * The simulator streams Σr and Σr² of the per-bar returns r_t = E_t / E_{t−1} − 1 (E_{−1} =
 * initial capital) per CSCV block while it runs (all CSCV needs), so no per-bar return is stored.
 * The per-bar returns themselves (the winner's moments for the deflated Sharpe ratio) are rebuilt
 * on demand by `lastReturns`: the last run again on the recording path (one Recorder reused by
 * every call), with the same definition from the recorded equity.
 */
import type { BacktestConfig } from '../../backtest/config.js';
import { MarketPrefix } from '../../backtest/market.js';
import type { BacktestMetrics } from '../../backtest/metrics.js';
import { Recorder } from '../../backtest/records.js';
import type { SignalSource } from '../../backtest/signals.js';
import { simulate, simulateSignals, type Prepared, type SimBars } from '../../backtest/simulate.js';
import { blockBounds } from '../stats/pbo.js';

interface LastRun {
  readonly bars: SimBars;
  readonly signals: SignalSource;
  readonly cfg: BacktestConfig;
  readonly prep: Prepared;
}

export class ReturnBlocks {
  private rec: Recorder | undefined;
  /** Block edges for the simulator: block b = [edges[b], edges[b + 1]). */
  private readonly edges: Int32Array;
  private last: LastRun | undefined;
  /** Prefix sums of the job's closes (its bars never change), built on the first run. */
  private market: { close: Float64Array; prefix: MarketPrefix } | undefined;

  constructor(readonly length: number, readonly blocks: number) {
    const bounds = blockBounds(length, blocks);
    this.edges = Int32Array.from([...bounds.map((b) => b.start), length]);
  }

  /**
   * Runs one backtest; writes Σr (out[b]) and Σr² (out[S + b]) per block; returns the metrics.
   * `bars` must not change between runs (the close prefix sums are kept).
   */
  run(bars: SimBars, signals: SignalSource, cfg: BacktestConfig, prep: Prepared, out: Float64Array): BacktestMetrics {
    this.last = { bars, signals, cfg, prep };
    if (this.market?.close !== bars.close) this.market = { close: bars.close, prefix: new MarketPrefix(bars.close) };
    return simulateSignals(bars, signals, cfg, prep, { bounds: this.edges, out }, this.market.prefix).metrics;
  }

  /**
   * The per-bar returns of the last run (a new array): call before the signals it ran on are
   * overwritten (the next evaluation). Empty when nothing ran yet.
   */
  lastReturns(): Float64Array {
    const l = this.last;
    if (l === undefined) return new Float64Array(0);
    this.rec ??= new Recorder(this.length);
    const rec = this.rec;
    for (const group of [rec.orders, rec.fills, rec.trades]) for (const col of Object.values(group)) col.length = 0;
    const m = l.signals.masks();
    simulate(l.bars, m.entry, m.exit, l.cfg, l.prep, rec);
    const r = new Float64Array(this.length);
    let prev = l.cfg.initialCapital;
    for (let t = 0; t < this.length; t++) {
      const e = rec.equity[t] as number;
      r[t] = e === prev || !(prev > 0) ? 0 : e / prev - 1;
      prev = e;
    }
    return r;
  }
}
