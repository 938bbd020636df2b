/**
 * cross_above / cross_below of the same two series as a lazy SignalSource (backtest/signals.ts):
 * the metrics-only simulator asks for the next signal from a bar and the answer is read straight
 * from the series, so a sweep combination never writes or scans a mask (a moving-average
 * crossover sweep reads a different pair of indicator arrays per combination: the reads are what
 * costs, and here each bar is read once).
 *
 * The signals are exactly crossMask's (masks.ts, pos = true), for any NaNs and ties:
 *   cross_above(x, y) at t  ⇔  t ≥ 1 and x[t] > y[t] and x[t−1] <= y[t−1]
 *   cross_below(x, y) at t  ⇔  t ≥ 1 and x[t] < y[t] and x[t−1] >= y[t−1]
 * (a comparison with NaN is false, so a NaN on either bar gives no signal).
 */
import type { SignalSource } from '../backtest/signals.js';
import { crossMask } from './masks.js';
import type { ScanArena, ScanKernel } from './scan-wasm.js';

/*
 * The scan runs in two states: "prev": the previous bar satisfies the cross's precondition
 * (x <= y for cross_above), so the first bar that does not is the signal unless it is NaN; "not":
 * it does not (or is NaN), so the first bar that does is looked for, which is never a signal
 * itself. cross_below(x, y) is cross_above(y, x) exactly (NaN included), so one scan serves both.
 *
 * With block summaries (`SeriesSummaries`: max and min of each series per block of 16 bars),
 * whole blocks that cannot change the state are skipped on two reads per series: in "prev" a
 * block with max(x) <= min(y) (every bar x <= y), in "not" one with min(x) > max(y) (every bar
 * x > y). A NaN in a block makes its summary NaN, which never skips. Other blocks are read bar by
 * bar. On the benchmark's crossovers about half of the blocks are skipped.
 */

/** Bars per summary block: 1 << BLOCK_SHIFT. */
const BLOCK_SHIFT = 4;
const BLOCK_MASK = (1 << BLOCK_SHIFT) - 1;

/**
 * Max and min per block of 16 bars of the series a job's signals read (`summary(a)`: (max, min)
 * of block j at 2j, NaN when the block holds a NaN), computed once per array. The arrays must not
 * change while this object is used (a sweep job's bars and indicator values do not). With an
 * `arena` (scan-wasm.ts), a pair whose two series both live in it is scanned by the arena's
 * WebAssembly kernel instead (no summaries needed).
 */
export class SeriesSummaries {
  private readonly map = new WeakMap<Float64Array, Float64Array>();

  constructor(readonly arena?: ScanArena) {}

  summary(a: Float64Array): Float64Array {
    let s = this.map.get(a);
    if (s === undefined) {
      const n = a.length;
      const blocks = n >> BLOCK_SHIFT; // whole blocks only: a partial last block is read bar by bar
      s = new Float64Array(2 * blocks);
      for (let j = 0; j < blocks; j++) {
        let hi = -Infinity;
        let lo = Infinity;
        for (let t = j << BLOCK_SHIFT, end = t + (1 << BLOCK_SHIFT); t < end; t++) {
          const v = a[t] as number;
          hi = v > hi || v !== v ? v : hi;
          lo = v < lo || v !== v ? v : lo;
        }
        s[2 * j] = hi;
        s[2 * j + 1] = lo;
      }
      this.map.set(a, s);
    }
    return s;
  }
}

const NO_SUMMARY = new Float64Array(0);

/**
 * First t in [max(from, 1), n) with x[t] > y[t] and x[t−1] <= y[t−1]; n when none. `sx`, `sy`:
 * block summaries of x and y (SeriesSummaries), or empty arrays to read every bar.
 */
