/**
 * The per-bar half of the backtest metrics (metrics.ts): returns r_t = E_t / E_{t-1} − 1, their
 * sums, the drawdown epochs and the CSCV block sums, fed one bar (`addEquity`) or one flat stretch
 * (`addFlat`) at a time. MetricsAccumulator adds the held-stretch fast paths and `finish`.
 */
import { TradeTally } from './trades.js';

/**
 * CSCV block sums wanted from a run: block b spans returns [bounds[b], bounds[b + 1]); `out`
 * receives Σr at out[b] and Σr² at out[S + b] (S = bounds.length − 1), each summed in bar order.
 * Returns before bounds[0] belong to no block; blocks past the last return sum to 0.
 */
export interface BlockSumsRequest {
  readonly bounds: Int32Array;
  readonly out: Float64Array;
}

/** Largest bar index + 1 used as "no further block edge". */
export const NO_EDGE = 0x7fffffff;

/** Per-bar state of MetricsAccumulator (see its comment); fields are shared with its held-stretch loops. */
export class EquityTally extends TradeTally {
  // Numeric fields start as numbers (never undefined) so V8 keeps them as unboxed doubles.
  protected n = 0;
  protected returns: Float64Array | null;
  protected prev = 0;
  protected sum = 0;
  protected sumSq = 0;
  protected down2 = 0;
  protected peak = 0;
  /** Lowest equity since `peak` was set (the current drawdown epoch); maxDd leaves it out until the epoch closes. */
  protected minE = 0;
  protected maxDd = 0;
  protected exposed = 0;
  // CSCV block sums: the current block b (−1 before the first), its end `edge`, its running sums.
  protected bounds: Int32Array = new Int32Array(0);
  protected blockOut: Float64Array = new Float64Array(0);
  protected blockCount = 0;
  protected block = -1;
  protected edge = NO_EDGE;
  protected bs = 0;
  protected bq = 0;

  /**
   * `buffer` (optional) receives the per-bar returns (grown when full): the general simulator
   * passes a scratch buffer it reuses across runs. Without it no per-bar return is kept.
   */
  constructor(
    protected readonly initial: number,
    buffer: Float64Array | null = null,
    blocks?: BlockSumsRequest,
  ) {
    super();
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
  protected advanceBlocks(i: number): void {
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
  protected closeEpoch(): void {
    const peak = this.peak;
    const minE = this.minE;
    if (minE < peak) {
      const dd = (peak - minE) / peak;
      if (dd > this.maxDd) this.maxDd = dd;
    }
  }

  /** Room for `count` more returns in the buffer (when one is kept). */
  protected reserve(count: number): void {
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
}
