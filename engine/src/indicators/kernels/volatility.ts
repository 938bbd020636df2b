/** Volatility kernels (true range, ATR, Bollinger Bands, Keltner channels) in TA-Lib's arithmetic order. */
import { emaInto, smaInto } from './ma.js';

/** True range of bar i (i ≥ 1): max(high−low, |high−prevClose|, |low−prevClose|), TA-Lib's comparison order. */
function trueRange(h: number, l: number, prevClose: number): number {
  let greatest = h - l;
  const v2 = Math.abs(prevClose - h);
  if (v2 > greatest) greatest = v2;
  const v3 = Math.abs(prevClose - l);
  if (v3 > greatest) greatest = v3;
  return greatest;
}

/**
 * Average true range (TA_ATR): first value = mean of TR[1..period] at bar `period`, then Wilder:
 * atr = (atr·(period−1) + TR)/period. period 1 is the true range itself (first valid bar 1).
 */
export function atrInto(high: Float64Array, low: Float64Array, close: Float64Array, period: number, out: Float64Array): void {
  const n = high.length;
  out.fill(NaN, 0, Math.min(period, n));
  if (n <= period) return;
  if (period === 1) {
    for (let i = 1; i < n; i++) out[i] = trueRange(high[i] as number, low[i] as number, close[i - 1] as number);
    return;
  }
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRange(high[i] as number, low[i] as number, close[i - 1] as number);
  let prev = sum / period;
  out[period] = prev;
  for (let i = period + 1; i < n; i++) {
    prev *= period - 1;
    prev += trueRange(high[i] as number, low[i] as number, close[i - 1] as number);
    prev /= period;
    out[i] = prev;
  }
}

/**
 * Rolling population variance exactly as TA-Lib 0.8.1's TA_VAR (which its STDDEV and BBANDS use):
 * running sums of d = x − K around a centre K (first the window's first value); per bar
 * var = s2/n − (s1/n)² with 1/n multiplied, not divided. The centre is re-taken as the window mean
 * and the sums recomputed when cancellation threatens (var < 1e-6·s2/n, or the leaving term
 * exceeds 1e6·s2) and every 32·period bars; a recomputed variance below 1e-12·s2/n is 0.
 * Writes var for bars ≥ period−1 into `out` (cells before are left alone).
 */
export function rollingVarianceInto(src: Float64Array, period: number, out: Float64Array): void {
  const n = src.length;
  if (n < period) return;
  const invP = 1.0 / period;
  let k = src[0] as number;
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < period - 1; j++) {
    const d = (src[j] as number) - k;
    s1 += d;
    s2 += d * d;
  }
  const resetEvery = 32 * period;
  let counter = resetEvery;
  for (let i = period - 1; i < n; i++) {
    const d = (src[i] as number) - k;
    s1 += d;
    s2 += d * d;
    const m1 = invP * s1;
    let variance = invP * s2 - m1 * m1;
    const ws = i - period + 1;
    let t = (src[ws] as number) - k;
    s2 -= t * t;
    let recentre = false;
    if (!(invP * s2 * 1e-6 <= variance)) recentre = true;
    else if (t * t > s2 * 1e6) recentre = true;
    else if (--counter === 0) recentre = true;
    if (recentre) {
      let sum = 0;
      for (let j = ws; j <= i; j++) sum += src[j] as number;
      k = sum * invP;
      s1 = 0;
      s2 = 0;
      for (let j = ws; j <= i; j++) {
        const e = (src[j] as number) - k;
        s1 += e;
        s2 += e * e;
      }
      const r1 = invP * s1;
      const r2 = invP * s2;
      variance = r2 - r1 * r1;
      if (variance < r2 * 1e-12) variance = 0;
      t = (src[ws] as number) - k;
      s1 -= t;
      s2 -= t * t;
      counter = resetEvery;
    } else {
      s1 -= t;
    }
    out[i] = variance;
  }
}

/**
 * Bollinger Bands (TA_BBANDS, SMA middle, nbdevup = nbdevdn = stddev): middle = SMA(period)
 * (TA-Lib running sum), σ = √(population variance, TA-Lib 0.8.1's re-centred rolling form),
 * upper/lower = middle ± stddev·σ. First valid bar: period−1. σ is written to `outLower`
 * first and overwritten (no scratch array).
 */
export function bbandsInto(src: Float64Array, period: number, stddev: number, outUpper: Float64Array, outMiddle: Float64Array, outLower: Float64Array): void {
  const n = src.length;
  const lb = period - 1;
  outUpper.fill(NaN, 0, Math.min(lb, n));
  outMiddle.fill(NaN, 0, Math.min(lb, n));
  outLower.fill(NaN, 0, Math.min(lb, n));
  if (n <= lb) return;
  smaInto(src, period, outMiddle);
  rollingVarianceInto(src, period, outLower);
  for (let i = lb; i < n; i++) {
    const sd = Math.sqrt(outLower[i] as number);
    const mid = outMiddle[i] as number;
    const w = stddev === 1 ? sd : sd * stddev;
    outUpper[i] = mid + w;
    outLower[i] = mid - w;
  }
}

/**
 * Keltner channels (not in TA-Lib; the common modern definition): middle = EMA(close, period)
 * (TA-Lib seeding), upper/lower = middle ± multiplier·ATR(atrPeriod) (TA-Lib ATR).
 * First valid bar: max(period−1, atrPeriod). `scratch` holds the ATR.
 */
export function keltnerInto(high: Float64Array, low: Float64Array, close: Float64Array, period: number, multiplier: number, atrPeriod: number, outUpper: Float64Array, outMiddle: Float64Array, outLower: Float64Array, scratch: Float64Array = new Float64Array(high.length)): void {
  const n = high.length;
  const lb = Math.max(period - 1, atrPeriod);
  emaInto(close, period, outMiddle);
  atrInto(high, low, close, atrPeriod, scratch);
  outUpper.fill(NaN, 0, Math.min(lb, n));
  outLower.fill(NaN, 0, Math.min(lb, n));
  outMiddle.fill(NaN, 0, Math.min(lb, n));
  for (let i = lb; i < n; i++) {
    const mid = outMiddle[i] as number;
    const w = multiplier * (scratch[i] as number);
    outUpper[i] = mid + w;
    outLower[i] = mid - w;
  }
}

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(high.length);
  atrInto(high, low, close, period, out);
  return out;
}
