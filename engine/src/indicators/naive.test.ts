// Second oracle: textbook implementations written here as straight loops, sharing no code with
// the kernels. Keltner and VWAP are not in TA-Lib, so this file is their oracle. Tolerance as in
// talib.test.ts: |ours − naive| ≤ 1e-9·|naive| + 1e-12·max|naive| (the two sum in different orders).
import { describe, expect, it } from 'vitest';
import { getIndicator } from './index.js';
import type { IndicatorDef } from './types.js';
import { loadRealCsv, type TestBars } from './oracle/harness.js';

function def(name: string): IndicatorDef {
  const d = getIndicator(name);
  if (d === undefined) throw new Error(name);
  return d;
}

function expectClose(ours: Float64Array | undefined, naive: number[], label: string): void {
  if (ours === undefined) throw new Error(`${label}: missing output`);
  expect(ours.length).toBe(naive.length);
  let scale = 0;
  for (const v of naive) if (!Number.isNaN(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < naive.length; i++) {
    const a = ours[i] as number;
    const b = naive[i] as number;
    if (Number.isNaN(b) !== Number.isNaN(a)) throw new Error(`${label}[${i}]: ours ${a}, naive ${b}`);
    if (!Number.isNaN(b) && Math.abs(a - b) > 1e-9 * Math.abs(b) + 1e-12 * scale) throw new Error(`${label}[${i}]: ours ${a}, naive ${b}`);
  }
}

// ---- textbook implementations -------------------------------------------------------------
function naiveSma(x: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (i < n - 1) {
      out.push(NaN);
      continue;
    }
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += x[j] as number;
    out.push(s / n);
  }
  return out;
}

function naiveEma(x: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  const alpha = 2 / (n + 1);
  let prev = NaN;
  for (let i = 0; i < x.length; i++) {
    if (i < n - 1) out.push(NaN);
    else if (i === n - 1) {
      let s = 0;
      for (let j = 0; j < n; j++) s += x[j] as number;
      prev = s / n;
      out.push(prev);
    } else {
      prev = alpha * (x[i] as number) + (1 - alpha) * prev;
      out.push(prev);
    }
  }
  return out;
}

function naiveTrueRange(b: TestBars, i: number): number {
  const h = b.high[i] as number;
  const l = b.low[i] as number;
  const pc = b.close[i - 1] as number;
  return Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
}

function naiveAtr(b: TestBars, n: number): number[] {
  const out: number[] = [NaN];
  let atr = NaN;
  for (let i = 1; i < b.length; i++) {
    if (i < n) out.push(NaN);
    else if (i === n) {
      let s = 0;
      for (let j = 1; j <= n; j++) s += naiveTrueRange(b, j);
      atr = s / n;
      out.push(atr);
    } else {
      atr = (atr * (n - 1) + naiveTrueRange(b, i)) / n;
      out.push(atr);
    }
  }
  return out;
}

function naiveRsi(x: ArrayLike<number>, n: number): number[] {
  const out: number[] = [NaN];
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i < x.length; i++) {
    const change = (x[i] as number) - (x[i - 1] as number);
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    if (i <= n) {
      avgGain += gain / n;
      avgLoss += loss / n;
      if (i < n) {
        out.push(NaN);
        continue;
      }
    } else {
      avgGain = (avgGain * (n - 1) + gain) / n;
      avgLoss = (avgLoss * (n - 1) + loss) / n;
    }
    out.push(avgLoss === 0 ? (avgGain === 0 ? 0 : 100) : 100 - 100 / (1 + avgGain / avgLoss));
  }
  return out;
}

function naiveBollinger(x: ArrayLike<number>, n: number, k: number): [number[], number[], number[]] {
  const up: number[] = [];
  const mid: number[] = [];
  const lo: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (i < n - 1) {
      up.push(NaN);
      mid.push(NaN);
      lo.push(NaN);
      continue;
    }
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += x[j] as number;
    const m = s / n;
    let q = 0;
    for (let j = i - n + 1; j <= i; j++) q += ((x[j] as number) - m) ** 2;
    const sd = Math.sqrt(q / n); // population standard deviation
    up.push(m + k * sd);
    mid.push(m);
    lo.push(m - k * sd);
  }
  return [up, mid, lo];
}

function naiveObv(b: TestBars): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (i === 0) out.push(b.volume[0] as number);
    else {
      const c = b.close[i] as number;
      const pc = b.close[i - 1] as number;
      const prev = out[i - 1] as number;
      out.push(c > pc ? prev + (b.volume[i] as number) : c < pc ? prev - (b.volume[i] as number) : prev);
    }
  }
  return out;
}

