/**
 * Probability calibration of raw scores (log-odds), as scikit-learn's CalibratedClassifierCV:
 * - sigmoid (Platt 1999): p = 1 / (1 + exp(a·s + b)), fitted by Newton's method on Platt's
 *   smoothed targets (N+ + 1)/(N+ + 2) and 1/(N− + 2);
 * - isotonic: pool-adjacent-violators on the scores (scores within 1e-15 of a group's first score
 *   merged first, their labels averaged, as scikit-learn's _make_unique), predictions by linear interpolation between the fitted points, clipped at the ends.
 */
import { trainError } from './errors.js';

export type Calibration =
  | { readonly kind: 'sigmoid'; readonly a: number; readonly b: number }
  | { readonly kind: 'isotonic'; readonly x: readonly number[]; readonly y: readonly number[] };

export type CalibrationKind = 'none' | 'sigmoid' | 'isotonic';

export function fitSigmoid(s: Float64Array, y: Uint8Array): Calibration {
  const n = s.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i] as number;
  const tHi = (pos + 1) / (pos + 2);
  const tLo = 1 / (n - pos + 2);
  let a = 0;
  let b = Math.log((n - pos + 1) / (pos + 1));
  const f = (aa: number, bb: number): number => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const z = aa * (s[i] as number) + bb; // p = σ(−z)
      const t = (y[i] as number) === 1 ? tHi : tLo;
      // −[t log σ(−z) + (1−t) log σ(z)] = t·softplus(z) + (1−t)·softplus(−z)
      const spz = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      l += t * spz + (1 - t) * (spz - z);
    }
    return l;
  };
  let fx = f(a, b);
  for (let it = 0; it < 200; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const si = s[i] as number;
      const z = a * si + b;
      const q = 1 / (1 + Math.exp(-z)); // σ(z) = 1 − p
      const t = (y[i] as number) === 1 ? tHi : tLo;
      const d = q - (1 - t);
      ga += d * si;
      gb += d;
      const w = q * (1 - q);
      haa += w * si * si;
      hab += w * si;
      hbb += w;
    }
    if (Math.max(Math.abs(ga), Math.abs(gb)) / n < 1e-12) break;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let moved = false;
    for (let ls = 0; ls < 40; ls++) {
      const fn = f(a - step * da, b - step * db);
      if (fn <= fx) {
        a -= step * da;
        b -= step * db;
        fx = fn;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  return { kind: 'sigmoid', a, b };
}

export function fitIsotonic(s: Float64Array, y: Uint8Array): Calibration {
  const order = Int32Array.from({ length: s.length }, (_, i) => i).sort((p, q) => (s[p] as number) - (s[q] as number) || p - q);
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const v = s[i] as number;
    if (xs.length > 0 && v - (xs[xs.length - 1] as number) < 1e-15) {
      const last = ys.length - 1;
      ys[last] = (ys[last] as number) + (y[i] as number);
      ws[last] = (ws[last] as number) + 1;
    } else {
      xs.push(v);
      ys.push(y[i] as number);
      ws.push(1);
    }
  }
  if (xs.length === 0) throw trainError('TRAIN_NO_DATA', 'isotonic calibration needs at least one score', {});
  // PAV over blocks of (sum y, weight).
  const bs: number[] = [];
  const bw: number[] = [];
  const bn: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    bs.push(ys[k] as number);
    bw.push(ws[k] as number);
    bn.push(1);
    while (bs.length > 1 && (bs[bs.length - 2] as number) / (bw[bw.length - 2] as number) >= (bs[bs.length - 1] as number) / (bw[bw.length - 1] as number)) {
      const s1 = bs.pop() as number;
      const w1 = bw.pop() as number;
      const n1 = bn.pop() as number;
      bs[bs.length - 1] = (bs[bs.length - 1] as number) + s1;
      bw[bw.length - 1] = (bw[bw.length - 1] as number) + w1;
      bn[bn.length - 1] = (bn[bn.length - 1] as number) + n1;
    }
  }
  const fitted: number[] = [];
  bs.forEach((sum, b) => {
    for (let q = 0; q < (bn[b] as number); q++) fitted.push(sum / (bw[b] as number));
  });
  return { kind: 'isotonic', x: xs, y: fitted };
}

/** Calibrated probability of each raw score. */
export function applyCalibration(c: Calibration, s: Float64Array): Float64Array {
  const out = new Float64Array(s.length);
  if (c.kind === 'sigmoid') {
    for (let i = 0; i < s.length; i++) out[i] = 1 / (1 + Math.exp(c.a * (s[i] as number) + c.b));
    return out;
  }
  const xs = c.x;
  const ys = c.y;
  const m = xs.length;
  for (let i = 0; i < s.length; i++) {
    const v = s[i] as number;
    if (m === 1 || v <= (xs[0] as number)) out[i] = ys[0] as number;
    else if (v >= (xs[m - 1] as number)) out[i] = ys[m - 1] as number;
    else {
      let lo = 0;
      let hi = m - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((xs[mid] as number) <= v) lo = mid;
        else hi = mid;
      }
      const x0 = xs[lo] as number;
      const x1 = xs[hi] as number;
      const y0 = ys[lo] as number;
      const y1 = ys[hi] as number;
      out[i] = y0 + ((v - x0) * (y1 - y0)) / (x1 - x0);
    }
  }
  return out;
}
