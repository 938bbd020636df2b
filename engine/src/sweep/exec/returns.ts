/**
 * Metrics plus per-block return sums of one backtest, on the simulator's metrics-only fast path.
 *
 * The simulator streams Σr and Σr² of the per-bar returns r_t = E_t / E_{t−1} − 1 (E_{−1} =
 * initial capital) per CSCV block while it runs (all CSCV needs), so no per-bar return is stored.
 * The per-bar returns themselves (the winner's moments for the deflated Sharpe ratio) come from
 * `returnsOf`: the run on the recording path (one Recorder reused by every call), with the same
 * definition from the recorded equity.
 */
import type { BacktestConfig } from '../../backtest/config.js';
import { MarketPrefix } from '../../backtest/market.js';
import type { BacktestMetrics } from '../../backtest/metrics.js';
import { Recorder } from '../../backtest/records.js';
import type { SignalSource } from '../../backtest/signals.js';
import { simulate, simulateSignals, type Prepared, type SimBars } from '../../backtest/simulate.js';
import { blockBounds } from '../stats/pbo.js';

/** Prefix sums of a close series, with the series they were built from. */
interface CloseMarket {
  readonly close: Float64Array;
  readonly prefix: MarketPrefix;
}

export class ReturnBlocks {
  private rec: Recorder | undefined;
  /** Block edges for the simulator: block b = [edges[b], edges[b + 1]). */
  private readonly edges: Int32Array;
  /** Prefix sums of the job's closes (its bars never change): given, or built on the first run. */
  private market: CloseMarket | undefined;

  /** `market`: the prefix sums of the closes the runs will have, when built already. */
  constructor(readonly length: number, readonly blocks: number, market?: CloseMarket) {
    const bounds = blockBounds(length, blocks);
    this.edges = Int32Array.from([...bounds.map((b) => b.start), length]);
    this.market = market;
  }

  /**
   * Runs one backtest; writes Σr (out[b]) and Σr² (out[S + b]) per block; returns the metrics.
   * `bars` must not change between runs (the close prefix sums are kept).
   */
  run(bars: SimBars, signals: SignalSource, cfg: BacktestConfig, prep: Prepared, out: Float64Array): BacktestMetrics {
    if (this.market?.close !== bars.close) this.market = { close: bars.close, prefix: new MarketPrefix(bars.close) };
    return simulateSignals(bars, signals, cfg, prep, { bounds: this.edges, out }, this.market.prefix).metrics;
  }

  /**
   * The per-bar returns of one backtest (a new array), on the recording path: the equity `run`
   * streams, bar by bar (a test checks the two paths give the same metrics).
   */
  returnsOf(bars: SimBars, signals: SignalSource, cfg: BacktestConfig, prep: Prepared): Float64Array {
    this.rec ??= new Recorder(this.length);
    const rec = this.rec;
    for (const group of [rec.orders, rec.fills, rec.trades]) for (const col of Object.values(group)) col.length = 0;
    const m = signals.masks();
    simulate(bars, m.entry, m.exit, cfg, prep, rec);
    const r = new Float64Array(this.length);
    let prev = cfg.initialCapital;
    for (let t = 0; t < this.length; t++) {
      const e = rec.equity[t] as number;
      r[t] = e === prev || !(prev > 0) ? 0 : e / prev - 1;
      prev = e;
    }
    return r;
  }
}
