/**
 * The three inner loops of the CSCV walk (see `pboWalk` in pbo.ts), over one memory laid out per
 * computation: block sums (stride Np = N rounded up to even), totals, partial sums per depth, the
 * rank keys of one visit and a small scratch area. Two implementations with the same results, bit
 * for bit: WebAssembly SIMD (pbo-wasm.ts, two combinations per instruction; the default) and plain
 * JavaScript loops (the reference, used when WebAssembly SIMD is missing or N < 2).
 *
 *   add(d, b)           partial sums one level deeper: level d+1 = level d + block b (Σr and Σr²);
 *   keys(d, b, nIn, nOut)  the visit's in- and out-of-sample keys (in-sample sums = level d + block b,
 *                       out-of-sample = totals − in-sample) and both argmaxes (`bestIn`, `bestOut`:
 *                       the first index of the strict maximum);
 *   ranks(vIn, vOut)    #worse / #equal counts of both sides (`counts`).
 *
 * The rank key orders like the Sharpe ratio among series of the same length n: s·|s| / (n·q − s²),
 * 0 when n·q − s² ≤ 0 (variance not positive: Sharpe 0) or n < 2 (see pbo.ts).
 */
import { cscvWasm, type CscvWasm } from './pbo-wasm.js';
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

/** One computation's memory and kernels. */
export class CscvKernels {
  readonly N: number;
  readonly kind: KernelKind;
  /** First index of the strict maximum: [in-sample of J, out-of-sample of J (= in-sample of J̄)]. */
  readonly best = new Int32Array(2);
  /** [#worse out, #equal out, #worse in, #equal in] of the last `ranks`. */
  readonly counts = new Int32Array(4);
  /** Returns over all blocks (the same for every combination). */
  readonly totalN: number;
  /** Returns per block. */
  readonly blockCounts: readonly number[];
  private readonly Np: number;
  private readonly F: Float64Array;
  private readonly I: Int32Array;
  private readonly wasm: CscvWasm | null;
  /** Offsets (in doubles) of the regions. */
  private readonly oSums: number;
  private readonly oSumsq: number;
  private readonly oTotS: number;
  private readonly oTotQ: number;
  private readonly oLev: number;
  private readonly oKIn: number;
  private readonly oKOut: number;
  private readonly oOut: number;

  constructor(st: BlockStats, want: KernelKind = 'wasm') {
    const S = st.blocks;
    const N = st.combos;
    const half = S / 2;
    const Np = N + (N & 1);
    this.N = N;
    this.Np = Np;
    this.oSums = 0;
    this.oSumsq = S * Np;
    this.oTotS = 2 * S * Np;
    this.oTotQ = this.oTotS + Np;
    this.oLev = this.oTotQ + Np;
    this.oKIn = this.oLev + 2 * half * Np;
    this.oKOut = this.oKIn + Np;
    this.oOut = this.oKOut + Np;
    const bytes = (this.oOut + 8) * 8;
    this.wasm = want === 'wasm' && N >= 2 ? cscvWasm(bytes) : null;
    this.kind = this.wasm === null ? 'js' : 'wasm';
    const buffer = this.wasm !== null ? this.wasm.buffer : new ArrayBuffer(bytes);
    this.F = new Float64Array(buffer, 0, bytes / 8);
    this.I = new Int32Array(buffer, 0, bytes / 4);
    const F = this.F;
    for (let b = 0; b < S; b++) {
      F.set(st.sums.subarray(b * N, (b + 1) * N), this.oSums + b * Np);
      F.set(st.sumsq.subarray(b * N, (b + 1) * N), this.oSumsq + b * Np);
    }
    // Totals, block by block from 0 (the order the definition's sums use).
    for (let b = 0; b < S; b++) {
      const o = b * N;
      for (let c = 0; c < N; c++) {
        F[this.oTotS + c] = (F[this.oTotS + c] as number) + (st.sums[o + c] as number);
        F[this.oTotQ + c] = (F[this.oTotQ + c] as number) + (st.sumsq[o + c] as number);
      }
    }
    // Padding slot of an odd N: NaN keys are neither below nor equal to anything.
    if (Np > N) { F[this.oKIn + N] = Number.NaN; F[this.oKOut + N] = Number.NaN; }
    let totalN = 0;
    for (const c of st.counts) totalN += c;
    this.totalN = totalN;
    this.blockCounts = st.counts;
  }

