/**
 * Entry and exit rules over the same two series, evaluated in ONE pass.
 *
 * The commonest rule pairs compare the same two series: `cross_above(f, s)` / `cross_below(f, s)`,
 * `f > s` / `f < s`, or a mix (`f > s` / `cross_below(f, s)`). Evaluated one rule at a time, both
 * series are read twice; here they are read once and both signals written in the same loop (the
 * series are often far bigger than the caches: a sweep reads a different pair of indicator arrays
 * for every combination, so the reads are what costs).
 *
 * Each signal is described by the comparison `x op y` it tests, as three bits over the outcomes of
 * comparing two numbers (greater, less, equal): `>` = G, `>=` = G|E, `<` = L, `<=` = L|E, `==` = E,
 * `!=` = G|L. NaN on either side is none of the three, so the test is false and so is its
 * complement; that is exactly the T mask of masks.ts (1 where definitely true):
 *   cmp:   T[t] = up[t]
 *   cross: T[t] = up[t] & dn[t−1], dn = the outcomes not in `up` (both numbers, test false);
 *          bar 0 has no previous bar: 0.
 * cross_above(x, y) is up = G (dn = L|E), cross_below up = L (dn = G|E), the same as crossMask.
 */
import type { CmpOp } from './ir.js';
import { crossMask } from './masks.js';

const G = 1;
const L = 2;
const E = 4;
const OP_BITS: Readonly<Record<CmpOp, number>> = { '>': G, '>=': G | E, '<': L, '<=': L | E, '==': E, '!=': G | L };
/** The same test with its operands swapped: x op y = y swap(op) x. */
const SWAPPED: Readonly<Record<CmpOp, CmpOp>> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '==': '==', '!=': '!=' };

/** One signal of a pair: a comparison or a cross of two series (x, y). */
export interface PairRule {
  readonly cross: boolean;
  /** cmp: the operator; cross: '>' for cross_above, '<' for cross_below. */
  readonly op: CmpOp;
}