export function nextCrossAbove(x: Float64Array, y: Float64Array, from: number, n: number, sx: Float64Array = NO_SUMMARY, sy: Float64Array = NO_SUMMARY): number {
  let t = from < 1 ? 1 : from;
  if (t >= n) return n;
  let prev = (x[t - 1] as number) <= (y[t - 1] as number);
  const blocks = Math.min(sx.length, sy.length) >> 1;
  while (t < n) {
    let j = t >> BLOCK_SHIFT;
    if ((t & BLOCK_MASK) === 0 && j < blocks) {
      if (prev) while (j < blocks && (sx[2 * j] as number) <= (sy[2 * j + 1] as number)) j++;
      else while (j < blocks && (sx[2 * j + 1] as number) > (sy[2 * j] as number)) j++;
      t = j << BLOCK_SHIFT;
      if (t >= n) return n;
    }
    const end = Math.min(n, (t | BLOCK_MASK) + 1);
    while (t < end) {
      // Four bars per test while the state holds, then bar by bar up to the change.
      if (prev) {
        while (t + 4 <= end && (+((x[t] as number) <= (y[t] as number)) & +((x[t + 1] as number) <= (y[t + 1] as number)) & +((x[t + 2] as number) <= (y[t + 2] as number)) & +((x[t + 3] as number) <= (y[t + 3] as number))) === 1) t += 4;
        while (t < end && (x[t] as number) <= (y[t] as number)) t++;
        if (t >= end) break;
        if ((x[t] as number) > (y[t] as number)) return t;
        prev = false; // NaN at t
      } else {
        while (t + 4 <= end && (+((x[t] as number) <= (y[t] as number)) | +((x[t + 1] as number) <= (y[t + 1] as number)) | +((x[t + 2] as number) <= (y[t + 2] as number)) | +((x[t + 3] as number) <= (y[t + 3] as number))) === 0) t += 4;
        while (t < end && !((x[t] as number) <= (y[t] as number))) t++;
        if (t >= end) break;
        prev = true;
      }
      t++;
    }
  }
  return n;
}


function crossAt(above: boolean, x: Float64Array, y: Float64Array, t: number): boolean {
  if (t < 1) return false;
  const a = x[t] as number;
  const b = y[t] as number;
  const pa = x[t - 1] as number;
  const pb = y[t - 1] as number;
  return above ? a > b && pa <= pb : a < b && pa >= pb;
}

/**
 * Entry and exit, each cross_above (`true`) or cross_below (`false`) of (x, y). `out` buffers,
 * when given, receive the masks if the general loop asks for them.
 */
export class CrossPairSignals implements SignalSource {
  readonly length: number;
  private built: { entry: Uint8Array; exit: Uint8Array } | undefined;

  constructor(
    readonly x: Float64Array,
    readonly y: Float64Array,
    readonly entryAbove: boolean,
    readonly exitAbove: boolean,
    private readonly out?: { readonly entry: Uint8Array; readonly exit: Uint8Array },
    summaries?: SeriesSummaries,
  ) {
    if (y.length !== x.length) throw new RangeError(`cross series differ in length (${x.length} and ${y.length})`);
    this.length = x.length;
    const arena = summaries?.arena;
    const xp = arena?.addressOf(x) ?? -1;
    const yp = arena?.addressOf(y) ?? -1;
    if (arena !== undefined && xp >= 0 && yp >= 0) {
      this.kernel = arena.nextCrossAbove;
      this.xp = xp;
      this.yp = yp;
      this.sx = NO_SUMMARY;
      this.sy = NO_SUMMARY;
    } else {
      this.kernel = undefined;
      this.xp = -1;
      this.yp = -1;
      this.sx = summaries?.summary(x) ?? NO_SUMMARY;
      this.sy = summaries?.summary(y) ?? NO_SUMMARY;
    }
  }

  private readonly sx: Float64Array;
  private readonly sy: Float64Array;
  /** The arena's scan, when both series live in it (byte addresses xp, yp); else the JavaScript scan. */
  private readonly kernel: ScanKernel | undefined;
  private readonly xp: number;
  private readonly yp: number;

  nextEntry(from: number): number {
    return this.next(this.entryAbove, from);
  }
  nextExit(from: number): number {
    return this.next(this.exitAbove, from);
  }
  private next(above: boolean, from: number): number {
    const k = this.kernel;
    if (k !== undefined) return above ? k(this.xp, this.yp, from, this.length) : k(this.yp, this.xp, from, this.length);
    return above ? nextCrossAbove(this.x, this.y, from, this.length, this.sx, this.sy) : nextCrossAbove(this.y, this.x, from, this.length, this.sy, this.sx);
  }
  entryAt(t: number): boolean {
    return crossAt(this.entryAbove, this.x, this.y, t);
  }
  exitAt(t: number): boolean {
    return crossAt(this.exitAbove, this.x, this.y, t);
  }
  masks(): { readonly entry: Uint8Array; readonly exit: Uint8Array } {
    if (this.built === undefined) {
      const n = this.length;
      const entry = this.out?.entry.length === n ? this.out.entry : new Uint8Array(n);
      const exit = this.out?.exit.length === n ? this.out.exit : new Uint8Array(n);
      crossMask(this.entryAbove, true, this.x, this.y, entry);
      crossMask(this.exitAbove, true, this.x, this.y, exit);
      this.built = { entry, exit };
    }
    return this.built;
  }
}
