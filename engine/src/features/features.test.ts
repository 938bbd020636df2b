// Oracles: (1) hand-checked small examples for every feature kernel (computation in comments);
// (2) each registered feature recomputed on real data from the registered, TA-Lib-verified
// indicators through the public API, with the feature's documented formula written out here.
import { describe, expect, it } from 'vitest';
import { getFeature, getIndicator, listFeatures } from '../indicators/index.js';
import type { IndicatorDef } from '../indicators/types.js';
import { loadRealCsv } from '../indicators/oracle/harness.js';
import { crossSignalInto, divergenceInto, momentumCompositeInto, squeezeInto, trendStrengthInto, volumeSurgeInto } from './index.js';

const f = (xs: number[]): Float64Array => Float64Array.from(xs);
/** Bit-equality check without per-bar expect() overhead (45k-bar files). */
function same(got: number | undefined, want: number, bar: number): void {
  if (!Object.is(got, want)) throw new Error(`bar ${bar}: got ${got}, want ${want}`);
}
const arr = (a: Float64Array): number[] => Array.from(a);

function need(def: IndicatorDef | undefined): IndicatorDef {
  if (def === undefined) throw new Error('not registered');
  return def;
}

describe('hand-checked examples', () => {
  it('divergenceInto: bullish at a lower low with a higher oscillator low, bearish mirrored', () => {
    // window 2, oscillator valid from bar 0, so the first flag is at bar 2.
    // bar2: close 3 < min(5,4)=4 but osc 20 > min(50,30)=30 is false -> 0.
    // bar3: close 2.5 < min(4,3)=3 and osc 25 > min(30,20)=20 -> +1.
    // bar4: close 6 > max(3,2.5)=3 and osc 24 < max(20,25)=25 -> -1.
    // bar5: close 7 > max(2.5,6)=6 and osc 60 < max(25,24)=25 is false -> 0.
    const out = new Float64Array(6);
    divergenceInto(f([5, 4, 3, 2.5, 6, 7]), f([50, 30, 20, 25, 24, 60]), 0, 2, out);
    expect(arr(out)).toEqual([NaN, NaN, 0, 1, -1, 0]);
  });

  it('crossSignalInto: +1 on the bar a closes above b, -1 below, 0 while touching', () => {
    // bar1: 2 vs 2 (touch) -> 0; bar2: 3 > 2 after 2 <= 2 -> +1; bar3: touch -> 0; bar4: 1 < 2 after 2 >= 2 -> -1; bar5: still below -> 0.
    const out = new Float64Array(6);
    crossSignalInto(f([1, 2, 3, 2, 1, 0]), f([2, 2, 2, 2, 2, 2]), 0, out);
    expect(arr(out)).toEqual([NaN, 0, 1, 0, -1, 0]);
  });

  it('trendStrengthInto: ADX/100 signed by +DI − −DI', () => {
    // bar0: 40/100 with +DI 30 > −DI 10 -> 0.4; bar1: 25 with +DI 5 < −DI 20 -> −0.25; bar2: DIs equal -> 0.
    const out = new Float64Array(3);
    trendStrengthInto(f([40, 25, 50]), f([30, 5, 10]), f([10, 20, 10]), 0, out);
    expect(arr(out)).toEqual([0.4, -0.25, 0]);
  });

  it('squeezeInto: 1 only when both Bollinger bands are strictly inside Keltner', () => {
    // bar0: 10<12 and 8>6 -> 1; bar1: upper 13 > 12 -> 0; bar2: lower 6 = 6 (not strictly inside) -> 0.
    const out = new Float64Array(3);
    squeezeInto(f([10, 13, 10]), f([8, 8, 6]), f([12, 12, 12]), f([6, 6, 6]), 0, out);
    expect(arr(out)).toEqual([1, 0, 0]);
  });

  it('volumeSurgeInto: volume over the mean of the previous period bars, 0 on zero baseline', () => {
    // period 2. bar2: 30 / mean(10,10) = 3; bar3: 15 / mean(10,30) = 0.75; bar4: 0 / mean(30,15) = 0.
    const out = new Float64Array(5);
    volumeSurgeInto(f([10, 10, 30, 15, 0]), 2, out);
    expect(arr(out)).toEqual([NaN, NaN, 3, 0.75, 0]);
    const zero = new Float64Array(3);
    volumeSurgeInto(f([0, 0, 5]), 2, zero);
    expect(arr(zero)).toEqual([NaN, NaN, 0]);
  });

  it('momentumCompositeInto: mean of (rsi−50)/50, (k−50)/50, tanh(roc/10)', () => {
    // bar0: (70−50)/50 = 0.4, (80−50)/50 = 0.6, tanh(0) = 0 -> 1.0/3.
    // bar1: (50−50)/50 = 0, (50−50)/50 = 0, tanh(10/10) = tanh(1) -> tanh(1)/3.
    const out = new Float64Array(2);
    momentumCompositeInto(f([70, 50]), f([80, 50]), f([0, 10]), 0, out);
    expect(out[0]).toBeCloseTo(1 / 3, 15);
    expect(out[1]).toBeCloseTo(Math.tanh(1) / 3, 15);
  });
});