/** The same rule with x and y swapped (cross_above(x, y) = cross_below(y, x)). */
export function swapRule(r: PairRule): PairRule {
  return { cross: r.cross, op: SWAPPED[r.op] };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Both signals of (r1, r2) over the series x, y into out1, out2 (same length). Bit-identical to
 * evaluating each rule with cmpMask / crossMask (pos = true); a test checks it on series with
 * NaNs and ties for every operator and cross direction.
 */
export function pairMasks(r1: PairRule, r2: PairRule, x: Float64Array, y: Float64Array, out1: Uint8Array, out2: Uint8Array): void {
  if (r1.cross && r2.cross) {
    // cross_above / cross_below (the moving-average crossover): a dedicated loop.
    if (r1.op === r2.op) {
      crossMask(r1.op === '>', true, x, y, out1);
      out2.set(out1);
    } else if (r1.op === '>') crossPair(x, y, out1, out2);
    else crossPair(x, y, out2, out1);
    return;
  }
  const o1 = ORDER[r1.op];
  const o2 = ORDER[r2.op];
  if (!r1.cross && !r2.cross && o1 !== undefined && o2 !== undefined) {
    // Two orderings (`f > s` / `f < s`, ...): each signal is p > q or p >= q with (p, q) = (x, y)
    // or (y, x), two comparisons per bar.
    const [p1, q1] = o1.swap ? [y, x] : [x, y];
    const [p2, q2] = o2.swap ? [y, x] : [x, y];
    if (o1.strict && o2.strict) gtGt(p1, q1, p2, q2, out1, out2);
    else if (o1.strict) gtGe(p1, q1, p2, q2, out1, out2);
    else if (o2.strict) gtGe(p2, q2, p1, q1, out2, out1);
    else geGe(p1, q1, p2, q2, out1, out2);
    return;
  }
  bitPair(r1, r2, x, y, out1, out2);
}

/** x op y as p > q (strict) or p >= q, (p, q) = (y, x) when swapped; undefined for == and !=. */
const ORDER: Readonly<Record<CmpOp, { strict: boolean; swap: boolean } | undefined>> = {
  '>': { strict: true, swap: false },
  '>=': { strict: false, swap: false },
  '<': { strict: true, swap: true },
  '<=': { strict: false, swap: true },
  '==': undefined,
  '!=': undefined,
};

function aligned(a: Uint8Array, b: Uint8Array): boolean {
  return LITTLE_ENDIAN && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
}

/** out1 = p1 > q1, out2 = p2 > q2 (0 on NaN), four bars per word. */
function gtGt(p1: Float64Array, q1: Float64Array, p2: Float64Array, q2: Float64Array, out1: Uint8Array, out2: Uint8Array): void {
  const n = out1.length;
  let i = 0;
  if (aligned(out1, out2)) {
    const w1 = new Int32Array(out1.buffer, out1.byteOffset, n >> 2);
    const w2 = new Int32Array(out2.buffer, out2.byteOffset, n >> 2);
    const m = w1.length;
    for (let j = 0; j < m; j++, i += 4) {
      w1[j] = +((p1[i] as number) > (q1[i] as number)) | (+((p1[i + 1] as number) > (q1[i + 1] as number)) << 8) | (+((p1[i + 2] as number) > (q1[i + 2] as number)) << 16) | (+((p1[i + 3] as number) > (q1[i + 3] as number)) << 24);
      w2[j] = +((p2[i] as number) > (q2[i] as number)) | (+((p2[i + 1] as number) > (q2[i + 1] as number)) << 8) | (+((p2[i + 2] as number) > (q2[i + 2] as number)) << 16) | (+((p2[i + 3] as number) > (q2[i + 3] as number)) << 24);
    }
  }
  for (; i < n; i++) {
    out1[i] = +((p1[i] as number) > (q1[i] as number));
    out2[i] = +((p2[i] as number) > (q2[i] as number));
  }
}

/** out1 = p1 > q1, out2 = p2 >= q2. */
function gtGe(p1: Float64Array, q1: Float64Array, p2: Float64Array, q2: Float64Array, out1: Uint8Array, out2: Uint8Array): void {
  const n = out1.length;
  let i = 0;
  if (aligned(out1, out2)) {
    const w1 = new Int32Array(out1.buffer, out1.byteOffset, n >> 2);
    const w2 = new Int32Array(out2.buffer, out2.byteOffset, n >> 2);
    const m = w1.length;
    for (let j = 0; j < m; j++, i += 4) {
      w1[j] = +((p1[i] as number) > (q1[i] as number)) | (+((p1[i + 1] as number) > (q1[i + 1] as number)) << 8) | (+((p1[i + 2] as number) > (q1[i + 2] as number)) << 16) | (+((p1[i + 3] as number) > (q1[i + 3] as number)) << 24);
      w2[j] = +((p2[i] as number) >= (q2[i] as number)) | (+((p2[i + 1] as number) >= (q2[i + 1] as number)) << 8) | (+((p2[i + 2] as number) >= (q2[i + 2] as number)) << 16) | (+((p2[i + 3] as number) >= (q2[i + 3] as number)) << 24);
    }
  }
  for (; i < n; i++) {
    out1[i] = +((p1[i] as number) > (q1[i] as number));
    out2[i] = +((p2[i] as number) >= (q2[i] as number));
  }
}

/** out1 = p1 >= q1, out2 = p2 >= q2. */
function geGe(p1: Float64Array, q1: Float64Array, p2: Float64Array, q2: Float64Array, out1: Uint8Array, out2: Uint8Array): void {
  const n = out1.length;
  let i = 0;
  if (aligned(out1, out2)) {
    const w1 = new Int32Array(out1.buffer, out1.byteOffset, n >> 2);
    const w2 = new Int32Array(out2.buffer, out2.byteOffset, n >> 2);
    const m = w1.length;
    for (let j = 0; j < m; j++, i += 4) {
      w1[j] = +((p1[i] as number) >= (q1[i] as number)) | (+((p1[i + 1] as number) >= (q1[i + 1] as number)) << 8) | (+((p1[i + 2] as number) >= (q1[i + 2] as number)) << 16) | (+((p1[i + 3] as number) >= (q1[i + 3] as number)) << 24);
      w2[j] = +((p2[i] as number) >= (q2[i] as number)) | (+((p2[i + 1] as number) >= (q2[i + 1] as number)) << 8) | (+((p2[i + 2] as number) >= (q2[i + 2] as number)) << 16) | (+((p2[i + 3] as number) >= (q2[i + 3] as number)) << 24);
    }
  }
  for (; i < n; i++) {
    out1[i] = +((p1[i] as number) >= (q1[i] as number));
    out2[i] = +((p2[i] as number) >= (q2[i] as number));
  }
}

/** Any two rules of a pair, through the outcome bits (G, L, E) of each bar's comparison. */
function bitPair(r1: PairRule, r2: PairRule, x: Float64Array, y: Float64Array, out1: Uint8Array, out2: Uint8Array): void {
  const n = out1.length;
  const u1 = OP_BITS[r1.op];
  const u2 = OP_BITS[r2.op];
  // up bits as 0/1 ints (loop invariants), and whether the previous bar matters.
  const g1 = u1 & 1, l1 = (u1 >> 1) & 1, e1 = (u1 >> 2) & 1;
  const g2 = u2 & 1, l2 = (u2 >> 1) & 1, e2 = (u2 >> 2) & 1;
  // For a plain comparison, "previous bar was dn" is replaced by a constant 1.
  const always1 = r1.cross ? 0 : 1;
  const always2 = r2.cross ? 0 : 1;
  let pd1 = always1;
  let pd2 = always2;
  let i = 0;
  if (LITTLE_ENDIAN && out1.byteOffset % 4 === 0 && out2.byteOffset % 4 === 0) {
    const w1 = new Int32Array(out1.buffer, out1.byteOffset, n >> 2);
    const w2 = new Int32Array(out2.buffer, out2.byteOffset, n >> 2);
    const m = w1.length;
    // Four bars per word, unrolled by hand (TurboFan does not unroll the inner loop).
    for (let j = 0; j < m; j++, i += 4) {
      const a0 = x[i] as number, b0 = y[i] as number, a1 = x[i + 1] as number, b1 = y[i + 1] as number;
      const a2 = x[i + 2] as number, b2 = y[i + 2] as number, a3 = x[i + 3] as number, b3 = y[i + 3] as number;
      const gt0 = +(a0 > b0), lt0 = +(a0 < b0), eq0 = +(a0 === b0);
      const gt1 = +(a1 > b1), lt1 = +(a1 < b1), eq1 = +(a1 === b1);
      const gt2 = +(a2 > b2), lt2 = +(a2 < b2), eq2 = +(a2 === b2);
      const gt3 = +(a3 > b3), lt3 = +(a3 < b3), eq3 = +(a3 === b3);
      const n0 = gt0 | lt0 | eq0, n1 = gt1 | lt1 | eq1, n2 = gt2 | lt2 | eq2, n3 = gt3 | lt3 | eq3;
      const p0 = (gt0 & g1) | (lt0 & l1) | (eq0 & e1), q0 = (gt0 & g2) | (lt0 & l2) | (eq0 & e2);
      const p1 = (gt1 & g1) | (lt1 & l1) | (eq1 & e1), q1 = (gt1 & g2) | (lt1 & l2) | (eq1 & e2);
      const p2 = (gt2 & g1) | (lt2 & l1) | (eq2 & e1), q2 = (gt2 & g2) | (lt2 & l2) | (eq2 & e2);
      const p3 = (gt3 & g1) | (lt3 & l1) | (eq3 & e1), q3 = (gt3 & g2) | (lt3 & l2) | (eq3 & e2);
      // dn of bar k (a number comparison whose test is false), or 1 for a plain comparison.
      const d10 = (n0 & (p0 ^ 1)) | always1, d11 = (n1 & (p1 ^ 1)) | always1, d12 = (n2 & (p2 ^ 1)) | always1;
      const d20 = (n0 & (q0 ^ 1)) | always2, d21 = (n1 & (q1 ^ 1)) | always2, d22 = (n2 & (q2 ^ 1)) | always2;
      w1[j] = (p0 & pd1) | ((p1 & d10) << 8) | ((p2 & d11) << 16) | ((p3 & d12) << 24);
      w2[j] = (q0 & pd2) | ((q1 & d20) << 8) | ((q2 & d21) << 16) | ((q3 & d22) << 24);
      pd1 = (n3 & (p3 ^ 1)) | always1;
      pd2 = (n3 & (q3 ^ 1)) | always2;
    }
  }
  for (; i < n; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    const gt = +(a > b);
    const lt = +(a < b);
    const eq = +(a === b);
    const up1 = (gt & g1) | (lt & l1) | (eq & e1);
    const up2 = (gt & g2) | (lt & l2) | (eq & e2);
    out1[i] = up1 & pd1;
    out2[i] = up2 & pd2;
    pd1 = ((gt | lt | eq) & (up1 ^ 1)) | always1;
    pd2 = ((gt | lt | eq) & (up2 ^ 1)) | always2;
  }
}

/**
 * above = cross_above(x, y), below = cross_below(x, y) in one pass: with gt = x > y, le = x <= y,
 * lt = x < y, ge = x >= y (all 0 on NaN), above[t] = gt[t] & le[t−1] and below[t] = lt[t] & ge[t−1],
 * the formulas of crossMask; bar 0 is 0 in both.
 *
 * Classify each bar as GT, LT, EQ or NaN (x or y NaN): above[t] is "GT now, LT or EQ before",
 * below[t] "LT now, GT or EQ before", so a signal needs a change of class, and classes come in
 * runs (a moving-average pair stays on one side for many bars). The masks are cleared, then each
 * run of GT or LT is skipped by a tight loop (two loads and one well-predicted compare per bar)
 * and only the bars where the class changes are classified and written: crosses are rare, so the
 * masks get a few writes instead of one per bar (measured: ~5 → ~2.2 ns per bar at 100k bars).
 */
function crossPair(x: Float64Array, y: Float64Array, above: Uint8Array, below: Uint8Array): void {
  const n = above.length;
  above.fill(0);
  below.fill(0);
  // Classes: 0 NaN, 1 GT, 2 LT, 3 EQ. Bar 0 has no previous bar: "previous" starts as NaN.
  let prev = 0;
  let i = 0;
  while (i < n) {
    const a = x[i] as number;
    const b = y[i] as number;
    const cls = a > b ? 1 : a < b ? 2 : a === b ? 3 : 0;
    if (cls === 1) {
      if (prev === 2 || prev === 3) above[i] = 1;
      i++;
      // Four bars per test while the run lasts (fewer loop branches), then bar by bar.
      while (i + 4 <= n && (x[i] as number) > (y[i] as number) && (x[i + 1] as number) > (y[i + 1] as number) && (x[i + 2] as number) > (y[i + 2] as number) && (x[i + 3] as number) > (y[i + 3] as number)) i += 4;
      while (i < n && (x[i] as number) > (y[i] as number)) i++;
    } else if (cls === 2) {
      if (prev === 1 || prev === 3) below[i] = 1;
      i++;
      while (i + 4 <= n && (x[i] as number) < (y[i] as number) && (x[i + 1] as number) < (y[i + 1] as number) && (x[i + 2] as number) < (y[i + 2] as number) && (x[i + 3] as number) < (y[i + 3] as number)) i += 4;
      while (i < n && (x[i] as number) < (y[i] as number)) i++;
    } else i++;
    prev = cls;
  }
}
