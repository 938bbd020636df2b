/**
 * Index generators for the permutation test and the bootstrap, all driven by the engine's seeded
 * RNG. Both work on circular blocks (index t wraps to t − n) so every observation is equally likely
 * to be drawn whatever its position.
 */
import type { Rng } from '../random/index.js';

/**
 * Block permutation: the series is cut into consecutive blocks of length b (the last one shorter
 * when b does not divide n), starting at a random circular offset, and the blocks are shuffled.
 * The result is a true permutation of 0..n−1 (each index exactly once), so the permuted series has
 * exactly the original values — only their order changes — while the order inside each block, and
 * so the autocorrelation up to lag b − 1, is kept. b = 1 is the plain permutation.
 */
export function blockPermutation(n: number, b: number, rng: Rng, out = new Int32Array(n)): Int32Array {
  const len = Math.max(1, Math.min(b, n));
  const offset = len > 1 && n > 0 ? rng.int(0, n - 1) : 0;
  const blocks = Math.ceil(n / len);
  const order = Array.from({ length: blocks }, (_, i) => i);
  rng.shuffle(order);
  let o = 0;
  for (const k of order) {
    const start = k * len;
    const end = Math.min(n, start + len);
    for (let t = start; t < end; t++) out[o++] = (t + offset) % n;
  }
  return out;
}

/**
 * Circular block bootstrap indices of length n: blocks start at a uniform random index, their
 * lengths are uniform in {b − jitter, …, b + jitter} clamped to [1, cap] (the jitter makes the
 * resampled series less sensitive to the exact b), and the last block is cut at n.
 * b = 1 with jitter 0 is the simple (iid) bootstrap.
 */
export function blockBootstrapIndices(n: number, b: number, jitter: number, cap: number, rng: Rng, out = new Int32Array(n)): Int32Array {
  let o = 0;
  while (o < n) {
    const len = Math.max(1, Math.min(cap, jitter > 0 ? rng.int(b - jitter, b + jitter) : b));
    const start = rng.int(0, n - 1);
    for (let j = 0; j < len && o < n; j++) out[o++] = (start + j) % n;
  }
  return out;
}
