// Oracle: TA-Lib itself (PyPI ta-lib 0.8.2, TA-Lib C 0.8.1) run by oracle/talib_oracle.py on the
// same real files. Every output of every indicator is compared bar by bar:
//   NaN exactly where TA-Lib has no value (before its first valid bar), and elsewhere
//   |ours − talib| ≤ 1e-9·|talib| + 1e-12·max|talib over the series| (the absolute floor only
//   matters near zero, e.g. a MACD histogram crossing zero).
import { describe, expect, it } from 'vitest';
import { getIndicator } from './index.js';
import type { IndicatorDef } from './types.js';
import { loadRealCsv, runTalib, type OracleCall, type TestBars } from './oracle/harness.js';

const FILES = [
  'sp500_daily_1999_2018.csv', // daily index, 5031 bars
  'nvda_daily_1999_2014.csv', // single stock with big jumps
  'msft_daily_2003.csv', // 65 bars: shorter than some lookbacks
  'eurusd_h1_2017_2018.csv', // hourly FX
  'gbpusd_m1_bid_2012_02.csv', // minute FX, no volume
  'adabtc_5m_2018_01.csv', // crypto, prices around 0.00005
  'btcperp_1m_2022_01.csv', // minute crypto, 45k bars
  'btcusd_monthly_2012_2024.csv', // monthly
];

interface Case {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  /** Source field for single-input indicators (default close). */
  readonly source?: 'open' | 'high' | 'low' | 'close' | 'volume';
  /** TA-Lib calls; each yields outputs, concatenated in order to match ours. */
  readonly talib: readonly OracleCall[];
}

const HLC = ['high', 'low', 'close'];
const CASES: readonly Case[] = [
  { name: 'sma', params: { period: 20 }, talib: [{ fn: 'SMA', inputs: ['close'], args: { timeperiod: 20 } }] },
  { name: 'sma', params: { period: 2 }, talib: [{ fn: 'SMA', inputs: ['close'], args: { timeperiod: 2 } }] },
  { name: 'sma', params: { period: 10 }, source: 'high', talib: [{ fn: 'SMA', inputs: ['high'], args: { timeperiod: 10 } }] },
  { name: 'ema', params: { period: 20 }, talib: [{ fn: 'EMA', inputs: ['close'], args: { timeperiod: 20 } }] },
  { name: 'ema', params: { period: 50 }, talib: [{ fn: 'EMA', inputs: ['close'], args: { timeperiod: 50 } }] },
  { name: 'wma', params: { period: 20 }, talib: [{ fn: 'WMA', inputs: ['close'], args: { timeperiod: 20 } }] },
  { name: 'wma', params: { period: 3 }, talib: [{ fn: 'WMA', inputs: ['close'], args: { timeperiod: 3 } }] },
  { name: 'rsi', params: { period: 14 }, talib: [{ fn: 'RSI', inputs: ['close'], args: { timeperiod: 14 } }] },
  { name: 'rsi', params: { period: 2 }, talib: [{ fn: 'RSI', inputs: ['close'], args: { timeperiod: 2 } }] },
  { name: 'macd', params: { fast: 12, slow: 26, signal: 9 }, talib: [{ fn: 'MACD', inputs: ['close'], args: { fastperiod: 12, slowperiod: 26, signalperiod: 9 } }] },
  { name: 'macd', params: { fast: 5, slow: 35, signal: 1 }, talib: [{ fn: 'MACD', inputs: ['close'], args: { fastperiod: 5, slowperiod: 35, signalperiod: 1 } }] },
  { name: 'stoch', params: { fastk_period: 14, slowk_period: 3, slowd_period: 3 }, talib: [{ fn: 'STOCH', inputs: HLC, args: { fastk_period: 14, slowk_period: 3, slowk_matype: 0, slowd_period: 3, slowd_matype: 0 } }] },
  { name: 'stoch', params: { fastk_period: 5, slowk_period: 1, slowd_period: 4 }, talib: [{ fn: 'STOCH', inputs: HLC, args: { fastk_period: 5, slowk_period: 1, slowk_matype: 0, slowd_period: 4, slowd_matype: 0 } }] },
  {
    name: 'adx',
    params: { period: 14 },
    talib: [
      { fn: 'ADX', inputs: HLC, args: { timeperiod: 14 } },
      { fn: 'PLUS_DI', inputs: HLC, args: { timeperiod: 14 } },
      { fn: 'MINUS_DI', inputs: HLC, args: { timeperiod: 14 } },
    ],
  },
  {
    name: 'adx',
    params: { period: 3 },
    talib: [
      { fn: 'ADX', inputs: HLC, args: { timeperiod: 3 } },
      { fn: 'PLUS_DI', inputs: HLC, args: { timeperiod: 3 } },
      { fn: 'MINUS_DI', inputs: HLC, args: { timeperiod: 3 } },
    ],
  },
  { name: 'bbands', params: { period: 20, stddev: 2 }, talib: [{ fn: 'BBANDS', inputs: ['close'], args: { timeperiod: 20, nbdevup: 2, nbdevdn: 2, matype: 0 } }] },
  { name: 'bbands', params: { period: 7, stddev: 1 }, talib: [{ fn: 'BBANDS', inputs: ['close'], args: { timeperiod: 7, nbdevup: 1, nbdevdn: 1, matype: 0 } }] },
  { name: 'bbands', params: { period: 10, stddev: 1.5 }, talib: [{ fn: 'BBANDS', inputs: ['close'], args: { timeperiod: 10, nbdevup: 1.5, nbdevdn: 1.5, matype: 0 } }] },
  { name: 'atr', params: { period: 14 }, talib: [{ fn: 'ATR', inputs: HLC, args: { timeperiod: 14 } }] },
  { name: 'atr', params: { period: 1 }, talib: [{ fn: 'ATR', inputs: HLC, args: { timeperiod: 1 } }] },
  { name: 'obv', params: {}, talib: [{ fn: 'OBV', inputs: ['close', 'volume'] }] },
  { name: 'volume_ma', params: { period: 20 }, talib: [{ fn: 'SMA', inputs: ['volume'], args: { timeperiod: 20 } }] },
  { name: 'roc', params: { period: 10 }, talib: [{ fn: 'ROC', inputs: ['close'], args: { timeperiod: 10 } }] },
  { name: 'roc', params: { period: 1 }, talib: [{ fn: 'ROC', inputs: ['close'], args: { timeperiod: 1 } }] },
];

