/**
 * Moving-average kernels, TA-Lib's arithmetic order (so results match TA-Lib bit for bit):
 * single pass over Float64Array, no allocation per bar. Each `…Into` writes every cell of `out`
 * (NaN before the first valid bar); the plain form allocates the output.
 */

/** Simple moving average, running sum as TA-Lib's INT_SMA (add newest, then drop oldest). First valid bar: period-1. */
export function smaInto(src: Float64Array, period: number, out: Float64Array): void {
  const n = src.length;
  const lb = period - 1;
  out.fill(NaN, 0, Math.min(lb, n));
  if (n <= lb) return;
  let total = 0;
  let i = 0;
  for (; i < lb; i++) total += src[i] as number;
  let trailing = 0;
  for (; i < n; i++) {
    total += src[i] as number;
    const value = total;
    total -= src[trailing++] as number;
    out[i] = value / period;
  }
}

/**
 * Exponential moving average with k = 2/(period+1), seeded with the SMA of the first `period`
 * values (TA-Lib's default compatibility). First valid bar: period-1.
 */
export function emaInto(src: Float64Array, period: number, out: Float64Array, k: number = 2 / (period + 1)): void {
  const n = src.length;
  const lb = period - 1;
  out.fill(NaN, 0, Math.min(lb, n));
  if (n <= lb) return;
  let sum = 0;
  for (let i = 0; i < period; i++) sum += src[i] as number;
  let prev = sum / period;
  out[lb] = prev;
  for (let i = period; i < n; i++) {
    prev = ((src[i] as number) - prev) * k + prev;
    out[i] = prev;
  }
}

/** Linearly weighted moving average (weights 1..period, newest heaviest), TA-Lib's running form. First valid bar: period-1. */
export function wmaInto(src: Float64Array, period: number, out: Float64Array): void {
  const n = src.length;
  const lb = period - 1;
  out.fill(NaN, 0, Math.min(lb, n));
  if (n <= lb) return;
  if (period === 1) {
    out.set(src);
    return;
  }
  const divider = (period * (period + 1)) >> 1;
  let periodSum = 0;
  let periodSub = 0;
  let i = 0;
  for (; i < lb; i++) {
    const v = src[i] as number;
    periodSub += v;
    periodSum += v * (i + 1);
  }
  let trailing = 0;
  let trailingValue = 0;
  for (; i < n; i++) {
    const v = src[i] as number;
    periodSub += v;
    periodSub -= trailingValue;
    periodSum += v * period;
    trailingValue = src[trailing++] as number;
    out[i] = periodSum / divider;
    periodSum -= periodSub;
  }
}

export function sma(src: Float64Array, period: number): Float64Array {
  const out = new Float64Array(src.length);
  smaInto(src, period, out);
  return out;
}

export function ema(src: Float64Array, period: number): Float64Array {
  const out = new Float64Array(src.length);
  emaInto(src, period, out);
  return out;
}

export function wma(src: Float64Array, period: number): Float64Array {
  const out = new Float64Array(src.length);
  wmaInto(src, period, out);
  return out;
}
