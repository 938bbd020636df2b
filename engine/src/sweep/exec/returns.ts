/**
 * Metrics plus per-block return sums of one backtest, through the simulator's own recording path.
 *
 * The simulator's metrics-only fast path (`backtestMetrics`) does not expose the per-bar returns
 * CSCV needs, so this runs `simulate` with one Recorder reused for every combination of a worker
 * (its per-bar arrays are overwritten in full on every run; its order/fill/trade columns are
 * rewound to length 0 before each run so they never grow across combinations) and reduces the
 * recorded equity to per-block Σr and Σr² — the simulator is not duplicated. Returns follow
 * MetricsAccumulator's definition: r_t = E_t / E_{t−1} − 1 with E_{−1} = the initial capital (so
 * there are as many returns as bars) and r_t = 0 when E_{t−1} <= 0.
 * Proposed to the backtest owner: a per-block accumulator on the fast path (docs/sweeps.md).
 */
import type { BacktestConfig } from '../../backtest/config.js';
import type { BacktestMetrics } from '../../backtest/metrics.js';
import { Recorder } from '../../backtest/records.js';
import { simulate, type Prepared, type SimBars } from '../../backtest/simulate.js';
import { blockBounds } from '../stats/pbo.js';

export class ReturnBlocks {
  private readonly rec: Recorder;
  private readonly bounds: { start: number; end: number }[];

  constructor(readonly length: number, readonly blocks: number) {
    this.rec = new Recorder(length);
    this.bounds = blockBounds(length, blocks);
  }

  private rewind(): void {
    for (const group of [this.rec.orders, this.rec.fills, this.rec.trades]) {
      for (const col of Object.values(group)) col.length = 0;
    }
  }

  /** Runs one backtest; writes Σr (out[b]) and Σr² (out[S + b]) per block; returns the metrics. */
  run(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared, out: Float64Array): BacktestMetrics {
    this.rewind();
    const outcome = simulate(bars, entry, exit, cfg, prep, this.rec);
    const eq = this.rec.equity;
    const S = this.blocks;
    let prev = cfg.initialCapital;
    for (let b = 0; b < S; b++) {
      const { start, end } = this.bounds[b] ?? { start: 0, end: 0 };
      let s = 0;
      let q = 0;
      for (let t = start; t < end; t++) {
        const e = eq[t] as number;
        const r = prev > 0 ? e / prev - 1 : 0;
        prev = e;
        s += r;
        q += r * r;
      }
      out[b] = s;
      out[S + b] = q;
    }
    return outcome.metrics;
  }

  /** The per-bar returns of the last run (a new array). */
  lastReturns(initialCapital: number): Float64Array {
    const eq = this.rec.equity;
    const r = new Float64Array(this.length);
    let prev = initialCapital;
    for (let t = 0; t < this.length; t++) {
      const e = eq[t] as number;
      r[t] = prev > 0 ? e / prev - 1 : 0;
      prev = e;
    }
    return r;
  }
}