  private view(offset: number): Float64Array {
    return this.F.subarray(offset, offset + this.N);
  }

  /** Level d + 1 = level d + block b (level 0 is all zeros). */
  add(d: number, b: number): void {
    const Np = this.Np;
    const ps = this.oLev + 2 * d * Np;
    const ns = ps + 2 * Np;
    if (this.wasm !== null) {
      this.wasm.add(Np * 8, ps * 8, (ps + Np) * 8, (this.oSums + b * Np) * 8, (this.oSumsq + b * Np) * 8, ns * 8, (ns + Np) * 8);
    } else {
      addBlock(this.N, this.view(ps), this.view(ps + Np), this.view(this.oSums + b * Np), this.view(this.oSumsq + b * Np), this.view(ns), this.view(ns + Np));
    }
  }

  /**
   * Keys of the visit whose in-sample sums are (level d + block a) + block b, a = −1 for none
   * (level 0, all +0, stands in: +0 + +0 = +0, so the sums are the same bits as level d + b);
   * argmaxes into `best`. The level between is never stored: the same additions in the same order.
   */
  keys(d: number, a: number, b: number, nIn: number, nOut: number): void {
    const Np = this.Np;
    const ps = this.oLev + 2 * d * Np;
    const as = a < 0 ? this.oLev : this.oSums + a * Np;
    const aq = a < 0 ? this.oLev + Np : this.oSumsq + a * Np;
    const bs = this.oSums + b * Np;
    const bq = this.oSumsq + b * Np;
    if (this.wasm === null) {
      leafKeys(this.N, nIn, nOut, this.view(ps), this.view(ps + Np), this.view(as), this.view(aq), this.view(bs), this.view(bq), this.view(this.oTotS), this.view(this.oTotQ), this.view(this.oKIn), this.view(this.oKOut), this.best);
      return;
    }
    // n < 2 as n = 0: then n·q − s² is ≤ 0 or NaN, so the key is 0, as defined.
    this.wasm.keys(this.N, nIn >= 2 ? nIn : 0, nOut >= 2 ? nOut : 0, ps * 8, (ps + Np) * 8, as * 8, aq * 8, bs * 8, bq * 8, this.oTotS * 8, this.oTotQ * 8, this.oKIn * 8, this.oKOut * 8, this.oOut * 8);
    const F = this.F;
    const o = this.oOut;
    // Per lane (even / odd combinations) the best value and its index: the larger value, the lower index on a tie.
    const pick = (v0: number, v1: number, i0: number, i1: number): number => (v1 > v0 || (v1 === v0 && i1 < i0) ? i1 : i0);
    this.best[0] = pick(F[o] as number, F[o + 1] as number, F[o + 2] as number, F[o + 3] as number);
    this.best[1] = pick(F[o + 4] as number, F[o + 5] as number, F[o + 6] as number, F[o + 7] as number);
  }

  kIn(c: number): number {
    return this.F[this.oKIn + c] as number;
  }

  kOut(c: number): number {
    return this.F[this.oKOut + c] as number;
  }

  /** Counts against J's winner's out-of-sample key vOut and J̄'s winner's in-sample key vIn, into `counts`. */
  ranks(vIn: number, vOut: number): void {
    if (this.wasm === null) {
      leafRanks(this.N, this.view(this.oKIn), this.view(this.oKOut), vIn, vOut, this.counts);
      return;
    }
    this.wasm.ranks(this.N, this.oKIn * 8, this.oKOut * 8, vIn, vOut, this.oOut * 8);
    // Four i64x2 accumulators; each lane's count is its low 32 bits (counts < 2³¹, non-negative).
    const I = this.I;
    const o = this.oOut * 2;
    for (let j = 0; j < 4; j++) this.counts[j] = (I[o + 4 * j] as number) + (I[o + 4 * j + 2] as number);
  }
}
