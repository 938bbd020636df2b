/**
 * Backtest metrics in the Sigmatiq BacktestMetrics shape (plus calmar and exposure), accumulated
 * in one pass by the simulator (no arrays needed). Conventions: docs/backtest.md.
 */
import { metricsFromTotals, type BacktestMetrics } from './totals.js';

export type { BacktestMetrics, RunTotals } from './totals.js';
export { metricsFromTotals } from './totals.js';

/**
 * CSCV block sums wanted from a run: block b spans returns [bounds[b], bounds[b + 1]); `out`
 * receives Σr at out[b] and Σr² at out[S + b] (S = bounds.length − 1), each summed in bar order.
 * Returns before bounds[0] belong to no block; blocks past the last return sum to 0.
 */
export interface BlockSumsRequest {
  readonly bounds: Int32Array;
  readonly out: Float64Array;
}

/** Scratch outputs for addHeld's writing loop when the caller wants only one of its two outputs. */
const scratches: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function scratch(length: number, which: 0 | 1): Float64Array {
  let a = scratches[which] as Float64Array;
  if (a.length < length) {
    a = new Float64Array(Math.max(length, 2 * a.length));
    scratches[which] = a;
  }
  return a;
}

/** Largest bar index + 1 used as "no further block edge". */
export const NO_EDGE = 0x7fffffff;

/**
 * Metrics of one run, fed by the simulator: `addEquity` at each bar's close, `addTrade` when a
 * trade closes. Per-bar returns r_t = E_t / E_{t-1} − 1 with E_{-1} = initial capital, so N
 * (the number of return bars) equals the number of bars. Everything is streamed in one pass: Σr
 * and Σr² (the sample variance is (Σr² − (Σr)²/N)/(N − 1), see `finish`), the downside sum, the
 * peak and max drawdown, and the CSCV block sums when asked for. Zero returns (flat bars) add
 * nothing to any sum (x + 0 = x: no sum here is ever −0), so flat stretches cost O(1).
 * A `buffer`, when given, also receives every per-bar return (the general simulator hands them
 * back in SimOutcome.returns).
 */
export class MetricsAccumulator {
  // Numeric fields start as numbers (never undefined) so V8 keeps them as unboxed doubles.
  private n = 0;
  private returns: Float64Array | null;
  private prev = 0;
  private sum = 0;
  private sumSq = 0;
  private down2 = 0;
  private peak = 0;
  /** Lowest equity since `peak` was set (the current drawdown epoch); maxDd leaves it out until the epoch closes. */
  private minE = 0;
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
  // CSCV block sums: the current block b (−1 before the first), its end `edge`, its running sums.
  private bounds: Int32Array = new Int32Array(0);
  private blockOut: Float64Array = new Float64Array(0);
  private blockCount = 0;
  private block = -1;
  private edge = NO_EDGE;
  private bs = 0;
  private bq = 0;

  /**
   * `buffer` (optional) receives the per-bar returns (grown when full): the general simulator
   * passes a scratch buffer it reuses across runs. Without it no per-bar return is kept.
   */
  constructor(
    private readonly initial: number,
    buffer: Float64Array | null = null,
    blocks?: BlockSumsRequest,
  ) {
    this.prev = initial;
    this.peak = initial;
    this.minE = initial;
    this.returns = buffer;
    if (blocks !== undefined) this.setBlocks(blocks);
  }

  /** Asks for CSCV block sums (before the first return is added); written by `finish`. */
  setBlocks(blocks: BlockSumsRequest): void {
    this.bounds = blocks.bounds;
    this.blockOut = blocks.out;
    this.blockCount = Math.max(0, blocks.bounds.length - 1);
    this.block = -1;
    this.edge = blocks.bounds.length > 0 ? (blocks.bounds[0] as number) : NO_EDGE;
    this.bs = 0;
    this.bq = 0;
  }

