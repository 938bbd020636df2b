/** Momentum kernels (RSI, MACD, ROC, stochastic) in TA-Lib's arithmetic order. */
import { smaInto } from './ma.js';
import { isZero } from './zero.js';

/**
 * RSI with Wilder smoothing (TA_RSI, default compatibility): the first average gain/loss is the
 * mean of the first `period` changes; then avg = (avg·(period−1) + x)/period. RSI = 100·gain/(gain+loss),
 * 0 when gain+loss is (TA-Lib-)zero. First valid bar: period.
 */
export function rsiInto(src: Float64Array, period: number, out: Float64Array): void {
  const n = src.length;
  out.fill(NaN, 0, Math.min(period, n));
  if (n <= period) return;
  let prevValue = src[0] as number;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const v = src[i] as number;
    const d = v - prevValue;
    prevValue = v;
    if (d < 0) loss -= d;
    else gain += d;
  }
  loss /= period;
  gain /= period;
  let s = gain + loss;
  out[period] = isZero(s) ? 0 : 100 * (gain / s);
  for (let i = period + 1; i < n; i++) {
    const v = src[i] as number;
    const d = v - prevValue;
    prevValue = v;
    loss *= period - 1;
    gain *= period - 1;
    if (d < 0) loss -= d;
    else gain += d;
    loss /= period;
    gain /= period;
    s = gain + loss;
    out[i] = isZero(s) ? 0 : 100 * (gain / s);
  }
}

/**
 * MACD (TA_MACD): fast and slow EMAs seeded with SMAs whose windows END on the same bar (slow−1),
 * so the MACD line starts at bar slow−1; the signal EMA is seeded with the mean of the first
 * `signal` MACD values. All three outputs start at bar (slow−1) + (signal−1). Requires fast < slow.
 */
export function macdInto(src: Float64Array, fast: number, slow: number, signal: number, outMacd: Float64Array, outSignal: Float64Array, outHist: Float64Array): void {
  const n = src.length;
  const lbSignal = signal - 1;
  const lb = slow - 1 + lbSignal;
  outMacd.fill(NaN, 0, Math.min(lb, n));
  outSignal.fill(NaN, 0, Math.min(lb, n));
  outHist.fill(NaN, 0, Math.min(lb, n));
  if (n <= lb) return;
  const fastK = 2 / (fast + 1);
  const slowK = 2 / (slow + 1);
  const signalK = 2 / (signal + 1);
  let today = 0;
  let slowSum = 0;
  for (let i = slow - fast; i > 0; i--) slowSum += src[today++] as number;
  let prevFast = 0;
  for (let i = fast; i > 0; i--) {
    const v = src[today++] as number;
    prevFast += v;
    slowSum += v;
  }
  let prevSlow = slowSum / slow;
  prevFast = prevFast / fast;
  // today == slow: the MACD line's first bar is slow−1.
  let macd = prevFast - prevSlow;
  let prevSignal = 0;
  prevSignal += macd;
  for (let i = signal - 1; i > 0; i--) {
    const v = src[today++] as number;
    prevFast = (v - prevFast) * fastK + prevFast;
    prevSlow = (v - prevSlow) * slowK + prevSlow;
    macd = prevFast - prevSlow;
    prevSignal += macd;
  }
  prevSignal = prevSignal / signal;
  outMacd[lb] = macd;
  outSignal[lb] = prevSignal;
  outHist[lb] = macd - prevSignal;
  for (let i = lb + 1; i < n; i++) {
    const v = src[i] as number;
    prevFast = (v - prevFast) * fastK + prevFast;
    prevSlow = (v - prevSlow) * slowK + prevSlow;
    macd = prevFast - prevSlow;
    prevSignal = (macd - prevSignal) * signalK + prevSignal;
    outMacd[i] = macd;
    outSignal[i] = prevSignal;
    outHist[i] = macd - prevSignal;
  }
}

/** Rate of change in percent (TA_ROC): ((x / x[−period]) − 1)·100, 0 when x[−period] is 0. First valid bar: period. */
export function rocInto(src: Float64Array, period: number, out: Float64Array): void {
  const n = src.length;
  out.fill(NaN, 0, Math.min(period, n));
  for (let i = period; i < n; i++) {
    const prev = src[i - period] as number;
    out[i] = prev !== 0 ? ((src[i] as number) / prev - 1) * 100 : 0;
  }
}

/**
 * Slow stochastic (TA_STOCH with SMA smoothing for both lines): fast %K = (close − LL)/((HH − LL)/100)
 * over `fastkPeriod` bars (0 when HH = LL), slow %K = SMA(fast %K, slowkPeriod), slow %D =
 * SMA(slow %K, slowdPeriod). First valid bar of both: (fastk−1)+(slowk−1)+(slowd−1).
 * `scratch` (length ≥ n) holds fast %K.
 */
export function stochInto(high: Float64Array, low: Float64Array, close: Float64Array, fastkPeriod: number, slowkPeriod: number, slowdPeriod: number, outK: Float64Array, outD: Float64Array, scratch: Float64Array = new Float64Array(high.length)): void {
  const n = high.length;
  const lbK = fastkPeriod - 1;
  const lb = lbK + slowkPeriod - 1 + slowdPeriod - 1;
  outK.fill(NaN, 0, Math.min(lb, n));
  outD.fill(NaN, 0, Math.min(lb, n));
  if (n <= lb) return;
  // Fast %K from bar lbK on, with TA-Lib's "rescan only when the extreme leaves the window" scheme.
  let lowestIdx = -1;
  let highestIdx = -1;
  let lowest = 0;
  let highest = 0;
  for (let today = lbK; today < n; today++) {
    const trailing = today - lbK;
    let tmp = low[today] as number;
    if (lowestIdx < trailing) {
      lowestIdx = trailing;
      lowest = low[lowestIdx] as number;
      for (let i = lowestIdx + 1; i <= today; i++) {
        tmp = low[i] as number;
        if (tmp < lowest) {
          lowestIdx = i;
          lowest = tmp;
        }
      }
    } else if (tmp <= lowest) {
      lowestIdx = today;
      lowest = tmp;
    }
    tmp = high[today] as number;
    if (highestIdx < trailing) {
      highestIdx = trailing;
      highest = high[highestIdx] as number;
      for (let i = highestIdx + 1; i <= today; i++) {
        tmp = high[i] as number;
        if (tmp > highest) {
          highestIdx = i;
          highest = tmp;
        }
      }
    } else if (tmp >= highest) {
      highestIdx = today;
      highest = tmp;
    }
    const diff = (highest - lowest) / 100;
    scratch[today] = diff !== 0 ? ((close[today] as number) - lowest) / diff : 0;
  }
  // Slow %K and %D: SMAs over the valid part only (so the running sums start where TA-Lib's do).
  const fastK = scratch.subarray(lbK, n);
  const slowK = outK.subarray(lbK, n);
  smaInto(fastK, slowkPeriod, slowK);
  const lbSlowK = lbK + slowkPeriod - 1;
  smaInto(outK.subarray(lbSlowK, n), slowdPeriod, outD.subarray(lbSlowK, n));
  // Both outputs start at lb (TA-Lib aligns %K to %D's first bar).
  outK.fill(NaN, 0, lb);
}

export function rsi(src: Float64Array, period: number): Float64Array {
  const out = new Float64Array(src.length);
  rsiInto(src, period, out);
  return out;
}

export function roc(src: Float64Array, period: number): Float64Array {
  const out = new Float64Array(src.length);
  rocInto(src, period, out);
  return out;
}
