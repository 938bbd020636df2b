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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The mask's bytes as int32 words (4 bars each, bar i in byte i % 4 of word i >> 2 on a
 * little-endian machine) when its offset allows, so kernels store 4 bars at once and bit logic
 * runs on 4 bars per operation; `undefined` when unaligned (byte loops then). Words cover the
 * first `n & ~3` bars; the kernels finish the last 0..3 bars byte by byte.
 */
function words(m: Uint8Array): Int32Array | undefined {
  return m.byteOffset % 4 === 0 ? new Int32Array(m.buffer, m.byteOffset, m.length >> 2) : undefined;
}

/** 1 where `a op b` holds with both sides numbers, else 0 (`!=` is 0 when either side is NaN). */
export function cmpMask(op: CmpOp, a: Float64Array, b: Float64Array, out: Uint8Array): void {
  const n = out.length;
  const w = LITTLE_ENDIAN ? words(out) : undefined;
  let i = 0;
  if (w !== undefined) {
    const m = w.length;
    switch (op) {
      case '<':
        for (let j = 0; j < m; j++, i += 4) w[j] = +((a[i] as number) < (b[i] as number)) | (+((a[i + 1] as number) < (b[i + 1] as number)) << 8) | (+((a[i + 2] as number) < (b[i + 2] as number)) << 16) | (+((a[i + 3] as number) < (b[i + 3] as number)) << 24);
        break;
      case '<=':
        for (let j = 0; j < m; j++, i += 4) w[j] = +((a[i] as number) <= (b[i] as number)) | (+((a[i + 1] as number) <= (b[i + 1] as number)) << 8) | (+((a[i + 2] as number) <= (b[i + 2] as number)) << 16) | (+((a[i + 3] as number) <= (b[i + 3] as number)) << 24);
        break;
      case '>':
        for (let j = 0; j < m; j++, i += 4) w[j] = +((a[i] as number) > (b[i] as number)) | (+((a[i + 1] as number) > (b[i + 1] as number)) << 8) | (+((a[i + 2] as number) > (b[i + 2] as number)) << 16) | (+((a[i + 3] as number) > (b[i + 3] as number)) << 24);
        break;
      case '>=':
        for (let j = 0; j < m; j++, i += 4) w[j] = +((a[i] as number) >= (b[i] as number)) | (+((a[i + 1] as number) >= (b[i + 1] as number)) << 8) | (+((a[i + 2] as number) >= (b[i + 2] as number)) << 16) | (+((a[i + 3] as number) >= (b[i + 3] as number)) << 24);
        break;
      case '==':
        for (let j = 0; j < m; j++, i += 4) w[j] = +((a[i] as number) === (b[i] as number)) | (+((a[i + 1] as number) === (b[i + 1] as number)) << 8) | (+((a[i + 2] as number) === (b[i + 2] as number)) << 16) | (+((a[i + 3] as number) === (b[i + 3] as number)) << 24);
        break;
      case '!=':
        // Left to the byte loop (two comparisons per bar).
        i = 0;
        break;
    }
  }
  switch (op) {
    case '<':
      for (; i < n; i++) out[i] = +((a[i] as number) < (b[i] as number));
      return;
    case '<=':
      for (; i < n; i++) out[i] = +((a[i] as number) <= (b[i] as number));
      return;
    case '>':
      for (; i < n; i++) out[i] = +((a[i] as number) > (b[i] as number));
      return;
    case '>=':
      for (; i < n; i++) out[i] = +((a[i] as number) >= (b[i] as number));
      return;
    case '==':
      for (; i < n; i++) out[i] = +((a[i] as number) === (b[i] as number));
      return;
    case '!=':
      // x < y or x > y: true exactly when both are numbers and differ (false on NaN).
      for (; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = +(x < y) | +(x > y);
      }
      return;
  }
}

/** Bitwise and/or of two 0/1 masks (4 bars per operation when all three are word-aligned). */
export function andMask(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  const wa = words(a);
  const wb = words(b);
  const wo = words(out);
  let i = 0;
  if (wa !== undefined && wb !== undefined && wo !== undefined) {
    const m = wo.length;
    for (let j = 0; j < m; j++) wo[j] = (wa[j] as number) & (wb[j] as number);
    i = m * 4;
  }
  for (; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
}

export function orMask(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  const wa = words(a);
  const wb = words(b);
  const wo = words(out);
  let i = 0;
  if (wa !== undefined && wb !== undefined && wo !== undefined) {
    const m = wo.length;
    for (let j = 0; j < m; j++) wo[j] = (wa[j] as number) | (wb[j] as number);
    i = m * 4;
  }
  for (; i < n; i++) out[i] = (a[i] as number) | (b[i] as number);
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
  // Bar 0 has no previous bar: starting with pUp = pDn = 0 gives 0 in both masks there.
  let i = 0;
  let pUp = 0;
  let pDn = 0;
  if (pos) {
    const w = LITTLE_ENDIAN ? words(out) : undefined;
    if (w !== undefined) {
      const m = w.length;
      if (above) {
        for (let j = 0; j < m; j++, i += 4) {
          const x0 = a[i] as number, y0 = b[i] as number, x1 = a[i + 1] as number, y1 = b[i + 1] as number;
          const x2 = a[i + 2] as number, y2 = b[i + 2] as number, x3 = a[i + 3] as number, y3 = b[i + 3] as number;
          const d0 = +(x0 <= y0), d1 = +(x1 <= y1), d2 = +(x2 <= y2);
          w[j] = (+(x0 > y0) & pDn) | ((+(x1 > y1) & d0) << 8) | ((+(x2 > y2) & d1) << 16) | ((+(x3 > y3) & d2) << 24);
          pDn = +(x3 <= y3);
        }
      } else {
        for (let j = 0; j < m; j++, i += 4) {
          const x0 = a[i] as number, y0 = b[i] as number, x1 = a[i + 1] as number, y1 = b[i + 1] as number;
          const x2 = a[i + 2] as number, y2 = b[i + 2] as number, x3 = a[i + 3] as number, y3 = b[i + 3] as number;
          const d0 = +(x0 >= y0), d1 = +(x1 >= y1), d2 = +(x2 >= y2);
          w[j] = (+(x0 < y0) & pDn) | ((+(x1 < y1) & d0) << 8) | ((+(x2 < y2) & d1) << 16) | ((+(x3 < y3) & d2) << 24);
          pDn = +(x3 >= y3);
        }
      }
    }
    if (above) {
      for (; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = +(x > y) & pDn;
        pDn = +(x <= y);
      }
    } else {
      for (; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = +(x < y) & pDn;
        pDn = +(x >= y);
      }
    }
  } else if (above) {
    for (; i < n; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      const up = +(x > y);
      const dn = +(x <= y);
      out[i] = (up | dn) & (pUp | pDn) & (dn | pUp);
      pUp = up;
      pDn = dn;
    }
  } else {
    for (; i < n; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
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