  /** Closes blocks until the one holding return index `i` is current. */
  private advanceBlocks(i: number): void {
    const S = this.blockCount;
    while (i >= this.edge) {
      const b = this.block;
      if (b >= 0 && b < S) {
        this.blockOut[b] = this.bs;
        this.blockOut[S + b] = this.bq;
      }
      this.bs = 0;
      this.bq = 0;
      this.block = b + 1;
      this.edge = b + 2 <= S ? (this.bounds[b + 2] as number) : NO_EDGE;
    }
  }

  /** Equity at a bar's close; `inPosition` (a position held at that close) counts toward exposure. */
  addEquity(equity: number, inPosition: boolean): void {
    const prev = this.prev;
    const r = equity === prev || !(prev > 0) ? 0 : equity / prev - 1;
    this.prev = equity;
    const i = this.n++;
    const rs = this.returns;
    if (rs !== null) {
      if (i >= rs.length) this.reserve(1);
      (this.returns as Float64Array)[i] = r;
    }
    if (r !== 0) {
      if (i >= this.edge) this.advanceBlocks(i);
      const r2 = r * r;
      this.sum += r;
      this.sumSq += r2;
      this.bs += r;
      this.bq += r2;
    }
    if (equity >= this.peak) {
      this.closeEpoch();
      this.peak = equity;
      this.minE = equity;
    } else {
      if (r < 0) this.down2 += r * r;
      if (equity < this.minE) this.minE = equity;
    }
    if (inPosition) this.exposed++;
  }

  /**
   * The drawdown epoch since the last peak ends (a new peak, or the end of the run): its deepest
   * drawdown (peak − min)/peak joins maxDd. That is the maximum over the epoch's bars of
   * (peak − equity)/peak, bit for bit: with the peak fixed, the rounded value is monotone in the
   * equity, so the lowest equity gives the largest one; no division per bar.
   */
  private closeEpoch(): void {
    const peak = this.peak;
    const minE = this.minE;
    if (minE < peak) {
      const dd = (peak - minE) / peak;
      if (dd > this.maxDd) this.maxDd = dd;
    }
  }

  /**
   * Bars `from`..`to`−1 holding a position that nothing changes: equity_t = cash + exposure ×
   * close[t]. Exactly `addEquity(equity_t, true)` bar by bar, stopping before the first bar whose
   * equity is not finite and > 0 (ruin and oddities stay with the caller's per-bar path). Writes
   * each equity into `equityOut` when given. Returns the index of the first bar not added.
   *
   * Same results bit for bit, without the branch on the sign of the return (a coin flip on real
   * prices: the mispredictions cost more than the arithmetic). With prev and equity finite and
   * > 0, addEquity's return is plain equity / prev − 1 (x / x is exactly 1). A zero return adds
   * +0 to every sum here, which changes nothing (no sum is −0). At a new peak the drawdown is
   * exactly 0 and the return >= 0 (equity >= peak >= prev), so computing dd and adding neg² on
   * every bar changes nothing there; neg = (r − |r|) / 2 is exactly r when r < 0 and ±0
   * otherwise. (Math.min/max would branch: ±0/NaN.)
   */
  addHeld(close: Float64Array, from: number, to: number, cash: number, exposure: number, equityOut: Float64Array | null): number {
    if (!(this.prev > 0 && this.prev < Infinity)) return from;
    // The common case in one call (sweeps: no outputs, the stretch inside one block): heldWriting's
    // loop without the two stores (see heldStretch).
    if (this.returns === null && equityOut === null && this.n + (to - from) <= this.edge) {
      let prev = this.prev;
      let sum = this.sum;
      let sumSq = this.sumSq;
      let bs = this.bs;
      let bq = this.bq;
      let peak = this.peak;
      let minE = this.minE;
      let down2 = this.down2;
      let maxDd = this.maxDd;
      let bad = 0;
      for (let t = from; t < to; t++) {
        const equity = cash + exposure * (close[t] as number);
        const r = equity / prev - 1;
        prev = equity;
        const r2 = r * r;
        sum += r;
        sumSq += r2;
        bs += r;
        bq += r2;
        const neg = (r - Math.abs(r)) * 0.5;
        down2 += neg * neg;
        if (equity >= peak) {
          if (minE < peak) {
            bad |= +!(minE > 0);
            const dd = (peak - minE) / peak;
            maxDd = dd > maxDd ? dd : maxDd;
          }
          peak = equity;
          minE = equity;
        } else minE = Math.min(minE, equity);
      }
      if (bad === 0 && minE > 0 && sum - sum === 0) {
        this.n += to - from;
        this.exposed += to - from;
        this.prev = prev;
        this.sum = sum;
        this.sumSq = sumSq;
        this.bs = bs;
        this.bq = bq;
        this.peak = peak;
        this.minE = minE;
        this.down2 = down2;
        this.maxDd = maxDd;
        return to;
      }
    }
    const rs = this.returns;
    if (rs !== null && this.n + (to - from) > rs.length) this.reserve(to - from);
    let t = from;
    while (t < to) {
      // One stretch inside the current block.
      if (this.n >= this.edge) this.advanceBlocks(this.n);
      const end = Math.min(to, t + (this.edge - this.n));
      if (this.heldStretch(close, t, end, cash, exposure, equityOut)) {
        t = end;
        continue;
      }
      // Some bar of the stretch has an equity that is not finite and > 0: add the bars before it.
      return this.heldUntilBad(close, t, end, cash, exposure, equityOut);
    }
    return t;
  }

