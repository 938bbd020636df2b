/**
 * Vector kernels of the expression language. Numbers are float64 (NaN = missing). The series
 * kernels (arith, negate, absolute, shiftSeries, rolling) are what the evaluator runs. Conditions
 * are evaluated as two 0/1 masks (masks.ts); the Kleene kernels here (0 false, 1 true, 2 unknown:
 * compare, logic, not, cross, shiftBool, between) state the three-valued semantics directly and
 * are the reference the mask kernels are tested against (masks.test.ts).
 */
import type { ArithOp, CmpOp } from './ir.js';

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;

export function arith(op: ArithOp, a: Float64Array, b: Float64Array, out: Float64Array): void {
  const n = out.length;
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number);
      return;
    case '-':
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number);
      return;
    case '*':
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
      return;
    case '/':
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number);
      return;
  }
}

export function scalarArith(op: ArithOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

export function negate(a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = -(a[i] as number);
}

export function absolute(a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(a[i] as number);
}

export function compare(op: CmpOp, a: Float64Array, b: Float64Array, out: Uint8Array): void {
  // One loop per operator (no switch per element). NaN on either side -> UNKNOWN: every
  // comparison with NaN is false in IEEE, so `x op y` is false and the NaN test decides.
  const n = out.length;
  switch (op) {
    case '<':
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x < y ? TRUE : x !== x || y !== y ? UNKNOWN : FALSE;
      }
      return;
    case '<=':
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x <= y ? TRUE : x !== x || y !== y ? UNKNOWN : FALSE;
      }
      return;
    case '>':
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x > y ? TRUE : x !== x || y !== y ? UNKNOWN : FALSE;
      }
      return;
    case '>=':
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x >= y ? TRUE : x !== x || y !== y ? UNKNOWN : FALSE;
      }
      return;
    case '==':
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x === y ? TRUE : x !== x || y !== y ? UNKNOWN : FALSE;
      }
      return;
    case '!=':
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x !== x || y !== y ? UNKNOWN : x !== y ? TRUE : FALSE;
      }
      return;
  }
}

/** Kleene and/or: false dominates `and`, true dominates `or`, otherwise unknown is contagious. */
export function logic(op: 'and' | 'or', a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  if (op === 'and') {
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      out[i] = x === FALSE || y === FALSE ? FALSE : x === UNKNOWN || y === UNKNOWN ? UNKNOWN : TRUE;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      out[i] = x === TRUE || y === TRUE ? TRUE : x === UNKNOWN || y === UNKNOWN ? UNKNOWN : FALSE;
    }
  }
}

export function not(a: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const x = a[i] as number;
    out[i] = x === UNKNOWN ? UNKNOWN : x === TRUE ? FALSE : TRUE;
  }
}

/** cross_above: a[t] > b[t] and a[t-1] <= b[t-1]; unknown at t = 0 or when any of the four is NaN. */
export function cross(above: boolean, a: Float64Array, b: Float64Array, out: Uint8Array): void {
  const n = out.length;
  if (n > 0) out[0] = UNKNOWN;
  for (let i = 1; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const px = a[i - 1] as number;
    const py = b[i - 1] as number;
    if (x !== x || y !== y || px !== px || py !== py) {
      out[i] = UNKNOWN;
    } else if (above) {
      out[i] = x > y && px <= py ? TRUE : FALSE;
    } else {
      out[i] = x < y && px >= py ? TRUE : FALSE;
    }
  }
}

export function shiftSeries(x: Float64Array, k: number, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = i < k ? NaN : (x[i - k] as number);
}

export function shiftBool(x: Uint8Array, k: number, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = i < k ? UNKNOWN : (x[i - k] as number);
}

/**
 * Rolling max (or min) over the last `w` bars including the current one; NaN until `w` bars are
 * available and while a NaN is inside the window. Among equal values (0 and -0 included) the
 * latest bar's value is returned. van Herk / Gil-Werman: per block of `w` bars a running max from
 * the block start (`pre`) and from the block end backwards (`suf`); a window ending at i is the
 * later part [block start, i] (pre[i]) and the earlier part [i-w+1, its block end]
 * (suf[i-w+1]). O(n) in three straight passes, no deque (whose pops are unpredictable
 * branches). NaN in a block only reaches windows that contain it, and those are NaN anyway.
 * `pre` and `suf` are scratch of length >= n.
 */
export function rolling(max: boolean, x: Float64Array, w: number, out: Float64Array, pre: Float64Array, suf: Float64Array): void {
  if (max) blocksMax(x, w, out.length, pre, suf);
  else blocksMin(x, w, out.length, pre, suf);
  const n = out.length;
  let lastNaN = -1;
  const k = Math.min(w - 1, n);
  for (let i = 0; i < k; i++) {
    if ((x[i] as number) !== (x[i] as number)) lastNaN = i;
    out[i] = NaN;
  }
  for (let i = k; i < n; i++) {
    const v = x[i] as number;
    if (v !== v) lastNaN = i;
    const p = pre[i] as number;
    const q = suf[i - w + 1] as number;
    // The later part wins ties.
    out[i] = lastNaN > i - w ? NaN : max ? (p >= q ? p : q) : p <= q ? p : q;
  }
}

// Two copies (max/min) so the comparison is not a per-element branch on `max`.
function blocksMax(x: Float64Array, w: number, n: number, pre: Float64Array, suf: Float64Array): void {
  for (let b = 0; b < n; b += w) {
    const e = Math.min(b + w, n);
    let m = x[b] as number;
    pre[b] = m;
    for (let i = b + 1; i < e; i++) {
      const v = x[i] as number;
      m = v >= m ? v : m;
      pre[i] = m;
    }
    m = x[e - 1] as number;
    suf[e - 1] = m;
    for (let i = e - 2; i >= b; i--) {
      const v = x[i] as number;
      m = m >= v ? m : v;
      suf[i] = m;
    }
  }
}

function blocksMin(x: Float64Array, w: number, n: number, pre: Float64Array, suf: Float64Array): void {
  for (let b = 0; b < n; b += w) {
    const e = Math.min(b + w, n);
    let m = x[b] as number;
    pre[b] = m;
    for (let i = b + 1; i < e; i++) {
      const v = x[i] as number;
      m = v <= m ? v : m;
      pre[i] = m;
    }
    m = x[e - 1] as number;
    suf[e - 1] = m;
    for (let i = e - 2; i >= b; i--) {
      const v = x[i] as number;
      m = m <= v ? m : v;
      suf[i] = m;
    }
  }
}

export function between(x: Float64Array, lo: Float64Array, hi: Float64Array, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    const l = lo[i] as number;
    const h = hi[i] as number;
    out[i] = v !== v || l !== l || h !== h ? UNKNOWN : l <= v && v <= h ? TRUE : FALSE;
  }
}
