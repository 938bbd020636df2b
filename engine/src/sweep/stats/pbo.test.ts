import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/index.js';
import { blockBounds, combinations, pboLogitsPart, pboWorkParts, probabilityOfBacktestOverfitting, type BlockStats } from './pbo.js';
import { cscvKernels, type KernelKind } from './pbo-kernels.js';

/**
 * Block statistics of N combinations over L returns cut into S blocks, with ties on purpose:
 * every `dupEvery`-th combination repeats the previous one (equal Sharpe ratios on every split),
 * some repeat it on the first S/2 blocks only (equal in sample on that split, different out of
 * sample: the lowest-index rule decides λ), every `zeroEvery`-th never trades (all-zero sums:
 * Sharpe 0 everywhere), and a few trade in one block only (Sharpe 0 on the splits that miss it).
 * `losing`: every drift negative, so the in-sample maximum is often 0, shared by the combinations
 * that do not trade in sample.
 */
function tiedStats(seed: number, N: number, S: number, L: number, losing = false, dupEvery = 5, zeroEvery = 7): BlockStats {
  const rng = createRng(seed);
  const counts = blockBounds(L, S).map(({ start, end }) => end - start);
  const sums = new Float64Array(S * N);
  const sumsq = new Float64Array(S * N);
  for (let c = 0; c < N; c++) {
    const drift = losing ? -0.004 * (1 + rng.uniform()) : 0.0004 * rng.normal();
    const halfCopy = c > 0 && c % 4 === 1;
    const oneBlock = c % 11 === 4 ? rng.int(0, S - 1) : -1;
    for (let b = 0; b < S; b++) {
      const i = b * N + c;
      if ((c > 0 && c % dupEvery === 3) || (halfCopy && b < S / 2)) { sums[i] = sums[i - 1] ?? 0; sumsq[i] = sumsq[i - 1] ?? 0; continue; }
      if (c % zeroEvery === 2 || (oneBlock >= 0 && b !== oneBlock)) continue;
      const n = counts[b] ?? 0;
      // n returns r_t = drift + vol·z_t, summed: Σr and Σr² of an actual series.
      let s = 0;
      let q = 0;
      const vol = 0.01 * (0.5 + rng.uniform());
      for (let t = 0; t < n; t++) { const r = drift + vol * rng.normal(); s += r; q += r * r; }
      sums[i] = s;
      sumsq[i] = q;
    }
  }
  return { blocks: S, combos: N, counts, sums, sumsq };
}

/**
 * Independent oracle: for every in-sample set J, each combination's Sharpe ratio over J and over
 * its complement straight from the definition (mean = Σr/n, var = (Σr² − n·mean²)/(n − 1),
 * Sharpe = mean/√var, 0 when var ≤ 0 or n < 2), n* = first index of the largest in-sample Sharpe,
 * mid-rank ω̄ = (1 + #worse + ½ #equal others) / (N + 1), λ = ln(ω̄/(1 − ω̄)). No rank key, no
 * walk, no shared partial sums.
 */
function oracleLogits(st: BlockStats): number[] {
  const { blocks: S, combos: N, counts, sums, sumsq } = st;
  const sharpe = (c: number, set: readonly number[]): number => {
    let s = 0;
    let q = 0;
    let n = 0;
    for (const b of set) { s += sums[b * N + c] ?? 0; q += sumsq[b * N + c] ?? 0; n += counts[b] ?? 0; }
    if (n < 2) return 0;
    const mean = s / n;
    const v = (q - n * mean * mean) / (n - 1);
    return v > 0 ? mean / Math.sqrt(v) : 0;
  };
  return combinations(S, S / 2).map((J) => {
    const out = Array.from({ length: S }, (_, b) => b).filter((b) => !J.includes(b));
    let best = 0;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < N; c++) { const v = sharpe(c, J); if (v > bestV) { bestV = v; best = c; } }
    const w0 = sharpe(best, out);
    let worse = 0;
    let equal = 0;
    for (let c = 0; c < N; c++) {
      if (c === best) continue;
      const v = sharpe(c, out);
      if (v < w0) worse++;
      else if (v === w0) equal++;
    }
    const w = (1 + worse + 0.5 * equal) / (N + 1);
    return Math.log(w / (1 - w));
  });
}

const KINDS: readonly KernelKind[] = ['wasm', 'js'];