  /**
   * addHeld's loop over [from, to) inside one block, with no early exit: the sums are committed
   * only when every equity is finite and > 0; returns false (nothing committed) otherwise. It
   * writes both outputs (a scratch array stands in for a missing one): V8 ran a loop with a second
   * exit ~10 ns per bar slower, and one with a store guarded by `x !== null` on a null x at ~39 ns
   * per bar (2 ns without), so neither appears here. The common case (no outputs, one block) has
   * its own copy of the loop in addHeld: a call less per stretch, ~90 → ~30 ns per 30-bar stretch.
   */
  private heldStretch(close: Float64Array, from: number, to: number, cash: number, exposure: number, equityOut: Float64Array | null): boolean {
    const n0 = this.n - from;
    return this.heldWriting(close, from, to, cash, exposure, this.returns ?? scratch(n0 + to, 0), equityOut ?? scratch(to, 1));
  }

  /** The held loop, writing each return at out[n0 + t] and each equity at equityOut[t]. */
  private heldWriting(close: Float64Array, from: number, to: number, cash: number, exposure: number, out: Float64Array, equityOut: Float64Array): boolean {
    const n0 = this.n - from; // return index of bar t is n0 + t
    let prev = this.prev;
    let sum = this.sum;
    let sumSq = this.sumSq;
    let bs = this.bs;
    let bq = this.bq;
    let peak = this.peak;
    let minE = this.minE;
    let down2 = this.down2;
    let maxDd = this.maxDd;
    let bad = 0;
    for (let t = from; t < to; t++) {
      const equity = cash + exposure * (close[t] as number);
      const r = equity / prev - 1;
      prev = equity;
      out[n0 + t] = r;
      const r2 = r * r;
      sum += r;
      sumSq += r2;
      bs += r;
      bq += r2;
      const neg = (r - Math.abs(r)) * 0.5;
      down2 += neg * neg;
      if (equity >= peak) {
        if (minE < peak) {
          bad |= +!(minE > 0);
          const dd = (peak - minE) / peak;
          maxDd = dd > maxDd ? dd : maxDd;
        }
        peak = equity;
        minE = equity;
      } else minE = Math.min(minE, equity);
      equityOut[t] = equity;
    }
    if (bad !== 0 || !(minE > 0) || !(sum - sum === 0)) return false;
    this.commit(to - from, prev, sum, sumSq, bs, bq, peak, minE, down2, maxDd);
    return true;
  }

