/** The strategy's per-bar net returns of a full backtest (the equity path the backtest reports). */
import type { BacktestResult } from '../backtest/index.js';

/** Per-bar net returns of a run: equity[t] / equity[t−1] − 1 with equity[−1] = the initial capital (as the sweep's DSR inputs). */
export function backtestReturns(result: Pick<BacktestResult, 'bars' | 'config'>): Float64Array {
  const eq = result.bars.equity;
  const out = new Float64Array(eq.length);
  let prev = result.config.initialCapital;
  for (let t = 0; t < eq.length; t++) {
    const e = eq[t] as number;
    out[t] = prev > 0 ? e / prev - 1 : 0;
    prev = e;
  }
  return out;
}
