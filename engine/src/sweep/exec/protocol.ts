/**
 * Messages between the sweep driver and its workers (structured-clone friendly). Bars travel as
 * SharedArrayBuffer-backed columns, so posting a task never copies them.
 */
import type { MarketParts } from '../../backtest/market.js';
import type { Bars } from '../../data/bars.js';
import type { BlockStats } from '../stats/pbo.js';
import type { BoundRun } from './target.js';

/** Metric values per combination, in this order (the 13 dictionary keys, then calmar and exposure). */
export const RESULT_METRICS = [
  'total_return', 'annualized_return', 'sharpe_ratio', 'sortino_ratio', 'max_drawdown', 'win_rate', 'profit_factor',
  'total_trades', 'avg_trade_duration_days', 'best_trade', 'worst_trade', 'avg_winner', 'avg_loser', 'calmar_ratio', 'exposure',
] as const;
export const K_METRICS = RESULT_METRICS.length;

/** Bars whose columns live in SharedArrayBuffers (the same shape as Bars). */
export type SharedBars = Bars;

export interface SweepJob {
  /** Unique per sweep run: workers cache compiled rules, prepared configs and indicators under it. */
  readonly token: string;
  readonly bars: SharedBars;
  /** CSCV blocks S (0 = no block sums). */
  readonly blocks: number;
  /** Byte budget of each worker's indicator cache. */
  readonly cacheBytes: number;
  /**
   * The prefix sums of bars.close (backtest/market.ts), built once by the sweep's thread in shared
   * memory: the workers adopt them instead of each building (and compiling) its own. Absent: each
   * evaluator builds them on its first run.
   */
  readonly market?: MarketParts;
}

export interface EvalTask {
  readonly job: SweepJob;
  readonly ids: readonly number[];
  readonly runs: readonly BoundRun[];
}

export interface EvalResult {
  readonly ids: readonly number[];
  /** ids.length × K_METRICS, row-major; NaN rows for failed combinations. */
  readonly metrics: Float64Array;
  /** ids.length × 2S block sums. */
  readonly blocks: Float64Array;
  readonly errors: readonly { readonly id: number; readonly code: string; readonly message: string }[];
  /**
   * config_hash per combination (the leaderboard's, see finalize.ts comboConfigHash), computed
   * where the run is evaluated so the main thread does not hash every combination at the end;
   * '' where the combination failed (the main thread then computes it).
   */
  readonly hashes?: readonly string[];
  /** Indicator cache statistics of this task (hits, misses). */
  readonly cache: { readonly hits: number; readonly misses: number };
}

/** One share of a parallel PBO: the block statistics and the prefixes this worker walks. */
export interface PboTask {
  readonly stats: BlockStats;
  readonly prefixes: readonly string[];
}