  private commit(bars: number, prev: number, sum: number, sumSq: number, bs: number, bq: number, peak: number, minE: number, down2: number, maxDd: number): void {
    this.n += bars;
    this.prev = prev;
    this.sum = sum;
    this.sumSq = sumSq;
    this.bs = bs;
    this.bq = bq;
    this.peak = peak;
    this.minE = minE;
    this.down2 = down2;
    this.maxDd = maxDd;
    this.exposed += bars;
  }

  /** addHeld's bars from `from` up to the first one (before `to`) whose equity is not finite and > 0; returns its index. */
  private heldUntilBad(close: Float64Array, from: number, to: number, cash: number, exposure: number, equityOut: Float64Array | null): number {
    let t = from;
    for (; t < to; t++) {
      const equity = cash + exposure * (close[t] as number);
      if (!(equity > 0 && equity < Infinity)) break;
      // Exactly heldStretch's arithmetic for one bar (addEquity's, too: prev and equity finite > 0).
      if (!this.heldStretch(close, t, t + 1, cash, exposure, equityOut)) break;
    }
    return t;
  }

  /** Room for `count` more returns in the buffer (when one is kept). */
  private reserve(count: number): void {
    const rs = this.returns;
    if (rs === null) return;
    const end = this.n + count;
    if (end > rs.length) {
      const grown = new Float64Array(Math.max(end, rs.length * 2, 256));
      grown.set(rs.subarray(0, this.n));
      this.returns = grown;
    }
  }

  /** The per-bar returns added so far (a view of the buffer, valid until it is reused), or undefined when none is kept. */
  returnsView(): Float64Array | undefined {
    return this.returns === null ? undefined : this.returns.subarray(0, this.n);
  }

  /**
   * `count` bars at `equity`: exactly `addEquity(equity, false)` repeated, done in bulk when the
   * equity equals the last one added (zero returns: no sum, peak or drawdown changes).
   */
  addFlat(count: number, equity: number): void {
    if (equity !== this.prev) {
      for (let i = 0; i < count; i++) this.addEquity(equity, false);
      return;
    }
    const rs = this.returns;
    if (rs !== null) {
      this.reserve(count);
      const end = this.n + count;
      const out = this.returns as Float64Array;
      // A plain loop: TypedArray.fill is a builtin whose call costs more than short stretches.
      for (let i = this.n; i < end; i++) out[i] = 0;
    }
    this.n += count;
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
   * The metrics (and the block sums asked for by `setBlocks`). The sample variance is
   * (Σr² − (Σr)²/N)/(N − 1), clamped at 0: one pass, no per-bar buffer. Its rounding error is of
   * the order of N·ε·(1 + mean²/var), the same order as the sums of a two-pass variance for
   * returns, whose mean is small next to their spread. A variance within that rounding noise
   * (below 64·N·ε of Σr²: a series whose spread is under ~10⁻⁵ of its mean, a constant non-zero
   * return) cannot be told from 0 and is taken as 0, so the Sharpe ratio is 0 as for a series
   * with no spread (docs/backtest.md).
   */
  finish(periodsPerYear: number): BacktestMetrics {
    this.advanceBlocks(NO_EDGE - 1);
    this.closeEpoch();
    this.minE = this.peak;
    return metricsFromTotals({
      n: this.n, sum: this.sum, sumSq: this.sumSq, down2: this.down2, maxDd: this.maxDd, exposed: this.exposed, ratio: this.prev / this.initial,
      trades: this.trades, wins: this.wins, losses: this.losses, sumWin: this.sumWin, sumLoss: this.sumLoss,
      grossProfit: this.grossProfit, grossLoss: this.grossLoss, best: this.best, worst: this.worst, sumDays: this.sumDays,
    }, periodsPerYear);
  }
}
