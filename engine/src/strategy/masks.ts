/**
 * Two-mask kernels: a condition is evaluated as 0/1 masks instead of a Kleene array. The T mask is
 * 1 where the condition is definitely true, the F mask 1 where it is definitely false; where
 * neither is 1 the condition is unknown (a NaN took part). The pair carries exactly the Kleene
 * value (TRUE = T, FALSE = F, UNKNOWN = neither), and Kleene logic becomes plain bit logic:
 *   T(a and b) = T(a) & T(b)    F(a and b) = F(a) | F(b)
 *   T(a or b)  = T(a) | T(b)    F(a or b)  = F(a) & F(b)
 *   T(not a)   = F(a)           F(not a)   = T(a)
 * A signal is the T mask of the rule, so only the polarities the tree needs are computed, and
 * every IEEE comparison with NaN being false gives "not definitely anything" for free (no NaN test
 * per bar, no branch per bar). kernels.ts holds the Kleene reference these are tested against.
 */
import type { CmpOp } from './ir.js';

/** The comparison that is definitely true exactly where `op` is definitely false (NaN: neither). */
export const NEGATED: Readonly<Record<CmpOp, CmpOp>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };

/** 1 where `a op b` holds with both sides numbers, else 0 (`!=` is 0 when either side is NaN). */
export function cmpMask(op: CmpOp, a: Float64Array, b: Float64Array, out: Uint8Array): void {
  const n = out.length;
  switch (op) {
    case '<':
      for (let i = 0; i < n; i++) out[i] = +((a[i] as number) < (b[i] as number));
      return;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = +((a[i] as number) <= (b[i] as number));
      return;
    case '>':
      for (let i = 0; i < n; i++) out[i] = +((a[i] as number) > (b[i] as number));
      return;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = +((a[i] as number) >= (b[i] as number));
      return;
    case '==':
      for (let i = 0; i < n; i++) out[i] = +((a[i] as number) === (b[i] as number));
      return;
    case '!=':
      // x < y or x > y: true exactly when both are numbers and differ (false on NaN).
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = +(x < y) | +(x > y);
      }
      return;
  }
}

/** Bitwise and/or of two 0/1 masks. */
export function andMask(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
}

export function orMask(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) | (b[i] as number);
}

/**
 * cross_above (a[t] > b[t] and a[t-1] <= b[t-1]) or cross_below (a[t] < b[t] and a[t-1] >= b[t-1]);
 * unknown at t = 0 or when any of the four values is NaN. One pass, the previous bar's comparison
 * carried in a register. `pos`: T mask, else F mask. With up = (x op y), dn = its IEEE complement
 * (x <= y for above), both 0 on NaN so up | dn = "both numbers":
 *   T = up[t] & dn[t-1]      F = (up|dn)[t] & (up|dn)[t-1] & (dn[t] | up[t-1])
 */
export function crossMask(above: boolean, pos: boolean, a: Float64Array, b: Float64Array, out: Uint8Array): void {
  const n = out.length;
  if (n === 0) return;
  out[0] = 0;
  let x = a[0] as number;
  let y = b[0] as number;
  let pUp = above ? +(x > y) : +(x < y);
  let pDn = above ? +(x <= y) : +(x >= y);
  if (above && pos) {
    for (let i = 1; i < n; i++) {
      x = a[i] as number;
      y = b[i] as number;
      out[i] = +(x > y) & pDn;
      pDn = +(x <= y);
    }
  } else if (!above && pos) {
    for (let i = 1; i < n; i++) {
      x = a[i] as number;
      y = b[i] as number;
      out[i] = +(x < y) & pDn;
      pDn = +(x >= y);
    }
  } else if (above) {
    for (let i = 1; i < n; i++) {
      x = a[i] as number;
      y = b[i] as number;
      const up = +(x > y);
      const dn = +(x <= y);
      out[i] = (up | dn) & (pUp | pDn) & (dn | pUp);
      pUp = up;
      pDn = dn;
    }
  } else {
    for (let i = 1; i < n; i++) {
      x = a[i] as number;
      y = b[i] as number;
      const up = +(x < y);
      const dn = +(x >= y);
      out[i] = (up | dn) & (pUp | pDn) & (dn | pUp);
      pUp = up;
      pDn = dn;
    }
  }
}

/** between(x, lo, hi) = lo <= x <= hi; unknown when any of the three is NaN. `pos`: T, else F. */
export function betweenMask(pos: boolean, x: Float64Array, lo: Float64Array, hi: Float64Array, out: Uint8Array): void {
  const n = out.length;
  if (pos) {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      out[i] = +((lo[i] as number) <= v) & +(v <= (hi[i] as number));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const l = lo[i] as number;
      const h = hi[i] as number;
      // Both below-lo and above-hi tests are false on NaN; the other bound must still be a number.
      out[i] = (+(v < l) & +(h === h)) | (+(v > h) & +(l === l));
    }
  }
}

/** A mask shifted k bars later; the first k bars are unknown (0 in either mask). */
export function shiftMask(x: Uint8Array, k: number, out: Uint8Array): void {
  const n = out.length;
  const m = Math.min(k, n);
  out.fill(0, 0, m);
  for (let i = m; i < n; i++) out[i] = x[i - k] as number;
}
