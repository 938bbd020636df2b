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

/** 1 − 2⁻²⁰: the margin of addHeld's drawdown filter (far above two roundings of 2⁻⁵³ each). */
const DD_FILTER = 1 - 2 ** -20;

/**
 * CSCV block sums wanted from `finish`: block b spans returns [bounds[b], bounds[b + 1]); `out`
 * receives Σr at out[b] and Σr² at out[S + b] (S = bounds.length − 1), summed in bar order.
 */
export interface BlockSumsRequest {
  readonly bounds: Int32Array;
  readonly out: Float64Array;
}

/**
 * Metrics of one run, fed by the simulator: `addEquity` at each bar's close, `addTrade` when a
 * trade closes. Per-bar returns r_t = E_t / E_{t-1} − 1 with E_{-1} = initial capital, so N
 * (the number of return bars) equals the number of bars. Sum, downside sum, peak and max
 * drawdown are streamed; returns go to a buffer so `finish` takes the sample variance in a
 * second pass around the mean (exact and stable, no division per bar).
 */
export class MetricsAccumulator {
  // Numeric fields start as numbers (never undefined) so V8 keeps them as unboxed doubles.
  private n = 0;
  private returns: Float64Array;
  private prev = 0;
  private sum = 0;
  private down2 = 0;
  private peak = 0;
  private maxDd = 0;
  private exposed = 0;
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

  /**
   * `buffer` receives the per-bar returns (grown when full). The simulator passes a scratch
   * buffer it reuses across runs; pass nothing to own a fresh one.
   */
  constructor(
    private readonly initial: number,
    buffer: Float64Array = new Float64Array(256),
  ) {
    this.prev = initial;
    this.peak = initial;
    this.returns = buffer;
  }

  /** Equity at a bar's close; `inPosition` (a position held at that close) counts toward exposure. */
  addEquity(equity: number, inPosition: boolean): void {
    const prev = this.prev;
    const r = equity === prev || !(prev > 0) ? 0 : equity / prev - 1;
    this.prev = equity;
    if (this.n === this.returns.length) {
      const grown = new Float64Array(Math.max(256, this.returns.length * 2));
      grown.set(this.returns);
      this.returns = grown;
    }
    this.returns[this.n++] = r;
    this.sum += r;
    if (equity >= this.peak) {
      this.peak = equity;
    } else {
      if (r < 0) this.down2 += r * r;
      const dd = (this.peak - equity) / this.peak;
      if (dd > this.maxDd) this.maxDd = dd;
    }
    if (inPosition) this.exposed++;
  }

  /**
   * Bars `from`..`to`−1 holding a position that nothing changes: equity_t = cash + exposure ×
   * close[t]. Exactly `addEquity(equity_t, true)` bar by bar, stopping before the first bar whose
   * equity is not finite and > 0 (ruin and oddities stay with the caller's per-bar path). Writes
   * each equity into `equityOut` when given. Returns the index of the first bar not added.
   *
   * Same results bit for bit, without the branch on the sign of the return (a coin flip on real
   * prices: the mispredictions cost more than the arithmetic; measured 15 -> 6 ms per 1M bars).
   * With prev and equity finite and > 0, addEquity's return is plain equity / prev − 1 (x / x is
   * exactly 1). At a new peak the drawdown is exactly 0 and the return >= 0 (equity >= peak >=
   * prev), so computing dd and adding neg² on every bar changes nothing there; neg =
   * (r − |r|) / 2 is exactly r when r < 0 and ±0 otherwise. (Math.min/max would branch: ±0/NaN.)
   */
  addHeld(close: Float64Array, from: number, to: number, cash: number, exposure: number, equityOut: Float64Array | null): number {
    let prev = this.prev;
    if (!(prev > 0 && prev < Infinity)) return from;
    this.reserve(to - from);
    const rs = this.returns;
    let n = this.n;
    let sum = this.sum;
    let peak = this.peak;
    let down2 = this.down2;
    let maxDd = this.maxDd;
    let t = from;
    for (; t < to; t++) {
      const equity = cash + exposure * (close[t] as number);
      if (!(equity > 0 && equity < Infinity)) break;
      const r = equity / prev - 1;
      prev = equity;
      rs[n++] = r;
      sum += r;
      const neg = (r - Math.abs(r)) * 0.5;
      down2 += neg * neg;
      if (equity >= peak) peak = equity;
      // dd = (peak − equity) / peak only when it can exceed maxDd: D <= maxDd·peak·(1 − 2⁻²⁰)
      // (computed with two roundings, still below maxDd·peak exactly) means D / peak < maxDd,
      // and rounding is monotone, so dd would not replace maxDd. Saves a division per bar.
      const d = peak - equity;
      if (d > maxDd * peak * DD_FILTER) {
        const dd = d / peak;
        maxDd = dd > maxDd ? dd : maxDd;
      }
      if (equityOut !== null) equityOut[t] = equity;
    }
    this.n = n;
    this.prev = prev;
    this.sum = sum;
    this.peak = peak;
    this.down2 = down2;
    this.maxDd = maxDd;
    this.exposed += t - from;
    return t;
  }