describe('CSCV kernels (contract: WebAssembly SIMD and JavaScript)', () => {
  it('this runtime has WebAssembly SIMD, so the wasm cases below run the wasm kernels', () => {
    for (const [N, want, got] of [[6, 'wasm', 'wasm'], [6, 'js', 'js'], [1, 'wasm', 'js']] as const) {
      // N < 2: the JavaScript loops (the SIMD keys need a pair).
      const k = cscvKernels(tiedStats(1, N, 4, 40), want);
      expect(k.kind).toBe(got);
      k.release();
    }
  });
  it('wasm: a computation on the thread\'s reused memory, or on a new one while that is held, gives the oracle\'s λ', () => {
    // A larger computation first leaves its sums in the thread's memory.
    const big = tiedStats(4243, 1001, 16, 320);
    probabilityOfBacktestOverfitting(big, 'wasm');
    const st = tiedStats(99, 9, 4, 41);
    const want = oracleLogits(st);
    expect(Array.from(probabilityOfBacktestOverfitting(st, 'wasm').logits)).toEqual(want);
    // While one computation holds the thread's instance, another gets its own.
    const held = cscvKernels(big, 'wasm');
    try {
      expect(Array.from(probabilityOfBacktestOverfitting(st, 'wasm').logits)).toEqual(want);
    } finally {
      held.release();
    }
    expect(Array.from(probabilityOfBacktestOverfitting(st, 'wasm').logits)).toEqual(want);
  });
  for (const kind of KINDS) {
    describe(`${kind} kernels`, () => {
      // Odd and even N, N below and above a SIMD pair, S = 2, 4, 8, 16.
      const shapes: [number, number, number, boolean][] = [[2, 1, 10, false], [2, 2, 10, false], [2, 3, 9, false], [2, 9, 20, false], [2, 9, 20, true], [4, 5, 41, false], [4, 8, 40, true], [4, 30, 40, false], [8, 13, 83, false], [8, 13, 83, true], [16, 9, 161, false], [16, 24, 320, true], [16, 25, 320, false]];
      for (const [S, N, L, losing] of shapes) {
        it(`λ of every split equals the oracle's with ties (S = ${S}, N = ${N}, L = ${L}${losing ? ', all losing' : ''})`, () => {
          const st = tiedStats(100 + S * 7 + N, N, S, L, losing);
          const got = probabilityOfBacktestOverfitting(st, kind);
          const want = oracleLogits(st);
          expect(got.splits).toBe(want.length);
          // Counts are integers and λ the same formula of them: exact equality.
          expect(Array.from(got.logits)).toEqual(want);
          expect(got.pbo).toBe(want.filter((l) => l <= 0).length / want.length);
        });
      }
      it('all combinations identical: every in-sample winner is combination 0 and ties with all the others', () => {
        // N copies of one series: ω̄ = (1 + 0 + ½(N − 1)) / (N + 1) = ½ on every split, λ = 0.
        const base = tiedStats(7, 1, 4, 40);
        const N = 5;
        const sums = new Float64Array(4 * N);
        const sumsq = new Float64Array(4 * N);
        for (let b = 0; b < 4; b++) for (let c = 0; c < N; c++) { sums[b * N + c] = base.sums[b] ?? 0; sumsq[b * N + c] = base.sumsq[b] ?? 0; }
        const r = probabilityOfBacktestOverfitting({ ...base, combos: N, sums, sumsq }, kind);
        expect(Array.from(r.logits)).toEqual([0, 0, 0, 0, 0, 0]);
        expect(r.pbo).toBe(1);
      });
      it('no combination trades: every key is 0, λ = 0 on every split', () => {
        const st: BlockStats = { blocks: 4, combos: 3, counts: [10, 10, 10, 10], sums: new Float64Array(12), sumsq: new Float64Array(12) };
        expect(Array.from(probabilityOfBacktestOverfitting(st, kind).logits)).toEqual([0, 0, 0, 0, 0, 0]);
      });
    });
  }
  it('wasm and js give the same λ bit for bit on 16 blocks × 1,001 combinations (odd N, ties)', () => {
    const st = tiedStats(4242, 1001, 16, 320);
    const a = probabilityOfBacktestOverfitting(st, 'wasm').logits;
    const b = probabilityOfBacktestOverfitting(st, 'js').logits;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });
  it('worker shares reassemble the single-thread λ (odd N, ties)', () => {
    const st = tiedStats(77, 31, 16, 160);
    const whole = probabilityOfBacktestOverfitting(st);
    for (const parts of [2, 5]) {
      const merged = new Float64Array(whole.splits).fill(Number.NaN);
      for (const g of pboWorkParts(16, parts)) pboLogitsPart(st, g).forEach((l, i) => { if (!Number.isNaN(l)) merged[i] = l; });
      expect(Array.from(merged)).toEqual(Array.from(whole.logits));
    }
  });
});
