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
 * mean / std, and 0 when std is 0 (a combination that never trades in those blocks). Only the
 * order of Sharpe ratios within a split matters, so the code ranks by a square-root-free key with
 * the same order (see `pboWalk`).
 */
import { setImmediate } from 'node:timers/promises';
import { cscvKernels, type CscvKernels, type KernelKind } from './pbo-kernels.js';

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

/** Lexicographic rank of a k-subset (sorted ascending) of {0..n-1} among all k-subsets. */
function lexRank(subset: readonly number[], n: number): number {
  let rank = 0;
  let prev = -1;
  const k = subset.length;
  subset.forEach((x, i) => {
    for (let v = prev + 1; v < x; v++) rank += binom(n - v - 1, k - i - 1);
    prev = x;
  });
  return rank;
}

function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** λ = ln(ω̄ / (1 − ω̄)) from a mid-rank count: ω̄ = (1 + worse + ½ equal) / (N + 1). */
function logit(worse: number, equal: number, N: number): number {
  const w = (1 + worse + 0.5 * equal) / (N + 1);
  return Math.log(w / (1 - w));
}

/**
 * Every split J and its complement J̄ are both splits, with the roles of IS and OOS swapped, so
 * the sets containing block 0 are enumerated (half of them) and each gives two splits. In-sample
 * sums are built by a depth-first walk that adds one block per level (partial sums shared by
 * every set with the same prefix; the last block is added inside the visit); out-of-sample sums
 * are the totals minus them. `allowed` restricts the walk to sets whose first `PREFIX_DEPTH`
 * blocks form one of the given prefixes (`"0,1,2"`), so several threads (or event-loop slices)
 * can share the work; λ is written at the split's lexicographic index in `logits` (untouched
 * elsewhere). Each λ is the same whoever computes it.
 *
 * Each visit takes two passes over the N combinations (pbo-kernels.ts): the first computes the
 * rank keys of both sides and both argmaxes (first index of the strict maximum, as a
 * left-to-right scan with `>` from −∞ gives), the second counts, for both sides at once, the
 * keys below and equal to the winner's out-of-sample key. The rank key has the same order as the
 * Sharpe ratio among series of the same length n (all combinations of a split share n): Sharpe =
 * mean/std with std² = (q − s²/n)/(n − 1), and x ↦ x·|x| is increasing, so
 * Sharpe·|Sharpe|·n/(n − 1) = s·|s| / (n·q − s²) orders like the Sharpe ratio without a square
 * root; 0 when the variance is not positive (Sharpe 0) or n < 2. Every key, count and λ is the
 * same as computing them one split and one pass at a time (mid-rank: `equal` excludes the winner
 * itself, which is equal to itself unless its key is NaN).
 */
function pboWalk(k: CscvKernels, S: number, logits: Float64Array, allowed?: ReadonlySet<string>): void {
  new CscvWalk(k, S, logits, allowed).walk(0, 0);
}

/** `walk` over the kernels for `st`, released afterwards whatever happens. */
function withKernels<T>(st: BlockStats, kind: KernelKind, walk: (k: CscvKernels) => T): T {
  const k = cscvKernels(st, kind);
  try {
    return walk(k);
  } finally {
    k.release();
  }
}

/**
 * The walk's state as an object with methods rather than closures over pboWalk's locals: V8
 * specializes optimized code on the context of a closure created once, and the next PBO's new
 * closures made it throw that code away and compile the walk again (~100 ms each for the walk and
 * the visit, per thread, per sweep).
 */
class CscvWalk {
  private readonly half: number;
  private readonly depth: number;
  private readonly chosen: number[] = [];

  constructor(private readonly k: CscvKernels, private readonly S: number, private readonly logits: Float64Array, private readonly allowed: ReadonlySet<string> | undefined) {
    this.half = S / 2;
    this.depth = prefixDepth(S);
  }

  visit(nIn: number): void {
    const { k, chosen, half, S } = this;
    const counts = k.counts;
    // In-sample sums: level S/2 − 2 plus the last two blocks (S = 2: level 0 plus the only block).
    if (half >= 2) k.keys(half - 2, chosen[half - 2] as number, chosen[half - 1] as number, nIn, k.totalN - nIn);
    else k.keys(0, -1, chosen[0] as number, nIn, k.totalN - nIn);
    const vOut = k.kOut(k.best[0] as number);
    const vIn = k.kIn(k.best[1] as number);
    k.ranks(vIn, vOut);
    const complement: number[] = [];
    for (let x = 0; x < S; x++) if (!chosen.includes(x)) complement.push(x);
    this.logits[lexRank(chosen, S)] = logit(counts[0] as number, (counts[1] as number) - (vOut === vOut ? 1 : 0), k.N);
    this.logits[lexRank(complement, S)] = logit(counts[2] as number, (counts[3] as number) - (vIn === vIn ? 1 : 0), k.N);
  }

