import type { GateResult, GateStatus } from '../gates/gates.js';
import type { ParamPoint } from '../space/space.js';

/** BacktestMetrics keys of the Sigmatiq dictionary (section E), in its order. */
export const METRIC_KEYS = [
  'total_return', 'annualized_return', 'sharpe_ratio', 'sortino_ratio', 'max_drawdown', 'win_rate', 'profit_factor',
  'total_trades', 'avg_trade_duration_days', 'best_trade', 'worst_trade', 'avg_winner', 'avg_loser',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type SweepMetrics = Readonly<Record<MetricKey, number>> & Readonly<Record<string, number>>;

/** One evaluated combination (the dictionary's SweepCombination). */
export interface ComboResult {
  /** Position in the sampler's plan, 0-based (the dictionary's combo_id). */
  readonly combo_id: number;
  readonly params: ParamPoint;
  readonly config_hash: string;
  /** Undefined when the combination failed (see `error`). */
  readonly metrics: SweepMetrics | undefined;
  readonly gate: GateResult;
  readonly error?: { readonly reason_code: string; readonly code: string; readonly message: string } | undefined;
  /** False when Pareto pruning dropped it (it stays in the results). */
  kept: boolean;
  /** Leaderboard rank, 1-based, set by `rankResults`. */
  rank: number;
}

/** The dictionary's LeaderboardEntry (section E) plus params and config_hash for display. */
export interface LeaderboardEntry {
  readonly sweep_id: string;
  readonly rank: number;
  readonly combo_id: number;
  readonly sharpe: number;
  readonly return: number;
  readonly trades: number;
  readonly max_drawdown: number;
  readonly gate_status: GateStatus;
  readonly config_hash: string;
  readonly params: ParamPoint;
}
