/**
 * Prefix sums of a close series' bar returns m_t = close[t] / close[t−1] − 1 (m_0 = 0), for the
 * metrics-only simulator's all-in long stretches.
 *
 * While an all-in long position is held and nothing trades, the equity is E_t = cash + q·close[t]
 * with cash only the rounding residue of the fill, so the strategy's return E_t / E_{t−1} − 1 is
 * the market's return m_t times (1 − cash / E_{t−1}): the same number to within |cash| / E
 * relative (the simulator takes this path only when that is at most 1e-12, see sim-fast.ts).
 * Σr, Σr² and the downside sum Σ min(r, 0)² over a stretch are then differences of prefix sums:
 * O(1) per stretch instead of a division and five sums per bar. The caller builds one per bars
 * it will not change (a sweep job: sweep/exec/returns.ts) and hands it to the simulator. Each prefix is a double-double
 * (TwoSum: hi + lo carries the running sum to about 2⁻¹⁰⁶ relative), so a stretch's sum is
 * correct to about one rounding of its own size, whatever the length of the series.
 */

/**
 * Prefix sums of the returns, interleaved per index i (Σ over returns [0, i)): at 6·i the
 * double-double (hi, lo) of Σr, then of Σr², then of Σ min(r, 0)². One stretch reads two
 * places of one array: two cache lines, not twelve (the stretches of a sweep land anywhere).
 */
/** The arrays a MarketPrefix is made of (see `MarketPrefix.parts`). */
export interface MarketParts {
  readonly sums: Float64Array;
  readonly table: Float64Array;
  readonly blocks: number;
}

export class MarketPrefix {
  readonly sums: Float64Array;
  /**
   * Range max and min of the closes by blocks of 8 bars: a sparse table over the blocks, level k
   * at offset 2·k·blocks holding (max, min) of blocks [j, j + 2^k) at 2·j (2.8 MB for 100,000
   * bars). A range's bound reads two entries. NaN in a block makes its entries NaN.
   */
  private readonly table: Float64Array;
  private readonly blocks: number;
  /** Results of `bound`: an upper and a lower bound of the closes of the range. */
  high = 0;
  low = 0;

  /**
   * The prefix sums of `close`, in zero-filled arrays from `alloc` (a sweep puts them in shared
   * memory for its workers), or adopted from the `parts` of one built earlier (not copied: the
   * parts must not change).
   */
  constructor(close: Float64Array | MarketParts, alloc: (length: number) => Float64Array = (length) => new Float64Array(length)) {
    if (!(close instanceof Float64Array)) {
      this.sums = close.sums;
      this.table = close.table;
      this.blocks = close.blocks;
      return;
    }
    const n = close.length;
    const sums = alloc(6 * (n + 1));
    let s1 = 0, e1 = 0, s2 = 0, e2 = 0, s3 = 0, e3 = 0;
    for (let t = 1; t < n; t++) {
      const c = close[t] as number;
      const p = close[t - 1] as number;
      // As MetricsAccumulator.addEquity computes a return (equal prices: exactly 0).
      const m = c === p ? 0 : c / p - 1;
      const m2 = m * m;
      const d2 = m < 0 ? m2 : 0;
      // TwoSum (Knuth): s + x = s' + err exactly; the errors accumulate in e.
      let u = s1 + m;
      let v = u - s1;
      e1 += s1 - (u - v) + (m - v);
      s1 = u;
      u = s2 + m2;
      v = u - s2;
      e2 += s2 - (u - v) + (m2 - v);
      s2 = u;
      u = s3 + d2;
      v = u - s3;
      e3 += s3 - (u - v) + (d2 - v);
      s3 = u;
      const k = 6 * (t + 1);
      sums[k] = s1;
      sums[k + 1] = e1;
      sums[k + 2] = s2;
      sums[k + 3] = e2;
      sums[k + 4] = s3;
      sums[k + 5] = e3;
    }
    this.sums = sums;
    const l8 = blockRange(close, n, 8);
    const B = l8.length >> 1;
    let levels = 1;
    while (1 << levels <= B) levels++;
    const table = alloc(Math.max(2, 2 * levels * B));
    table.set(l8);
    for (let k = 1; k < levels; k++) {
      const cur = 2 * k * B;
      const prev = 2 * (k - 1) * B;
      const half = 1 << (k - 1);
      for (let j = 0; j + (1 << k) <= B; j++) {
        const h1 = table[prev + 2 * j] as number;
        const h2 = table[prev + 2 * (j + half)] as number;
        const l1 = table[prev + 2 * j + 1] as number;
        const l2 = table[prev + 2 * (j + half) + 1] as number;
        table[cur + 2 * j] = h1 !== h1 || h2 !== h2 ? NaN : h1 > h2 ? h1 : h2;
        table[cur + 2 * j + 1] = l1 !== l1 || l2 !== l2 ? NaN : l1 < l2 ? l1 : l2;
      }
    }
    this.table = table;
    this.blocks = B;
  }

