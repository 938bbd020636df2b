/** Volume kernels: OBV (TA_OBV) and intraday VWAP (not in TA-Lib). */

/**
 * On-balance volume (TA_OBV): starts at volume[0] on bar 0; then + volume when the close rises,
 * − volume when it falls, unchanged when equal. First valid bar: 0.
 */
export function obvInto(close: Float64Array, volume: Float64Array, out: Float64Array): void {
  const n = close.length;
  if (n === 0) return;
  let obv = volume[0] as number;
  let prev = close[0] as number;
  out[0] = obv;
  for (let i = 1; i < n; i++) {
    const c = close[i] as number;
    if (c > prev) obv += volume[i] as number;
    else if (c < prev) obv -= volume[i] as number;
    out[i] = obv;
    prev = c;
  }
}

const DAY_MS = 86_400_000;

/**
 * Intraday VWAP, reset at each UTC day: typical price tp = (high + low + close)/3;
 * vwap = Σ tp·volume / Σ volume over the bars of the bar's UTC day up to and including it.
 * While the day's cumulative volume is 0 (no volume yet, or a feed without volume) the value is
 * the running mean of tp over the day's bars (equal weights), so it is always defined. First valid bar: 0.
 */
export function vwapInto(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, ts: Float64Array, out: Float64Array): void {
  const n = high.length;
  let day = NaN;
  let pv = 0;
  let vol = 0;
  let tpSum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.floor((ts[i] as number) / DAY_MS);
    if (d !== day) {
      day = d;
      pv = 0;
      vol = 0;
      tpSum = 0;
      count = 0;
    }
    const tp = ((high[i] as number) + (low[i] as number) + (close[i] as number)) / 3;
    const v = volume[i] as number;
    pv += tp * v;
    vol += v;
    tpSum += tp;
    count++;
    out[i] = vol > 0 ? pv / vol : tpSum / count;
  }
}
