/** Feature kernels over precomputed indicator arrays: single pass, no allocation per bar. */

/** Writes NaN before `start`. */
function head(out: Float64Array, start: number): void {
  out.fill(NaN, 0, Math.min(start, out.length));
}

/**
 * Divergence between price and an oscillator. At bar t ≥ oscStart + window:
 * +1 if close[t] < min(close[t−window..t−1]) and osc[t] > min(osc[t−window..t−1]);
 * −1 if close[t] > max(close[t−window..t−1]) and osc[t] < max(osc[t−window..t−1]); else 0.
 * (O(n·window): the previous-window extremes are rescanned per bar, no allocation.)
 */
export function divergenceInto(close: Float64Array, osc: Float64Array, oscStart: number, window: number, out: Float64Array): void {
  const n = close.length;
  const start = oscStart + window;
  head(out, start);
  for (let t = start; t < n; t++) {
    let cMin = Infinity;
    let cMax = -Infinity;
    let oMin = Infinity;
    let oMax = -Infinity;
    for (let j = t - window; j < t; j++) {
      const c = close[j] as number;
      const o = osc[j] as number;
      if (c < cMin) cMin = c;
      if (c > cMax) cMax = c;
      if (o < oMin) oMin = o;
      if (o > oMax) oMax = o;
    }
    const c = close[t] as number;
    const o = osc[t] as number;
    out[t] = c < cMin && o > oMin ? 1 : c > cMax && o < oMax ? -1 : 0;
  }
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
