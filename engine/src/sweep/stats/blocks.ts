/**
 * Per-block aggregates of one return series, the only thing CSCV needs from a combination:
 * out[b] = Σ r and out[S + b] = Σ r² over the returns of block b (see `blockBounds`).
 * A sweep keeps 2·S numbers per combination instead of its whole return series.
 */
import { blockBounds, type BlockStats } from './pbo.js';

export function blockSums(returns: ArrayLike<number>, blocks: number, out: Float64Array = new Float64Array(2 * blocks)): Float64Array {
  const bounds = blockBounds(returns.length, blocks);
  bounds.forEach(({ start, end }, b) => {
    let s = 0;
    let q = 0;
    for (let i = start; i < end; i++) {
      const r = returns[i] ?? 0;
      s += r;
      q += r * r;
    }
    out[b] = s;
    out[blocks + b] = q;
  });
  return out;
}

/** Assembles BlockStats (block-major) from per-combination `blockSums` rows. */
export function assembleBlockStats(length: number, blocks: number, rows: readonly Float64Array[]): BlockStats {
  const N = rows.length;
  const sums = new Float64Array(blocks * N);
  const sumsq = new Float64Array(blocks * N);
  rows.forEach((row, c) => {
    for (let b = 0; b < blocks; b++) {
      sums[b * N + c] = row[b] ?? 0;
      sumsq[b * N + c] = row[blocks + b] ?? 0;
    }
  });
  return { blocks, combos: N, counts: blockBounds(length, blocks).map(({ start, end }) => end - start), sums, sumsq };
}