  /** The arrays of this prefix, to build another over them (`new MarketPrefix(parts)`). */
  get parts(): MarketParts {
    return { sums: this.sums, table: this.table, blocks: this.blocks };
  }

  /**
   * Sets `high` and `low` to bounds of close over bars [a, b) (0 <= a < b <= length): the max
   * and min over the 8-bar blocks covering the range (two overlapping power-of-two runs of
   * blocks). NaN when a close of a covering block is NaN.
   */
  bound(a: number, b: number): void {
    const A = a >> 3;
    const Z = (b - 1) >> 3;
    const k = 31 - Math.clz32(Z - A + 1);
    const t = this.table;
    const i = 2 * (k * this.blocks + A);
    const j = 2 * (k * this.blocks + Z - (1 << k) + 1);
    const h1 = t[i] as number;
    const h2 = t[j] as number;
    const l1 = t[i + 1] as number;
    const l2 = t[j + 1] as number;
    this.high = h1 !== h1 || h2 !== h2 ? NaN : h1 > h2 ? h1 : h2;
    this.low = l1 !== l1 || l2 !== l2 ? NaN : l1 < l2 ? l1 : l2;
  }

  /**
   * The lowest close over bars [a, b) (a < b) exactly: whole 8-bar blocks from the table, the
   * partial blocks at both ends read from `close` (at most 14 bars). NaN when any close there is.
   */
  exactLow(close: Float64Array, a: number, b: number): number {
    const A = (a + 7) >> 3;
    const Z = b >> 3;
    let lo = Infinity;
    if (A >= Z) {
      for (let t = a; t < b; t++) {
        const c = close[t] as number;
        lo = c < lo || c !== c ? c : lo;
      }
      return lo;
    }
    for (let t = a; t < A << 3; t++) {
      const c = close[t] as number;
      lo = c < lo || c !== c ? c : lo;
    }
    for (let t = Z << 3; t < b; t++) {
      const c = close[t] as number;
      lo = c < lo || c !== c ? c : lo;
    }
    const k = 31 - Math.clz32(Z - A);
    const tb = this.table;
    const l1 = tb[2 * (k * this.blocks + A) + 1] as number;
    const l2 = tb[2 * (k * this.blocks + Z - (1 << k)) + 1] as number;
    if (l1 !== l1 || l2 !== l2 || lo !== lo) return NaN;
    const m = l1 < l2 ? l1 : l2;
    return m < lo ? m : lo;
  }
}

/** (max, min) of close per block of `size` bars, interleaved; NaN poisons (NaN compares false). */
function blockRange(close: Float64Array, n: number, size: number): Float64Array {
  const blocks = Math.ceil(n / size);
  const out = new Float64Array(2 * blocks);
  for (let j = 0; j < blocks; j++) {
    let hi = -Infinity;
    let lo = Infinity;
    const end = Math.min(n, (j + 1) * size);
    for (let t = j * size; t < end; t++) {
      const c = close[t] as number;
      hi = c > hi || c !== c ? c : hi;
      lo = c < lo || c !== c ? c : lo;
    }
    out[2 * j] = hi;
    out[2 * j + 1] = lo;
  }
  return out;
}

/** Σr (which 0), Σr² (1) or Σ min(r, 0)² (2) over returns [a, b). */
export function rangeSum(p: MarketPrefix, which: 0 | 1 | 2, a: number, b: number): number {
  const s = p.sums;
  const i = 6 * a + 2 * which;
  const j = 6 * b + 2 * which;
  return ((s[j] as number) - (s[i] as number)) + ((s[j + 1] as number) - (s[i + 1] as number));
}