/** VWAP with cumulative sums restarted whenever the UTC calendar date (ISO string) changes; typical price (H+L+C)/3. */
function naiveVwap(b: TestBars): number[] {
  const out: number[] = [];
  let day = '';
  let pv = 0;
  let v = 0;
  let tp = 0;
  let count = 0;
  for (let i = 0; i < b.length; i++) {
    const d = new Date(b.ts[i] as number).toISOString().slice(0, 10);
    if (d !== day) {
      day = d;
      pv = 0;
      v = 0;
      tp = 0;
      count = 0;
    }
    const typical = ((b.high[i] as number) + (b.low[i] as number) + (b.close[i] as number)) / 3;
    pv += typical * (b.volume[i] as number);
    v += b.volume[i] as number;
    tp += typical;
    count++;
    out.push(v > 0 ? pv / v : tp / count);
  }
  return out;
}

// ---- comparisons ---------------------------------------------------------------------------
const FILES = ['sp500_daily_1999_2018.csv', 'eurusd_h1_2017_2018.csv', 'stoxx50e_5min_2006_01.csv', 'ethbtc_5m_2018_01.csv', 'usdjpy_m1_bid_2013_02.csv'];

describe.each(FILES)('textbook oracle on %s', (file) => {
  const b = loadRealCsv(file);

  it('sma(20), ema(20), rsi(14), atr(14), obv match the textbook', () => {
    expectClose(def('sma').compute(b, { period: 20 })[0], naiveSma(b.close, 20), 'sma');
    expectClose(def('ema').compute(b, { period: 20 })[0], naiveEma(b.close, 20), 'ema');
    expectClose(def('rsi').compute(b, { period: 14 })[0], naiveRsi(b.close, 14), 'rsi');
    expectClose(def('atr').compute(b, { period: 14 })[0], naiveAtr(b, 14), 'atr');
    expectClose(def('obv').compute(b, {})[0], naiveObv(b), 'obv');
  });

  it('bbands(20, 2) matches a two-pass population standard deviation', () => {
    const [u, m, l] = naiveBollinger(b.close, 20, 2);
    const outs = def('bbands').compute(b, { period: 20, stddev: 2 });
    expectClose(outs[0], u, 'upper');
    expectClose(outs[1], m, 'middle');
    expectClose(outs[2], l, 'lower');
  });

  it('keltner(20, 2, 10) = textbook EMA(20) ± 2 × textbook ATR(10), first valid bar max(19, 10)', () => {
    const ema = naiveEma(b.close, 20);
    const atr = naiveAtr(b, 10);
    const lb = Math.max(19, 10);
    const mid = ema.map((v, i) => (i < lb ? NaN : v));
    const up = mid.map((v, i) => v + 2 * (atr[i] as number));
    const lo = mid.map((v, i) => v - 2 * (atr[i] as number));
    const outs = def('keltner').compute(b, { period: 20, multiplier: 2, atr_period: 10 });
    expectClose(outs[0], up, 'kc upper');
    expectClose(outs[1], mid, 'kc middle');
    expectClose(outs[2], lo, 'kc lower');
  });

  it('vwap resets at each UTC day and weights the typical price by volume', () => {
    expectClose(def('vwap').compute(b, {})[0], naiveVwap(b), 'vwap');
  });
});

describe('vwap on a hand-checked example', () => {
  it('resets at 00:00 UTC and falls back to the mean typical price while volume is 0', () => {
    // Bars 1–2 on 2024-01-01, bars 3–4 on 2024-01-02 (the second starts at 00:00 UTC).
    const ts = new Float64Array([Date.UTC(2024, 0, 1, 22), Date.UTC(2024, 0, 1, 23), Date.UTC(2024, 0, 2, 0), Date.UTC(2024, 0, 2, 1)]);
    const high = new Float64Array([12, 15, 30, 33]);
    const low = new Float64Array([9, 12, 27, 30]);
    const close = new Float64Array([9, 12, 30, 30]);
    const volume = new Float64Array([100, 300, 0, 50]);
    const [v] = def('vwap').compute({ ts, open: close, high, low, close, volume, length: 4 }, {});
    // tp = (H+L+C)/3: bar0 (12+9+9)/3 = 10; bar1 (15+12+12)/3 = 13; bar2 (30+27+30)/3 = 29; bar3 (33+30+30)/3 = 31.
    // bar0: 10·100/100 = 10. bar1: (1000 + 13·300)/400 = 4900/400 = 12.25.
    // bar2: new day, volume 0 -> mean tp = 29. bar3: (29·0 + 31·50)/50 = 31.
    expect(Array.from(v ?? [])).toEqual([10, 12.25, 29, 31]);
  });
});
