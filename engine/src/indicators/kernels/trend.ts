/** Directional movement (TA_ADX, TA_PLUS_DI, TA_MINUS_DI) in one pass, TA-Lib's arithmetic order. */
import { isZero } from './zero.js';

/**
 * Wilder's DMI: +DM/−DM and TR summed over bars 1..period−1, then Wilder-smoothed
 * (x = x − x/period + today's value). +DI/−DI = 100·DM/TR from bar `period` (0 when TR is zero),
 * exactly TA_PLUS_DI/TA_MINUS_DI. DX = 100·|−DI − +DI|/(−DI + +DI); the first ADX is the mean of
 * the DX of bars period..2·period−1 (bar 2·period−1), then ADX = (ADX·(period−1) + DX)/period.
 * As in TA-Lib, a bar with zero TR or zero DI sum leaves the ADX unchanged.
 */
export function adxInto(high: Float64Array, low: Float64Array, close: Float64Array, period: number, outAdx: Float64Array, outPlusDi: Float64Array, outMinusDi: Float64Array): void {
  const n = high.length;
  const lbDi = period;
  const lbAdx = 2 * period - 1;
  outAdx.fill(NaN, 0, Math.min(lbAdx, n));
  outPlusDi.fill(NaN, 0, Math.min(lbDi, n));
  outMinusDi.fill(NaN, 0, Math.min(lbDi, n));
  if (n <= lbDi) return;
  let prevHigh = high[0] as number;
  let prevLow = low[0] as number;
  let prevClose = close[0] as number;
  let plusDM = 0;
  let minusDM = 0;
  let tr = 0;
  let today = 0;
  for (let i = period - 1; i > 0; i--) {
    today++;
    const h = high[today] as number;
    const diffP = h - prevHigh;
    prevHigh = h;
    const l = low[today] as number;
    const diffM = prevLow - l;
    prevLow = l;
    if (diffM > 0 && diffP < diffM) minusDM += diffM;
    else if (diffP > 0 && diffP > diffM) plusDM += diffP;
    let range = prevHigh - prevLow;
    let t = Math.abs(prevHigh - prevClose);
    if (t > range) range = t;
    t = Math.abs(prevLow - prevClose);
    if (t > range) range = t;
    tr += range;
    prevClose = close[today] as number;
  }
  let sumDX = 0;
  let adx = 0;
  while (today < n - 1) {
    today++;
    const h = high[today] as number;
    const diffP = h - prevHigh;
    prevHigh = h;
    const l = low[today] as number;
    const diffM = prevLow - l;
    prevLow = l;
    minusDM -= minusDM / period;
    plusDM -= plusDM / period;
    if (diffM > 0 && diffP < diffM) minusDM += diffM;
    else if (diffP > 0 && diffP > diffM) plusDM += diffP;
    let range = prevHigh - prevLow;
    let t = Math.abs(prevHigh - prevClose);
    if (t > range) range = t;
    t = Math.abs(prevLow - prevClose);
    if (t > range) range = t;
    tr = tr - tr / period + range;
    prevClose = close[today] as number;
    let dx = 0;
    let hasDx = false;
    if (!isZero(tr)) {
      const minusDI = 100 * (minusDM / tr);
      const plusDI = 100 * (plusDM / tr);
      outPlusDi[today] = plusDI;
      outMinusDi[today] = minusDI;
      const s = minusDI + plusDI;
      if (!isZero(s)) {
        dx = 100 * (Math.abs(minusDI - plusDI) / s);
        hasDx = true;
      }
    } else {
      outPlusDi[today] = 0;
      outMinusDi[today] = 0;
    }
    if (today < lbAdx) {
      if (hasDx) sumDX += dx;
    } else if (today === lbAdx) {
      if (hasDx) sumDX += dx;
      adx = sumDX / period;
      outAdx[today] = adx;
    } else {
      if (hasDx) adx = (adx * (period - 1) + dx) / period;
      outAdx[today] = adx;
    }
  }
}
