/**
 * The trade half of the backtest metrics: counts and sums over closed (and open-at-end) trades.
 * MetricsAccumulator (metrics.ts) extends it with the per-bar returns and the drawdown.
 */
export class TradeTally {
  protected trades = 0;
  protected wins = 0;
  protected losses = 0;
  protected sumWin = 0;
  protected sumLoss = 0;
  protected grossProfit = 0;
  protected grossLoss = 0;
  protected best = -Infinity;
  protected worst = Infinity;
  protected sumDays = 0;

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

  /** A closed (or open-at-end) trade: its net return, net P&L and duration in days. */
  addTrade(ret: number, pnl: number, days: number): void {
    this.addTradeResult(ret, pnl);
    this.addTradeDays(days);
  }

  /**
   * `addTrade` in two halves: the result now, the duration later (the simulator reads the
   * timestamps of all its trades in one batch at the end: those reads miss the cache, and
   * batched they overlap). Durations must be added in trade order (their sum is a float sum).
   */
  addTradeResult(ret: number, pnl: number): void {
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
  }

  addTradeDays(days: number): void {
    this.sumDays += days;
  }
}
