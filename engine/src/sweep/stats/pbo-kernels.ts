/**
 * The three inner loops of the CSCV walk (see `pboWalk` in pbo.ts), one object per computation.
 * Two implementations with the same results, bit for bit: WebAssembly SIMD (`WasmKernels` over
 * pbo-wasm.ts, two combinations per instruction; the default) and plain JavaScript loops
 * (`JsKernels`, the reference; used when WebAssembly SIMD is missing or N < 2).
 *
 *   add(d, b)                  partial sums one level deeper: level d+1 = level d + block b (Σr and Σr²);
 *   keys(d, a, b, nIn, nOut)   the visit's in- and out-of-sample keys (in-sample sums =
 *                              (level d + block a) + block b, out of sample = totals − in-sample)
 *                              and both argmaxes (`best`: the first index of the strict maximum);
 *   ranks(vIn, vOut)           #worse / #equal counts of both sides (`counts`).
 *
 * The rank key orders like the Sharpe ratio among series of the same length n: s·|s| / (n·q − s²),
 * 0 when n·q − s² ≤ 0 (variance not positive: Sharpe 0) or n < 2 (see pbo.ts).
 */
import { cscvWasm, releaseCscvWasm, type CscvWasm } from './pbo-wasm.js';
import type { BlockStats } from './pbo.js';

export type KernelKind = 'wasm' | 'js';

/** First index of the strict maximum of the in- and out-of-sample keys, and the keys themselves (JS). */
function leafKeys(N: number, nIn: number, nOut: number, ps: Float64Array, pq: Float64Array, as: Float64Array, aq: Float64Array, bs: Float64Array, bq: Float64Array, totS: Float64Array, totQ: Float64Array, kIn: Float64Array, kOut: Float64Array, best: Int32Array): void {
  let bestIn = 0;
  let bestInV = Number.NEGATIVE_INFINITY;
  let bestOut = 0;
  let bestOutV = Number.NEGATIVE_INFINITY;
  const inOk = nIn >= 2;
  const outOk = nOut >= 2;
  for (let c = 0; c < N; c++) {
    const si = ((ps[c] as number) + (as[c] as number)) + (bs[c] as number);
    const qi = ((pq[c] as number) + (aq[c] as number)) + (bq[c] as number);
    const so = (totS[c] as number) - si;
    const qo = (totQ[c] as number) - qi;
    const di = nIn * qi - si * si;
    const dO = nOut * qo - so * so;
    const ki = inOk && di > 0 ? (si * Math.abs(si)) / di : 0;
    const ko = outOk && dO > 0 ? (so * Math.abs(so)) / dO : 0;
    kIn[c] = ki;
    kOut[c] = ko;
    if (ki > bestInV) { bestInV = ki; bestIn = c; }
    if (ko > bestOutV) { bestOutV = ko; bestOut = c; }
  }
  best[0] = bestIn;
  best[1] = bestOut;
}

/** #worse / #equal of the out-of-sample keys against vOut and of the in-sample keys against vIn (JS). */
function leafRanks(N: number, kIn: Float64Array, kOut: Float64Array, vIn: number, vOut: number, counts: Int32Array): void {
  let worseOut = 0;
  let equalOut = 0;
  let worseIn = 0;
  let equalIn = 0;
  for (let c = 0; c < N; c++) {
    const xo = kOut[c] as number;
    const xi = kIn[c] as number;
    worseOut += +(xo < vOut);
    equalOut += +(xo === vOut);
    worseIn += +(xi < vIn);
    equalIn += +(xi === vIn);
  }
  counts[0] = worseOut;
  counts[1] = equalOut;
  counts[2] = worseIn;
  counts[3] = equalIn;
}

/** Partial sums one level deeper (JS): ns = ps + bs, nq = pq + bq. */
function addBlock(N: number, ps: Float64Array, pq: Float64Array, bs: Float64Array, bq: Float64Array, ns: Float64Array, nq: Float64Array): void {
  for (let c = 0; c < N; c++) {
    ns[c] = (ps[c] as number) + (bs[c] as number);
    nq[c] = (pq[c] as number) + (bq[c] as number);
  }
}

