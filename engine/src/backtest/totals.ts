/**
 * BacktestMetrics in the Sigmatiq shape (plus calmar and exposure), and the formulas that turn a
 * run's streamed totals into them (conventions: docs/backtest.md). The totals come from
 * MetricsAccumulator (metrics.ts) or from the simulator's fast loop, which keeps them in locals.
 */
export interface BacktestMetrics {
  readonly total_return: number;
  readonly annualized_return: number;
  readonly sharpe_ratio: number;
  readonly sortino_ratio: number;
  readonly max_drawdown: number;
  readonly win_rate: number;
  readonly profit_factor: number;
  readonly total_trades: number;
  readonly avg_trade_duration_days: number;
  readonly best_trade: number;
  readonly worst_trade: number;
  readonly avg_winner: number;
  readonly avg_loser: number;
  readonly calmar_ratio: number;
  readonly exposure: number;
}

/** The streamed totals of a run (every drawdown epoch closed), from which the metrics follow. */
export interface RunTotals {
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
  readonly down2: number;
  readonly maxDd: number;
  readonly exposed: number;
  /** Final equity / initial capital. */
  readonly ratio: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly sumWin: number;
  readonly sumLoss: number;
  readonly grossProfit: number;
  readonly grossLoss: number;
  readonly best: number;
  readonly worst: number;
  readonly sumDays: number;
}

/**
 * The metrics from a run's totals (MetricsAccumulator.finish and the simulator's fast loop, which
 * keeps the same totals in locals). The sample variance is (Σr² − (Σr)²/N)/(N − 1): see `finish`.
 */
export function metricsFromTotals(x: RunTotals, periodsPerYear: number): BacktestMetrics {
  const n = x.n;
  const mean = n > 0 ? x.sum / n : 0;
  const raw = x.sumSq - (x.sum * x.sum) / Math.max(1, n);
  const ss = raw > 64 * n * Number.EPSILON * x.sumSq ? raw : 0;
  const maxDd = x.maxDd;
  const ratio = x.ratio;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const downside = n > 0 ? Math.sqrt(x.down2 / n) : 0;
  const annualized = n > 0 ? (ratio > 0 ? Math.pow(ratio, periodsPerYear / n) - 1 : -1) : 0;
  const t = x.trades;
  return {
    total_return: ratio - 1,
    annualized_return: annualized,
    sharpe_ratio: std > 0 ? (mean / std) * Math.sqrt(periodsPerYear) : 0,
    sortino_ratio: downside > 0 ? (mean / downside) * Math.sqrt(periodsPerYear) : 0,
    max_drawdown: maxDd,
    win_rate: t > 0 ? x.wins / t : 0,
    // Gross profit / gross loss: +Infinity when there are winners but no loser (nothing divides the profit),
    // 0 when there is neither (no trades, or only break-even ones). docs/backtest.md.
    profit_factor: x.grossLoss > 0 ? x.grossProfit / x.grossLoss : x.grossProfit > 0 ? Number.POSITIVE_INFINITY : 0,
    total_trades: t,
    avg_trade_duration_days: t > 0 ? x.sumDays / t : 0,
    best_trade: t > 0 ? x.best : 0,
    worst_trade: t > 0 ? x.worst : 0,
    avg_winner: x.wins > 0 ? x.sumWin / x.wins : 0,
    avg_loser: x.losses > 0 ? x.sumLoss / x.losses : 0,
    calmar_ratio: maxDd > 0 ? annualized / maxDd : 0,
    exposure: n > 0 ? x.exposed / n : 0,
  };
}