  walk(start: number, nIn: number): void {
    const { k, chosen, half, S, depth, allowed } = this;
    const blockN = k.blockCounts;
    const d = chosen.length;
    if (d === depth && allowed !== undefined && !allowed.has(chosen.join(','))) return;
    for (let b = start; b <= S - (half - d); b++) {
      if (d === 0 && b > 0) break; // sets containing block 0 only
      chosen.push(b);
      if (d === half - 1) {
        // The last block: added inside the visit.
        if (!(d + 1 === depth && allowed !== undefined && !allowed.has(chosen.join(',')))) this.visit(nIn + (blockN[b] ?? 0));
      } else {
        if (d < half - 2) k.add(d, b); // the level above the leaf is added inside the visit
        this.walk(b + 1, nIn + (blockN[b] ?? 0));
      }
      chosen.pop();
    }
  }
}

function prefixDepth(S: number): number {
  return Math.min(3, S / 2);
}

/**
 * The prefixes (first blocks of the sets containing block 0) split into `parts` groups of about
 * equal work (sets per prefix), largest first into the least loaded group: deterministic.
 */
export function pboWorkParts(S: number, parts: number): string[][] {
  const half = S / 2;
  const depth = prefixDepth(S);
  const prefixes: { key: string; size: number }[] = [];
  const rec = (cur: number[], start: number): void => {
    if (cur.length === depth) {
      const last = cur[cur.length - 1] ?? 0;
      prefixes.push({ key: cur.join(','), size: binom(S - last - 1, half - depth) });
      return;
    }
    for (let b = start; b <= S - (half - cur.length); b++) {
      if (cur.length === 0 && b > 0) break;
      rec([...cur, b], b + 1);
    }
  };
  rec([], 0);
  prefixes.sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : 1));
  const groups = Array.from({ length: Math.max(1, parts) }, () => ({ keys: [] as string[], load: 0 }));
  for (const p of prefixes) {
    let best = groups[0] as { keys: string[]; load: number };
    for (const g of groups) if (g.load < best.load) best = g;
    best.keys.push(p.key);
    best.load += p.size;
  }
  return groups.map((g) => g.keys).filter((k) => k.length > 0);
}

/** Every walk prefix (the first blocks of the sets containing block 0), in walk order. */
export function pboPrefixes(S: number): string[] {
  const half = S / 2;
  const depth = prefixDepth(S);
  const out: string[] = [];
  const rec = (cur: number[], start: number): void => {
    if (cur.length === depth) {
      out.push(cur.join(','));
      return;
    }
    for (let b = start; b <= S - (half - cur.length); b++) {
      if (cur.length === 0 && b > 0) break;
      rec([...cur, b], b + 1);
    }
  };
  rec([], 0);
  return out;
}

/** λ for the splits under the given prefixes (NaN elsewhere): one share of a parallel PBO. */
export function pboLogitsPart(st: BlockStats, prefixes: readonly string[]): Float64Array {
  const logits = new Float64Array(binom(st.blocks, st.blocks / 2)).fill(Number.NaN);
  withKernels(st, 'wasm', (k) => pboWalk(k, st.blocks, logits, new Set(prefixes)));
  return logits;
}

/** The PBO result from every split's λ. */
export function pboFromLogits(st: BlockStats, logits: Float64Array): PboResult {
  const nSplits = logits.length;
  let below = 0;
  for (const l of logits) if (l <= 0) below++;
  // Numeric ascending order (the native typed-array sort; λ is finite, never NaN or −0).
  const sorted = Float64Array.from(logits).sort();
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(mid)] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    pbo: below / nSplits,
    blocks: st.blocks,
    combos: st.combos,
    splits: nSplits,
    block_counts: st.counts.slice(),
    logits,
    logit_summary: { min: sorted[0] ?? Number.NaN, median, mean: sumOf(sorted) / sorted.length, max: sorted[sorted.length - 1] ?? Number.NaN },
  };
}

/** Σ in index order. */
function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s;
}

/** `kernels`: 'wasm' (WebAssembly SIMD, the default; JS when unavailable) or 'js' (the reference loops): the same λ. */
export function probabilityOfBacktestOverfitting(st: BlockStats, kernels: KernelKind = 'wasm'): PboResult {
  const logits = new Float64Array(binom(st.blocks, st.blocks / 2));
  withKernels(st, kernels, (k) => pboWalk(k, st.blocks, logits));
  return pboFromLogits(st, logits);
}

/**
 * The same computation in slices, one prefix of the walk at a time, yielding to the event loop
 * when more than `sliceMs` passed, so progress callbacks and cancellation keep running while a
 * large sweep computes its PBO on the main thread.
 */
export async function probabilityOfBacktestOverfittingAsync(st: BlockStats, sliceMs = 50): Promise<PboResult> {
  const logits = new Float64Array(binom(st.blocks, st.blocks / 2));
  const k = cscvKernels(st);
  try {
    let t0 = performance.now();
    for (const prefix of pboPrefixes(st.blocks)) {
      pboWalk(k, st.blocks, logits, new Set([prefix]));
      if (performance.now() - t0 > sliceMs) {
        await setImmediate();
        t0 = performance.now();
      }
    }
  } finally {
    k.release();
  }
  return pboFromLogits(st, logits);
}