/** One computation's memory and kernels (see the header). */
export interface CscvKernels {
  readonly N: number;
  readonly kind: KernelKind;
  /** Returns over all blocks (the same for every combination). */
  readonly totalN: number;
  /** Returns per block. */
  readonly blockCounts: readonly number[];
  /** First index of the strict maximum: [in-sample of J, out-of-sample of J (= in-sample of J̄)]. */
  readonly best: Int32Array;
  /** [#worse out, #equal out, #worse in, #equal in] of the last `ranks`. */
  readonly counts: Int32Array;
  /** Level d + 1 = level d + block b (level 0 is all zeros). */
  add(d: number, b: number): void;
  /**
   * Keys of the visit whose in-sample sums are (level d + block a) + block b, a = −1 for none
   * (level 0, all +0, stands in: +0 + +0 = +0, so the sums are the same bits as level d + b);
   * argmaxes into `best`. The level between is never stored: the same additions in the same order.
   */
  keys(d: number, a: number, b: number, nIn: number, nOut: number): void;
  kIn(c: number): number;
  kOut(c: number): number;
  /** Counts against J's winner's out-of-sample key vOut and J̄'s winner's in-sample key vIn, into `counts`. */
  ranks(vIn: number, vOut: number): void;
  /** Ends the computation: its memory may serve the next one (idempotent; nothing may be called afterwards). */
  release(): void;
}

function totalReturns(st: BlockStats): number {
  let totalN = 0;
  for (const c of st.counts) totalN += c;
  return totalN;
}

/** The JavaScript loops over separate arrays (block-major sums, one array per level and key side). */
class JsKernels implements CscvKernels {
  readonly kind = 'js' as const;
  readonly N: number;
  readonly totalN: number;
  readonly blockCounts: readonly number[];
  readonly best = new Int32Array(2);
  readonly counts = new Int32Array(4);
  private readonly st: BlockStats;
  private readonly totS: Float64Array;
  private readonly totQ: Float64Array;
  private readonly levS: Float64Array[];
  private readonly levQ: Float64Array[];
  private readonly keysIn: Float64Array;
  private readonly keysOut: Float64Array;

  constructor(st: BlockStats) {
    const N = st.combos;
    this.st = st;
    this.N = N;
    this.totalN = totalReturns(st);
    this.blockCounts = st.counts;
    this.totS = new Float64Array(N);
    this.totQ = new Float64Array(N);
    // Totals, block by block from 0 (the order the definition's sums use).
    for (let b = 0; b < st.blocks; b++) {
      const o = b * N;
      for (let c = 0; c < N; c++) { this.totS[c] = (this.totS[c] as number) + (st.sums[o + c] as number); this.totQ[c] = (this.totQ[c] as number) + (st.sumsq[o + c] as number); }
    }
    this.levS = Array.from({ length: Math.max(1, st.blocks / 2) }, () => new Float64Array(N));
    this.levQ = Array.from({ length: Math.max(1, st.blocks / 2) }, () => new Float64Array(N));
    this.keysIn = new Float64Array(N);
    this.keysOut = new Float64Array(N);
  }

  private blockS(b: number): Float64Array {
    return b < 0 ? (this.levS[0] as Float64Array) : this.st.sums.subarray(b * this.N, (b + 1) * this.N);
  }

  private blockQ(b: number): Float64Array {
    return b < 0 ? (this.levQ[0] as Float64Array) : this.st.sumsq.subarray(b * this.N, (b + 1) * this.N);
  }

  add(d: number, b: number): void {
    addBlock(this.N, this.levS[d] as Float64Array, this.levQ[d] as Float64Array, this.blockS(b), this.blockQ(b), this.levS[d + 1] as Float64Array, this.levQ[d + 1] as Float64Array);
  }

  keys(d: number, a: number, b: number, nIn: number, nOut: number): void {
    leafKeys(this.N, nIn, nOut, this.levS[d] as Float64Array, this.levQ[d] as Float64Array, this.blockS(a), this.blockQ(a), this.blockS(b), this.blockQ(b), this.totS, this.totQ, this.keysIn, this.keysOut, this.best);
  }

  kIn(c: number): number {
    return this.keysIn[c] as number;
  }

  kOut(c: number): number {
    return this.keysOut[c] as number;
  }

  ranks(vIn: number, vOut: number): void {
    leafRanks(this.N, this.keysIn, this.keysOut, vIn, vOut, this.counts);
  }

  release(): void {
    // Plain arrays: the collector takes them.
  }
}

/**
 * The WebAssembly SIMD kernels (pbo-wasm.ts) over one memory whose arrays are interleaved by
 * pairs of combinations: chunk j of an array holds [Σr(2j), Σr(2j+1), Σr²(2j), Σr²(2j+1)] (or
 * [in-key, in-key, out-key, out-key]), so a pair needs one pointer per array. Regions, each 2·Np
 * doubles (Np = N rounded up to even): the S blocks, the totals, the S/2 levels (level 0 all
 * zeros), the keys; then 8 doubles of scratch.
 */
