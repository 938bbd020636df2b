/**
 * Metrics plus per-block return sums of one backtest, on the simulator's metrics-only fast path.
 *
 * The simulator keeps every per-bar return r_t = E_t / E_{t−1} − 1 (E_{−1} = initial capital; one
 * per bar) for its two-pass variance and hands a view of them back in `SimOutcome.returns`; asked
 * for block edges, its variance pass also sums them per block (Σr and Σr², all CSCV needs), so the
 * returns are read once and never copied. If an
 * older simulator does not return them, the recording path is used instead (one Recorder reused
 * for every combination of a worker, its trade columns rewound before each run) and the returns
 * are rebuilt from the recorded equity with the same definition.
 */
import type { BacktestConfig } from '../../backtest/config.js';
import type { BacktestMetrics } from '../../backtest/metrics.js';
import { Recorder } from '../../backtest/records.js';
import { simulate, type Prepared, type SimBars, type SimOutcome } from '../../backtest/simulate.js';
import { blockBounds } from '../stats/pbo.js';

type WithReturns = SimOutcome & { readonly returns?: Float64Array };

export class ReturnBlocks {
  private rec: Recorder | undefined;
  private readonly bounds: { start: number; end: number }[];
  /** Block edges for the simulator: block b = [edges[b], edges[b + 1]). */
  private readonly edges: Int32Array;
  private readonly last: Float64Array;
  private lastView: Float64Array;

  constructor(readonly length: number, readonly blocks: number) {
    this.bounds = blockBounds(length, blocks);
    this.edges = Int32Array.from([...this.bounds.map((b) => b.start), length]);
    this.last = new Float64Array(length);
    this.lastView = this.last;
  }

  private recorded(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared): BacktestMetrics {
    this.rec ??= new Recorder(this.length);
    const rec = this.rec;
    for (const group of [rec.orders, rec.fills, rec.trades]) for (const col of Object.values(group)) col.length = 0;
    const outcome = simulate(bars, entry, exit, cfg, prep, rec);
    let prev = cfg.initialCapital;
    for (let t = 0; t < this.length; t++) {
      const e = rec.equity[t] as number;
      this.last[t] = e === prev || !(prev > 0) ? 0 : e / prev - 1;
      prev = e;
    }
    return outcome.metrics;
  }

  /** Runs one backtest; writes Σr (out[b]) and Σr² (out[S + b]) per block; returns the metrics. */
  run(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared, out: Float64Array): BacktestMetrics {
    // The simulator's metrics pass writes the block sums (one read of the returns).
    const outcome = simulate(bars, entry, exit, cfg, prep, null, { bounds: this.edges, out }) as WithReturns;
    if (outcome.returns !== undefined && outcome.returns.length === this.length) {
      this.lastView = outcome.returns;
      return outcome.metrics;
    }
    const metrics = this.recorded(bars, entry, exit, cfg, prep);
    const r = this.last;
    this.lastView = r;
    const S = this.blocks;
    for (let b = 0; b < S; b++) {
      const { start, end } = this.bounds[b] ?? { start: 0, end: 0 };
      let s = 0;
      let q = 0;
      for (let t = start; t < end; t++) {
        const x = r[t] as number;
        s += x;
        q += x * x;
      }
      out[b] = s;
      out[S + b] = q;
    }
    return metrics;
  }

  /** The per-bar returns of the last run (a copy; call before the next simulation). */
  lastReturns(): Float64Array {
    return this.lastView.slice();
  }
}