function def(name: string): IndicatorDef {
  const d = getIndicator(name);
  if (d === undefined) throw new Error(`${name} is not registered`);
  return d;
}

function ours(c: Case, bars: TestBars): readonly Float64Array[] {
  const d = def(c.name);
  if (c.source !== undefined) return d.computeFrom([bars[c.source]], c.params);
  return d.compute(bars, c.params);
}

/** First mismatch as a readable string, or undefined. */
function compare(a: Float64Array, b: Float64Array): string | undefined {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  let scale = 0;
  for (const v of b) if (!Number.isNaN(v)) scale = Math.max(scale, Math.abs(v));
  const floor = 1e-12 * scale;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(y)) {
      if (!Number.isNaN(x)) return `bar ${i}: ours ${x}, TA-Lib empty`;
      continue;
    }
    if (Number.isNaN(x)) return `bar ${i}: ours NaN, TA-Lib ${y}`;
    if (Math.abs(x - y) > 1e-9 * Math.abs(y) + floor) return `bar ${i}: ours ${x}, TA-Lib ${y} (diff ${x - y})`;
  }
  return undefined;
}

describe.each(FILES)('TA-Lib parity on %s', (file) => {
  const bars = loadRealCsv(file);
  const calls = CASES.flatMap((c) => c.talib);
  const oracle = runTalib(file, calls);

  it('TA-Lib oracle ran (version 0.8.x)', () => {
    expect(oracle.version).toMatch(/^0\.8\./);
    expect(oracle.results).toHaveLength(calls.length);
  });

  let k = 0;
  for (const c of CASES) {
    const expected = c.talib.map(() => oracle.results[k++] ?? []).flat();
    it(`${c.name}(${JSON.stringify(c.params)}${c.source ? `, ${c.source}` : ''}) matches TA-Lib on every bar`, () => {
      const got = ours(c, bars);
      expect(got).toHaveLength(expected.length);
      got.forEach((arr, j) => {
        const mismatch = compare(arr, expected[j] ?? new Float64Array(0));
        expect(mismatch, `${c.name} output ${def(c.name).outputs[j]}`).toBeUndefined();
      });
    });
  }
});