  /** Room for `count` more returns in the buffer. */
  private reserve(count: number): void {
    const end = this.n + count;
    if (end > this.returns.length) {
      const grown = new Float64Array(Math.max(end, this.returns.length * 2));
      grown.set(this.returns.subarray(0, this.n));
      this.returns = grown;
    }
  }

  /** The per-bar returns added so far (a view of the buffer, valid until it is reused). */
  returnsView(): Float64Array {
    return this.returns.subarray(0, this.n);
  }

  /**
   * `count` bars at `equity`: exactly `addEquity(equity, false)` repeated, done in bulk when the
   * equity equals the last one added (zero returns, peak and drawdown unchanged).
   */
  addFlat(count: number, equity: number): void {
    if (equity !== this.prev) {
      for (let i = 0; i < count; i++) this.addEquity(equity, false);
      return;
    }
    this.reserve(count);
    const end = this.n + count;
    const rs = this.returns;
    // A plain loop: TypedArray.fill is a builtin whose call costs more than short stretches.
    for (let i = this.n; i < end; i++) rs[i] = 0;
    this.n = end;
  }

  /** Drawdown at the last equity added: positive fraction below the running peak. */
  drawdown(): number {
    return this.prev >= this.peak ? 0 : (this.peak - this.prev) / this.peak;
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

  /**
   * The metrics. With `blocks`, also the CSCV block sums of the returns, in the same pass as the
   * variance (the returns are read once); the bounds must cover exactly the returns added.
   */
  finish(periodsPerYear: number, blocks?: BlockSumsRequest): BacktestMetrics {
    const n = this.n;
    const rs = this.returns;
    const mean = n > 0 ? this.sum / n : 0;
    let ss = 0;
    if (blocks === undefined || blocks.bounds[0] !== 0 || blocks.bounds[blocks.bounds.length - 1] !== n) {
      for (let i = 0; i < n; i++) {
        const d = (rs[i] as number) - mean;
        ss += d * d;
      }
      if (blocks !== undefined) blockSumsOf(rs, n, blocks);
    } else {
      const { bounds, out } = blocks;
      const S = bounds.length - 1;
      for (let b = 0; b < S; b++) {
        let s = 0;
        let q = 0;
        const end = bounds[b + 1] as number;
        for (let i = bounds[b] as number; i < end; i++) {
          const x = rs[i] as number;
          const d = x - mean;
          ss += d * d;
          s += x;
          q += x * x;
        }
        out[b] = s;
        out[S + b] = q;
      }
    }
    const maxDd = this.maxDd;
    const exposedBars = this.exposed;
    const ratio = this.prev / this.initial;
    const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    const downside = n > 0 ? Math.sqrt(this.down2 / n) : 0;
    const annualized = n > 0 ? (ratio > 0 ? Math.pow(ratio, periodsPerYear / n) - 1 : -1) : 0;
    const t = this.trades;
    return {
      total_return: ratio - 1,
      annualized_return: annualized,
      sharpe_ratio: std > 0 ? (mean / std) * Math.sqrt(periodsPerYear) : 0,
      sortino_ratio: downside > 0 ? (mean / downside) * Math.sqrt(periodsPerYear) : 0,
      max_drawdown: maxDd,
      win_rate: t > 0 ? this.wins / t : 0,
      // Gross profit / gross loss: +Infinity when there are winners but no loser (nothing divides the profit),
      // 0 when there is neither (no trades, or only break-even ones). docs/backtest.md.
      profit_factor: this.grossLoss > 0 ? this.grossProfit / this.grossLoss : this.grossProfit > 0 ? Number.POSITIVE_INFINITY : 0,
      total_trades: t,
      avg_trade_duration_days: t > 0 ? this.sumDays / t : 0,
      best_trade: t > 0 ? this.best : 0,
      worst_trade: t > 0 ? this.worst : 0,
      avg_winner: this.wins > 0 ? this.sumWin / this.wins : 0,
      avg_loser: this.losses > 0 ? this.sumLoss / this.losses : 0,
      calmar_ratio: maxDd > 0 ? annualized / maxDd : 0,
      exposure: n > 0 ? exposedBars / n : 0,
    };
  }
}

/** Block sums of returns[0..n) (bounds clipped to n; blocks past n sum to 0). */
function blockSumsOf(rs: Float64Array, n: number, { bounds, out }: BlockSumsRequest): void {
  const S = bounds.length - 1;
  for (let b = 0; b < S; b++) {
    let s = 0;
    let q = 0;
    const end = Math.min(n, bounds[b + 1] as number);
    for (let i = bounds[b] as number; i < end; i++) {
      const x = rs[i] as number;
      s += x;
      q += x * x;
    }
    out[b] = s;
    out[S + b] = q;
  }
}
