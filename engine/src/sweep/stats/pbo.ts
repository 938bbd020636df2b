/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV):
 * Bailey, Borwein, López de Prado & Zhu (2017), "The Probability of Backtest Overfitting",
 * J. Computational Finance 20(4).
 *
 * The per-bar return series of the N combinations are cut into S contiguous blocks (block b holds
 * returns [floor(b·L/S), floor((b+1)·L/S)) of L). For each of the C(S, S/2) ways to pick S/2
 * blocks as the in-sample set J (the rest, J̄, out of sample):
 *   n* = argmax over combinations of the in-sample Sharpe (lowest index on ties);
 *   ω̄  = rank of n*'s out-of-sample Sharpe among all N, divided by (N + 1), the rank counting
 *        1 + #(worse) + ½ #(equal, others) (mid-rank for ties);
 *   λ  = ln(ω̄ / (1 − ω̄)).
 * PBO = #(λ ≤ 0) / C(S, S/2).
 *
 * The sweep never holds a combinations × bars matrix: CSCV needs each combination's Sharpe over a
 * union of blocks only, and that follows from per-block sums Σr and Σr² (the block lengths are the
 * same for every combination): mean = Σr / n, var = (Σr² − n·mean²)/(n − 1) (ddof 1), Sharpe =
 * mean / std, and 0 when std is 0 (a combination that never trades in those blocks).
 */
export interface BlockStats {
  /** Number of blocks S (even, >= 2). */
  readonly blocks: number;
  /** Number of combinations N. */
  readonly combos: number;
  /** Returns per block, length S (the same for every combination). */
  readonly counts: readonly number[];
  /** Σr per (block, combination), block-major: index b·N + c. */
  readonly sums: Float64Array;
  /** Σr² per (block, combination), block-major. */
  readonly sumsq: Float64Array;
}

export interface PboResult {
  readonly pbo: number;
  readonly blocks: number;
  readonly combos: number;
  readonly splits: number;
  readonly block_counts: readonly number[];
  /** λ per split, in the lexicographic order of the in-sample block sets. */
  readonly logits: Float64Array;
  readonly logit_summary: { readonly min: number; readonly median: number; readonly mean: number; readonly max: number };
}

/** Block b spans returns [start, end) of L. */
export function blockBounds(length: number, blocks: number): { start: number; end: number }[] {
  return Array.from({ length: blocks }, (_, b) => ({ start: Math.floor((b * length) / blocks), end: Math.floor(((b + 1) * length) / blocks) }));
}

/** All k-subsets of {0..n-1} in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number): void => {
    if (cur.length === k) { out.push(cur.slice()); return; }
    for (let i = start; i <= n - (k - cur.length); i++) { cur.push(i); rec(i + 1); cur.pop(); }
  };
  rec(0);
  return out;
}

function sharpeFrom(n: number, s: number, q: number): number {
  if (n < 2) return 0;
  const mean = s / n;
  const v = (q - n * mean * mean) / (n - 1);
  return v > 0 ? mean / Math.sqrt(v) : 0;
}

export function probabilityOfBacktestOverfitting(st: BlockStats): PboResult {
  const S = st.blocks;
  const N = st.combos;
  const splits = combinations(S, S / 2);
  const logits = new Float64Array(splits.length);
  let totalN = 0;
  for (const c of st.counts) totalN += c;
  const totS = new Float64Array(N);
  const totQ = new Float64Array(N);
  for (let b = 0; b < S; b++) {
    const o = b * N;
    for (let c = 0; c < N; c++) { totS[c] = (totS[c] ?? 0) + (st.sums[o + c] ?? 0); totQ[c] = (totQ[c] ?? 0) + (st.sumsq[o + c] ?? 0); }
  }
  const isS = new Float64Array(N);
  const isQ = new Float64Array(N);
  let below = 0;
  splits.forEach((J, k) => {
    isS.fill(0);
    isQ.fill(0);
    let nIs = 0;
    for (const b of J) {
      nIs += st.counts[b] ?? 0;
      const o = b * N;
      for (let c = 0; c < N; c++) { isS[c] = (isS[c] ?? 0) + (st.sums[o + c] ?? 0); isQ[c] = (isQ[c] ?? 0) + (st.sumsq[o + c] ?? 0); }
    }
    const nOos = totalN - nIs;
    let best = 0;
    let bestSr = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < N; c++) {
      const sr = sharpeFrom(nIs, isS[c] ?? 0, isQ[c] ?? 0);
      if (sr > bestSr) { bestSr = sr; best = c; }
    }
    const oosBest = sharpeFrom(nOos, (totS[best] ?? 0) - (isS[best] ?? 0), (totQ[best] ?? 0) - (isQ[best] ?? 0));
    let worse = 0;
    let equal = 0;
    for (let c = 0; c < N; c++) {
      if (c === best) continue;
      const sr = sharpeFrom(nOos, (totS[c] ?? 0) - (isS[c] ?? 0), (totQ[c] ?? 0) - (isQ[c] ?? 0));
      if (sr < oosBest) worse++;
      else if (sr === oosBest) equal++;
    }
    const w = (1 + worse + 0.5 * equal) / (N + 1);
    const lambda = Math.log(w / (1 - w));
    logits[k] = lambda;
    if (lambda <= 0) below++;
  });
  const sorted = Array.from(logits).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(mid)] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    pbo: below / splits.length,
    blocks: S,
    combos: N,
    splits: splits.length,
    block_counts: st.counts.slice(),
    logits,
    logit_summary: { min: sorted[0] ?? Number.NaN, median, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, max: sorted[sorted.length - 1] ?? Number.NaN },
  };
}
