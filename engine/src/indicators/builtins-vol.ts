import { defineIndicator } from './define.js';
import { periodParam } from './builtins-ma.js';
import { atrInto, bbandsInto, keltnerInto } from './kernels/volatility.js';
import { obvInto, vwapInto } from './kernels/volume.js';

const p = (r: Readonly<Record<string, number>>, name: string): number => r[name] as number;
const f64 = (a: Float64Array | undefined): Float64Array => a as Float64Array;

export const ATR = defineIndicator({
  name: 'atr',
  description: 'Average true range, Wilder smoothing (TA_ATR).',
  inputs: ['high', 'low', 'close'],
  params: [periodParam(14, 'window length in bars', 1)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period')],
  kernel: ([h, l, c], r, [out]) => atrInto(f64(h), f64(l), f64(c), p(r, 'period'), f64(out)),
});

export const BBANDS = defineIndicator({
  name: 'bbands',
  description: 'Bollinger Bands (TA_BBANDS, SMA middle, population standard deviation, same width up and down).',
  inputs: ['close'],
  params: [periodParam(20), { name: 'stddev', kind: 'float', default: 2, min: 0, max: 100, description: 'band width in standard deviations' }],
  outputs: ['upper', 'middle', 'lower'],
  columnPrefixes: ['bb_upper', 'bb_middle', 'bb_lower'],
  lookbacks: (r) => {
    const lb = p(r, 'period') - 1;
    return [lb, lb, lb];
  },
  kernel: ([src], r, [u, m, l]) => bbandsInto(f64(src), p(r, 'period'), p(r, 'stddev'), f64(u), f64(m), f64(l)),
});

export const KELTNER = defineIndicator({
  name: 'keltner',
  description: 'Keltner channels: EMA(close, period) ± multiplier × ATR(atr_period) (not in TA-Lib; TA-Lib EMA and ATR).',
  inputs: ['high', 'low', 'close'],
  params: [
    periodParam(20, 'EMA period of the middle line'),
    { name: 'multiplier', kind: 'float', default: 2, min: 0, max: 100, description: 'channel half-width in ATRs' },
    { name: 'atr_period', kind: 'int', default: 10, min: 1, max: 100_000, description: 'ATR period' },
  ],
  outputs: ['upper', 'middle', 'lower'],
  columnPrefixes: ['kc_upper', 'kc_middle', 'kc_lower'],
  lookbacks: (r) => {
    const lb = Math.max(p(r, 'period') - 1, p(r, 'atr_period'));
    return [lb, lb, lb];
  },
  kernel: ([h, l, c], r, [u, m, lo]) => keltnerInto(f64(h), f64(l), f64(c), p(r, 'period'), p(r, 'multiplier'), p(r, 'atr_period'), f64(u), f64(m), f64(lo)),
});

export const OBV = defineIndicator({
  name: 'obv',
  description: 'On-balance volume (TA_OBV), starting at the first bar\'s volume.',
  inputs: ['close', 'volume'],
  params: [],
  outputs: ['value'],
  lookbacks: () => [0],
  kernel: ([c, v], _r, [out]) => obvInto(f64(c), f64(v), f64(out)),
});

export const VWAP = defineIndicator({
  name: 'vwap',
  description: 'Intraday VWAP of the typical price (H+L+C)/3, reset at each UTC day (not in TA-Lib).',
  inputs: ['high', 'low', 'close', 'volume'],
  usesTime: true,
  params: [],
  outputs: ['value'],
  lookbacks: () => [0],
  kernel: ([h, l, c, v], _r, [out], ts) => vwapInto(f64(h), f64(l), f64(c), f64(v), ts as Float64Array, f64(out)),
});
