import { defineIndicator, paramError } from './define.js';
import { periodParam } from './builtins-ma.js';
import { macdInto, rocInto, rsiInto, stochInto } from './kernels/momentum.js';
import { adxInto } from './kernels/trend.js';
import type { ParamDef } from './types.js';

const p = (r: Readonly<Record<string, number>>, name: string): number => r[name] as number;
const int = (name: string, def: number, min: number, description: string): ParamDef => ({ name, kind: 'int', default: def, min, max: 100_000, description });
const f64 = (a: Float64Array | undefined): Float64Array => a as Float64Array;

export const RSI = defineIndicator({
  name: 'rsi',
  description: "Relative strength index, Wilder smoothing (TA_RSI). Range 0..100.",
  inputs: ['close'],
  params: [periodParam(14)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period')],
  kernel: ([src], r, [out]) => rsiInto(f64(src), p(r, 'period'), f64(out)),
});

export const MACD = defineIndicator({
  name: 'macd',
  description: 'Moving average convergence/divergence (TA_MACD): EMA(fast) − EMA(slow), signal EMA, histogram.',
  inputs: ['close'],
  params: [int('fast', 12, 2, 'fast EMA period'), int('slow', 26, 2, 'slow EMA period (> fast)'), int('signal', 9, 1, 'signal EMA period')],
  outputs: ['macd', 'signal', 'hist'],
  columnPrefixes: ['macd', 'macd_signal', 'macd_hist'],
  validate: (r) => {
    if (p(r, 'fast') >= p(r, 'slow')) throw paramError('macd', 'fast', `must be less than slow (${p(r, 'slow')}), got ${p(r, 'fast')}`, p(r, 'fast'));
  },
  lookbacks: (r) => {
    const lb = p(r, 'slow') - 1 + p(r, 'signal') - 1;
    return [lb, lb, lb];
  },
  kernel: ([src], r, [m, s, h]) => macdInto(f64(src), p(r, 'fast'), p(r, 'slow'), p(r, 'signal'), f64(m), f64(s), f64(h)),
});

export const ROC = defineIndicator({
  name: 'roc',
  description: 'Rate of change in percent (TA_ROC): (x/x[−period] − 1)·100.',
  inputs: ['close'],
  params: [periodParam(10, 'bars back', 1)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period')],
  kernel: ([src], r, [out]) => rocInto(f64(src), p(r, 'period'), f64(out)),
});

export const STOCH = defineIndicator({
  name: 'stoch',
  description: 'Slow stochastic (TA_STOCH, SMA smoothing): %K and %D, range 0..100.',
  inputs: ['high', 'low', 'close'],
  params: [int('fastk_period', 14, 1, 'high/low window of fast %K'), int('slowk_period', 3, 1, 'SMA of fast %K -> slow %K'), int('slowd_period', 3, 1, 'SMA of slow %K -> %D')],
  outputs: ['k', 'd'],
  columnPrefixes: ['stoch_k', 'stoch_d'],
  lookbacks: (r) => {
    const lb = p(r, 'fastk_period') - 1 + p(r, 'slowk_period') - 1 + p(r, 'slowd_period') - 1;
    return [lb, lb];
  },
  kernel: ([h, l, c], r, [k, d]) => stochInto(f64(h), f64(l), f64(c), p(r, 'fastk_period'), p(r, 'slowk_period'), p(r, 'slowd_period'), f64(k), f64(d)),
});

export const ADX = defineIndicator({
  name: 'adx',
  description: "Wilder's average directional index with +DI and −DI (TA_ADX, TA_PLUS_DI, TA_MINUS_DI). Range 0..100.",
  inputs: ['high', 'low', 'close'],
  params: [periodParam(14)],
  outputs: ['adx', 'plus_di', 'minus_di'],
  columnPrefixes: ['adx', 'plus_di', 'minus_di'],
  lookbacks: (r) => [2 * p(r, 'period') - 1, p(r, 'period'), p(r, 'period')],
  kernel: ([h, l, c], r, [a, pd, md]) => adxInto(f64(h), f64(l), f64(c), p(r, 'period'), f64(a), f64(pd), f64(md)),
});
