/**
 * Backtest metrics in the Sigmatiq BacktestMetrics shape (plus calmar and exposure), accumulated
 * in one pass by the simulator (no arrays needed). Conventions: docs/backtest.md.
 */
import { rangeSum, type MarketPrefix } from './market.js';
import { metricsFromTotals, type BacktestMetrics } from './totals.js';
import { EquityTally, NO_EDGE } from './equity.js';

export type { BacktestMetrics, RunTotals } from './totals.js';
export { metricsFromTotals } from './totals.js';
export { NO_EDGE, type BlockSumsRequest } from './equity.js';

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
export class MetricsAccumulator extends EquityTally {
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

  /**
   * addHeld for an all-in long stretch (market.ts): the returns are the market's close-to-close
   * returns, so Σr, Σr², the downside sum and the CSCV block sums come from `mk`'s prefix sums
   * (O(1) per block the stretch touches). The drawdown is exact: the same equities
   * cash + exposure × close[t], peaks and epochs as addHeld, bar by bar (a compare and a min per
   * bar). Falls back to addHeld (nothing committed here) when some equity is not finite and > 0.
   * Keeps no per-bar return: only for accumulators without a buffer.
   */
  addHeldMarket(mk: MarketPrefix, close: Float64Array, from: number, to: number, cash: number, exposure: number): number {
    // The prefix sums are indexed by bar: bar t's return is return number t (n === from, as in
    // every simulator loop); anything else takes the general path.
    if (this.returns !== null || this.n !== from || !(this.prev > 0 && this.prev < Infinity) || !(exposure > 0)) return this.addHeld(close, from, to, cash, exposure, null);
    // With exposure > 0 the equity is monotone in the close (rounding included), so bounds of the
    // closes bound the equities: a stretch that stays below the peak and above the epoch's lowest
    // equity changes no drawdown state (about 70% of held bars in the benchmark sweep). NaN
    // bounds fail the test.
    // Every load this stretch needs is issued before the first data-dependent branch: they miss
    // the caches (a sweep's stretches land anywhere in the bars) and overlap only when no
    // mispredicted branch stands between them.
    const d1 = rangeSum(mk, 0, from, to);
    const d2 = rangeSum(mk, 1, from, to);
    const d3 = rangeSum(mk, 2, from, to);
    const last = close[to - 1] as number;
    mk.bound(from, to);
    const eHigh = cash + exposure * mk.high;
    const eLow = cash + exposure * mk.low;
    let done = eHigh < this.peak && this.minE > 0;
    if (done && !(eLow >= this.minE)) {
      // Below the peak throughout (no epoch closes) but maybe under the epoch's low: the lowest
      // equity is that of the lowest close, found exactly without reading every bar.
      const low = cash + exposure * mk.exactLow(close, from, to);
      if (low > 0) this.minE = Math.min(this.minE, low);
      else done = false;
    }
    if (!done) {
      let peak = this.peak;
      let minE = this.minE;
      let maxDd = this.maxDd;
      let bad = 0;
      for (let t = from; t < to; t++) {
        const equity = cash + exposure * (close[t] as number);
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
      if (bad !== 0 || !(minE > 0) || !(peak < Infinity)) return this.addHeld(close, from, to, cash, exposure, null);
      this.peak = peak;
      this.minE = minE;
      this.maxDd = maxDd;
    }
    if (this.n >= this.edge) this.advanceBlocks(this.n);
    if (to <= this.edge) {
      // The stretch lies in the current block.
      this.sum += d1;
      this.sumSq += d2;
      this.bs += d1;
      this.bq += d2;
      this.down2 += d3;
      this.n = to;
      this.exposed += to - from;
      this.prev = cash + exposure * last;
      return to;
    }
    let t = from;
    while (t < to) {
      if (this.n >= this.edge) this.advanceBlocks(this.n);
      const end = Math.min(to, t + (this.edge - this.n));
      const s1 = rangeSum(mk, 0, t, end);
      const s2 = rangeSum(mk, 1, t, end);
      this.sum += s1;
      this.sumSq += s2;
      this.bs += s1;
      this.bq += s2;
      this.down2 += rangeSum(mk, 2, t, end);
      this.n += end - t;
      t = end;
    }
    this.exposed += to - from;
    this.prev = cash + exposure * last;
    return to;
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