class WasmKernels implements CscvKernels {
  readonly kind = 'wasm' as const;
  readonly N: number;
  readonly totalN: number;
  readonly blockCounts: readonly number[];
  readonly best = new Int32Array(2);
  readonly counts = new Int32Array(4);
  private readonly w: CscvWasm;
  private readonly F: Float64Array;
  private readonly I: Int32Array;
  private readonly len: number;
  private readonly oTot: number;
  private readonly oLev: number;
  private readonly oKeys: number;
  private readonly oOut: number;

  constructor(st: BlockStats, w: CscvWasm, bytes: number) {
    const S = st.blocks;
    const N = st.combos;
    this.w = w;
    this.N = N;
    this.totalN = totalReturns(st);
    this.blockCounts = st.counts;
    this.len = 2 * (N + (N & 1));
    this.oTot = S * this.len;
    this.oLev = this.oTot + this.len;
    this.oKeys = this.oLev + Math.max(1, S / 2) * this.len;
    this.oOut = this.oKeys + this.len;
    this.F = new Float64Array(w.buffer, 0, bytes / 8);
    this.I = new Int32Array(w.buffer, 0, bytes / 4);
    const F = this.F;
    for (let b = 0; b < S; b++) {
      const o = b * N;
      for (let c = 0; c < N; c++) {
        const at = b * this.len + 4 * (c >> 1) + (c & 1);
        F[at] = st.sums[o + c] as number;
        F[at + 2] = st.sumsq[o + c] as number;
        // Totals, block by block from 0 (the order the definition's sums use).
        const t = this.oTot + 4 * (c >> 1) + (c & 1);
        F[t] = (F[t] as number) + (st.sums[o + c] as number);
        F[t + 2] = (F[t + 2] as number) + (st.sumsq[o + c] as number);
      }
    }
  }

  /** Bytes needed for `st`. */
  static bytes(st: BlockStats): number {
    const len = 2 * (st.combos + (st.combos & 1));
    return ((st.blocks + 2 + Math.max(1, st.blocks / 2)) * len + 8) * 8;
  }

  private block(b: number): number {
    return (b < 0 ? this.oLev : b * this.len) * 8;
  }

  add(d: number, b: number): void {
    const lev = this.oLev + d * this.len;
    this.w.add(this.len * 8, lev * 8, this.block(b), (lev + this.len) * 8);
  }

  keys(d: number, a: number, b: number, nIn: number, nOut: number): void {
    // n < 2 as n = 0: then n·q − s² is ≤ 0 or NaN, so the key is 0, as defined.
    this.w.keys(this.N, nIn >= 2 ? nIn : 0, nOut >= 2 ? nOut : 0, (this.oLev + d * this.len) * 8, this.block(a), this.block(b), this.oTot * 8, this.oKeys * 8, this.oOut * 8);
    const F = this.F;
    const o = this.oOut;
    // Per lane (even / odd combinations) the best value and its index: the larger value, the lower index on a tie.
    const pick = (v0: number, v1: number, i0: number, i1: number): number => (v1 > v0 || (v1 === v0 && i1 < i0) ? i1 : i0);
    this.best[0] = pick(F[o] as number, F[o + 1] as number, F[o + 2] as number, F[o + 3] as number);
    this.best[1] = pick(F[o + 4] as number, F[o + 5] as number, F[o + 6] as number, F[o + 7] as number);
  }

  kIn(c: number): number {
    return this.F[this.oKeys + 4 * (c >> 1) + (c & 1)] as number;
  }

  kOut(c: number): number {
    return this.F[this.oKeys + 4 * (c >> 1) + 2 + (c & 1)] as number;
  }

  ranks(vIn: number, vOut: number): void {
    this.w.ranks(this.N, this.oKeys * 8, vIn, vOut, this.oOut * 8);
    // Four i64x2 accumulators; each lane's count is its low 32 bits (counts < 2³¹, non-negative).
    const I = this.I;
    const o = this.oOut * 2;
    for (let j = 0; j < 4; j++) this.counts[j] = (I[o + 4 * j] as number) + (I[o + 4 * j + 2] as number);
  }

  release(): void {
    releaseCscvWasm(this.w);
  }
}

/**
 * The kernels for `st`: WebAssembly SIMD unless `want` is 'js', the runtime lacks it or N < 2
 * (the SIMD keys need a pair); the JavaScript loops otherwise. The same results either way.
 */
export function cscvKernels(st: BlockStats, want: KernelKind = 'wasm'): CscvKernels {
  if (want === 'wasm' && st.combos >= 2) {
    const bytes = WasmKernels.bytes(st);
    const w = cscvWasm(bytes);
    if (w !== null) return new WasmKernels(st, w, bytes);
  }
  return new JsKernels(st);
}
