/**
 * Backtest metrics in the Sigmatiq BacktestMetrics shape (plus calmar and exposure), accumulated
 * in one pass by the simulator (no arrays needed). Conventions: docs/backtest.md.
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

/**
 * One-pass accumulator. Per-bar returns r_t = E_t / E_{t-1} − 1 with E_{-1} = initial capital,
 * so N (the number of return bars) equals the number of bars. Mean and variance by Welford.
 */
export class MetricsAccumulator {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private down2 = 0;
  private peak: number;
  private maxDd = 0;
  private exposed = 0;
  private equity: number;
  private trades = 0;
  private wins = 0;
  private losses = 0;
  private sumWin = 0;
  private sumLoss = 0;
  private grossProfit = 0;
  private grossLoss = 0;
  private best = -Infinity;
  private worst = Infinity;
  private sumDays = 0;

  constructor(private readonly initial: number) {
    this.peak = initial;
    this.equity = initial;
  }

  /** Closed trades so far (winners, losers, sums): what Kelly sizing may look at. */
  get closedWins(): number {
    return this.wins;
  }
  get closedLosses(): number {
    return this.losses;
  }
  get closedTrades(): number {
    return this.trades;
  }
  get winnerSum(): number {
    return this.sumWin;
  }
  get loserSum(): number {
    return this.sumLoss;
  }

  /** Equity at a bar's close; `inPosition` counts toward exposure. Returns the bar's drawdown. */
  addEquity(equity: number, inPosition: boolean): number {
    const prev = this.equity;
    const r = prev > 0 ? equity / prev - 1 : 0;
    this.equity = equity;
    this.n++;
    const d = r - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (r - this.mean);
    if (r < 0) this.down2 += r * r;
    if (inPosition) this.exposed++;
    if (equity > this.peak) this.peak = equity;
    const dd = this.peak > 0 ? (this.peak - equity) / this.peak : 0;
    if (dd > this.maxDd) this.maxDd = dd;
    return dd;
  }

  /** A closed (or open-at-end) trade: its net return, net P&L and duration in days. */
  addTrade(ret: number, pnl: number, days: number): void {
    this.trades++;
    if (ret > 0) {
      this.wins++;
      this.sumWin += ret;
    } else if (ret < 0) {
      this.losses++;
      this.sumLoss += ret;
    }
    if (pnl > 0) this.grossProfit += pnl;
    else this.grossLoss -= pnl;
    if (ret > this.best) this.best = ret;
    if (ret < this.worst) this.worst = ret;
    this.sumDays += days;
  }

  finish(periodsPerYear: number): BacktestMetrics {
    const n = this.n;
    const ratio = this.equity / this.initial;
    const std = n > 1 ? Math.sqrt(this.m2 / (n - 1)) : 0;
    const downside = n > 0 ? Math.sqrt(this.down2 / n) : 0;
    const annualized = n > 0 ? (ratio > 0 ? Math.pow(ratio, periodsPerYear / n) - 1 : -1) : 0;
    const t = this.trades;
    return {
      total_return: ratio - 1,
      annualized_return: annualized,
      sharpe_ratio: std > 0 ? (this.mean / std) * Math.sqrt(periodsPerYear) : 0,
      sortino_ratio: downside > 0 ? (this.mean / downside) * Math.sqrt(periodsPerYear) : 0,
      max_drawdown: this.maxDd,
      win_rate: t > 0 ? this.wins / t : 0,
      profit_factor: this.grossLoss > 0 ? this.grossProfit / this.grossLoss : 0,
      total_trades: t,
      avg_trade_duration_days: t > 0 ? this.sumDays / t : 0,
      best_trade: t > 0 ? this.best : 0,
      worst_trade: t > 0 ? this.worst : 0,
      avg_winner: this.wins > 0 ? this.sumWin / this.wins : 0,
      avg_loser: this.losses > 0 ? this.sumLoss / this.losses : 0,
      calmar_ratio: this.maxDd > 0 ? annualized / this.maxDd : 0,
      exposure: n > 0 ? this.exposed / n : 0,
    };
  }
}
