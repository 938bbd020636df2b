/**
 * Small statistics shared by the validation tools: the engine's Sharpe and CAGR conventions on a
 * series of per-bar returns, the sample autocorrelation function and the type-7 quantile.
 */

/** Sharpe as the backtester computes it: mean / std (ddof 1) of per-bar returns × √ppy; 0 when std is 0. */
export function sharpeOf(r: ArrayLike<number>, ppy: number): number {
  const n = r.length;
  if (n < 2) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (r[i] as number) - mean;
    ss += d * d;
  }
  const sd = Math.sqrt(ss / (n - 1));
  return sd > 0 ? (mean / sd) * Math.sqrt(ppy) : 0;
}

/** CAGR as the backtester computes it: (∏(1 + r))^(ppy / n) − 1; −1 once equity reached 0. */
export function cagrOf(r: ArrayLike<number>, ppy: number): number {
  const n = r.length;
  if (n === 0) return 0;
  // Sum of log growth (not a running product) so long series neither overflow nor underflow.
  let lg = 0;
  for (let i = 0; i < n; i++) {
    const g = 1 + (r[i] as number);
    if (!(g > 0)) return -1;
    lg += Math.log(g);
  }
  return Math.exp((lg * ppy) / n) - 1;
}

/** Compounded total return ∏(1 + r) − 1. */
export function totalReturnOf(r: ArrayLike<number>): number {
  let lg = 0;
  for (let i = 0; i < r.length; i++) {
    const g = 1 + (r[i] as number);
    if (!(g > 0)) return -1;
    lg += Math.log(g);
  }
  return Math.expm1(lg);
}

export function meanOf(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] as number;
  return r.length > 0 ? s / r.length : 0;
}

/**
 * Sample autocorrelation ρ(k) for k = 0..maxLag, the standard (biased) estimator
 * ρ(k) = Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)² (as statsmodels' acf with adjusted=False).
 * Undefined (undefined returned) when the series is shorter than 2 or has zero variance.
 */
export function acf(x: ArrayLike<number>, maxLag: number): Float64Array | undefined {
  const n = x.length;
  if (n < 2) return undefined;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, x[i] as number);
    hi = Math.max(hi, x[i] as number);
  }
  // A constant series has no ACF (its computed mean may differ from the value by rounding: test exactly).
  if (!(hi > lo)) return undefined;
  const m = meanOf(x);
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    c0 += d * d;
  }
  if (!(c0 > 0) || !Number.isFinite(c0)) return undefined;
  const L = Math.min(maxLag, n - 1);
  const out = new Float64Array(L + 1);
  out[0] = 1;
  for (let k = 1; k <= L; k++) {
    let ck = 0;
    for (let t = 0; t + k < n; t++) ck += ((x[t] as number) - m) * ((x[t + k] as number) - m);
    out[k] = ck / c0;
  }
  return out;
}

/** Quantile of sorted values, linear interpolation between order statistics (type 7, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