describe('registry', () => {
  it('exposes the six features through getFeature and keeps indicators out of it', () => {
    expect(listFeatures().map((d) => d.name)).toEqual(['rsi_divergence', 'macd_cross', 'trend_strength', 'bb_squeeze', 'volume_surge', 'momentum_composite']);
    expect(getFeature('bb_squeeze')?.kind).toBe('feature');
    expect(getFeature('sma')).toBeUndefined();
    expect(getIndicator('bb_squeeze')?.name).toBe('bb_squeeze');
    expect(need(getFeature('macd_cross')).columns({})).toEqual(['macd_cross_12_26_9']);
    expect(need(getFeature('bb_squeeze')).columns({})).toEqual(['bb_squeeze_20_2_1p5_20']);
  });
});

describe.each(['sp500_daily_1999_2018.csv', 'eurusd_h1_2017_2018.csv', 'btcperp_1m_2022_01.csv'])('features recomposed from indicators on %s', (file) => {
  const b = loadRealCsv(file);
  const ind = (name: string, params: Record<string, number>): readonly Float64Array[] => need(getIndicator(name)).compute(b, params);
  const feat = (name: string, params: Record<string, number> = {}): Float64Array => need(getFeature(name)).compute(b, params)[0] ?? new Float64Array(0);
  const n = b.length;
  const v = (a: readonly Float64Array[], k: number, i: number): number => a[k]?.[i] as number;

  it('rsi_divergence', () => {
    const rsi = ind('rsi', { period: 14 });
    const out = feat('rsi_divergence', { rsi_period: 14, window: 14 });
    let flags = 0;
    for (let t = 28; t < n; t++) {
      let cMin = Infinity;
      let cMax = -Infinity;
      let rMin = Infinity;
      let rMax = -Infinity;
      for (let j = t - 14; j < t; j++) {
        cMin = Math.min(cMin, b.close[j] as number);
        cMax = Math.max(cMax, b.close[j] as number);
        rMin = Math.min(rMin, v(rsi, 0, j));
        rMax = Math.max(rMax, v(rsi, 0, j));
      }
      const c = b.close[t] as number;
      const r = v(rsi, 0, t);
      const want = c < cMin && r > rMin ? 1 : c > cMax && r < rMax ? -1 : 0;
      same(out[t], want, t);
      if (want !== 0) flags++;
    }
    expect(flags).toBeGreaterThan(0);
    expect(out[27]).toBeNaN();
  });

  it('macd_cross', () => {
    const m = ind('macd', { fast: 12, slow: 26, signal: 9 });
    const out = feat('macd_cross');
    for (let t = 34; t < n; t++) {
      const up = v(m, 0, t) > v(m, 1, t) && !(v(m, 0, t - 1) > v(m, 1, t - 1));
      const down = v(m, 0, t) < v(m, 1, t) && !(v(m, 0, t - 1) < v(m, 1, t - 1));
      same(out[t], up ? 1 : down ? -1 : 0, t);
    }
    expect(out[33]).toBeNaN();
  });

  it('trend_strength', () => {
    const a = ind('adx', { period: 14 });
    const out = feat('trend_strength');
    for (let t = 27; t < n; t++) {
      const d = v(a, 1, t) - v(a, 2, t);
      same(out[t], d === 0 ? 0 : (Math.sign(d) * v(a, 0, t)) / 100, t);
    }
  });

  it('bb_squeeze', () => {
    const bb = ind('bbands', { period: 20, stddev: 2 });
    const kc = ind('keltner', { period: 20, multiplier: 1.5, atr_period: 20 });
    const out = feat('bb_squeeze');
    for (let t = 20; t < n; t++) same(out[t], v(bb, 0, t) < v(kc, 0, t) && v(bb, 2, t) > v(kc, 2, t) ? 1 : 0, t);
    expect(out[19]).toBeNaN();
  });

  it('volume_surge', () => {
    const out = feat('volume_surge', { period: 20 });
    for (let t = 20; t < n; t++) {
      let s = 0;
      for (let j = t - 20; j < t; j++) s += b.volume[j] as number;
      const want = s > 0 ? (b.volume[t] as number) / (s / 20) : 0;
      if (!(Math.abs((out[t] as number) - want) <= 1e-9 * Math.abs(want))) throw new Error(`bar ${t}: ${out[t]} vs ${want}`);
    }
  });

  it('momentum_composite', () => {
    const rsi = ind('rsi', { period: 14 });
    const roc = ind('roc', { period: 10 });
    const st = ind('stoch', { fastk_period: 14, slowk_period: 3, slowd_period: 3 });
    const out = feat('momentum_composite');
    for (let t = 17; t < n; t++) {
      const want = ((v(rsi, 0, t) - 50) / 50 + (v(st, 0, t) - 50) / 50 + Math.tanh(v(roc, 0, t) / 10)) / 3;
      same(out[t], want, t);
      if (Math.abs(out[t] as number) > 1) throw new Error(`bar ${t} outside -1..1`);
    }
  });
});
