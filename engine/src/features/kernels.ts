/** Feature kernels over precomputed indicator arrays: single pass, no allocation per bar. */

/** Writes NaN before `start`. */
function head(out: Float64Array, start: number): void {
  out.fill(NaN, 0, Math.min(start, out.length));
}

/**
 * Divergence between price and an oscillator. At bar t ≥ oscStart + window:
 * +1 if close[t] < min(close[t−window..t−1]) and osc[t] > min(osc[t−window..t−1]);
 * −1 if close[t] > max(close[t−window..t−1]) and osc[t] < max(osc[t−window..t−1]); else 0.
 * Each window extreme is tracked by index and rescanned only when its bar leaves the window.
 */
export function divergenceInto(close: Float64Array, osc: Float64Array, oscStart: number, window: number, out: Float64Array): void {
  const n = close.length;
  const start = oscStart + window;
  head(out, start);
  let cMinI = -1;
  let cMaxI = -1;
  let oMinI = -1;
  let oMaxI = -1;
  for (let t = start; t < n; t++) {
    const lo = t - window;
    const last = t - 1;
    cMinI = cMinI < lo ? argExtreme(close, lo, last, -1) : (close[last] as number) <= (close[cMinI] as number) ? last : cMinI;
    cMaxI = cMaxI < lo ? argExtreme(close, lo, last, 1) : (close[last] as number) >= (close[cMaxI] as number) ? last : cMaxI;
    oMinI = oMinI < lo ? argExtreme(osc, lo, last, -1) : (osc[last] as number) <= (osc[oMinI] as number) ? last : oMinI;
    oMaxI = oMaxI < lo ? argExtreme(osc, lo, last, 1) : (osc[last] as number) >= (osc[oMaxI] as number) ? last : oMaxI;
    const c = close[t] as number;
    const o = osc[t] as number;
    out[t] = c < (close[cMinI] as number) && o > (osc[oMinI] as number) ? 1 : c > (close[cMaxI] as number) && o < (osc[oMaxI] as number) ? -1 : 0;
  }
}

/** Index of the minimum (sign −1) or maximum (sign 1) of a[lo..hi], the latest on ties. */
function argExtreme(a: Float64Array, lo: number, hi: number, sign: number): number {
  let best = lo;
  for (let j = lo + 1; j <= hi; j++) {
    const v = a[j] as number;
    const b = a[best] as number;
    if (sign < 0 ? v <= b : v >= b) best = j;
  }
  return best;
}

/** +1 where a crosses above b (a[t] > b[t], a[t−1] <= b[t−1]), −1 where it crosses below, else 0; from bar start+1. */
export function crossSignalInto(a: Float64Array, b: Float64Array, start: number, out: Float64Array): void {
  const n = a.length;
  head(out, start + 1);
  for (let t = start + 1; t < n; t++) {
    const above = (a[t] as number) > (b[t] as number);
    const wasAbove = (a[t - 1] as number) > (b[t - 1] as number);
    const below = (a[t] as number) < (b[t] as number);
    const wasBelow = (a[t - 1] as number) < (b[t - 1] as number);
    out[t] = above && !wasAbove ? 1 : below && !wasBelow ? -1 : 0;
  }
}

/** adx/100 × sign(plus − minus), from bar start. */
export function trendStrengthInto(adx: Float64Array, plus: Float64Array, minus: Float64Array, start: number, out: Float64Array): void {
  const n = adx.length;
  head(out, start);
  for (let t = start; t < n; t++) {
    const d = (plus[t] as number) - (minus[t] as number);
    const s = d > 0 ? 1 : d < 0 ? -1 : 0;
    out[t] = s === 0 ? 0 : (s * (adx[t] as number)) / 100;
  }
}

/** 1 when bbUpper < kcUpper and bbLower > kcLower, else 0; from bar start. */
export function squeezeInto(bbUpper: Float64Array, bbLower: Float64Array, kcUpper: Float64Array, kcLower: Float64Array, start: number, out: Float64Array): void {
  const n = bbUpper.length;
  head(out, start);
  for (let t = start; t < n; t++) {
    out[t] = (bbUpper[t] as number) < (kcUpper[t] as number) && (bbLower[t] as number) > (kcLower[t] as number) ? 1 : 0;
  }
}

/** volume[t] / mean(volume[t−period..t−1]) from bar period; 0 when the mean is 0. Running sum (add newest, drop oldest). */
export function volumeSurgeInto(volume: Float64Array, period: number, out: Float64Array): void {
  const n = volume.length;
  head(out, period);
  if (n <= period) return;
  let sum = 0;
  for (let j = 0; j < period; j++) sum += volume[j] as number;
  for (let t = period; t < n; t++) {
    const mean = sum / period;
    const v = volume[t] as number;
    out[t] = mean > 0 ? v / mean : 0;
    sum += v;
    sum -= volume[t - period] as number;
  }
}

/** ((rsi − 50)/50 + (k − 50)/50 + tanh(roc/10)) / 3 from bar start. */
export function momentumCompositeInto(rsi: Float64Array, stochK: Float64Array, roc: Float64Array, start: number, out: Float64Array): void {
  const n = rsi.length;
  head(out, start);
  for (let t = start; t < n; t++) {
    const a = ((rsi[t] as number) - 50) / 50;
    const b = ((stochK[t] as number) - 50) / 50;
    const c = Math.tanh((roc[t] as number) / 10);
    out[t] = (a + b + c) / 3;
  }
}
