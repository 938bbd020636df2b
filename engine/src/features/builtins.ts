import { defineIndicator, paramError } from '../indicators/define.js';
import type { IndicatorDef, ParamDef } from '../indicators/types.js';
import { macdInto, rocInto, rsiInto, stochInto } from '../indicators/kernels/momentum.js';
import { adxInto } from '../indicators/kernels/trend.js';
import { bbandsInto, keltnerInto } from '../indicators/kernels/volatility.js';
import { crossSignalInto, divergenceInto, momentumCompositeInto, squeezeInto, trendStrengthInto, volumeSurgeInto } from './kernels.js';

const p = (r: Readonly<Record<string, number>>, name: string): number => r[name] as number;
const f64 = (a: Float64Array | undefined): Float64Array => a as Float64Array;
const int = (name: string, def: number, min: number, description: string): ParamDef => ({ name, kind: 'int', default: def, min, max: 100_000, description });
const float = (name: string, def: number, min: number, max: number, description: string): ParamDef => ({ name, kind: 'float', default: def, min, max, description });

/** +1 bullish / −1 bearish RSI divergence on the bar where price makes a new `window`-bar extreme. */
export const RSI_DIVERGENCE = defineIndicator({
  name: 'rsi_divergence',
  kind: 'feature',
  description: 'RSI divergence: +1 when close makes a new low below the previous `window` closes while RSI(rsi_period) stays above its previous `window`-bar low; −1 mirror image at highs; else 0.',
  inputs: ['close'],
  params: [int('rsi_period', 14, 2, 'RSI period'), int('window', 14, 1, 'bars the new extreme is compared with')],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'rsi_period') + p(r, 'window')],
  kernel: ([close], r, [out]) => {
    const c = f64(close);
    const rsi = new Float64Array(c.length);
    rsiInto(c, p(r, 'rsi_period'), rsi);
    divergenceInto(c, rsi, p(r, 'rsi_period'), p(r, 'window'), f64(out));
  },
});

/** +1 on the bar the MACD line crosses above its signal line, −1 below, else 0. */
export const MACD_CROSS = defineIndicator({
  name: 'macd_cross',
  kind: 'feature',
  description: 'MACD cross: +1 on the bar the MACD line closes above the signal line after being at or below it on the bar before; −1 for the opposite cross; else 0.',
  inputs: ['close'],
  params: [int('fast', 12, 2, 'fast EMA period'), int('slow', 26, 2, 'slow EMA period (> fast)'), int('signal', 9, 1, 'signal EMA period')],
  outputs: ['value'],
  validate: (r) => {
    if (p(r, 'fast') >= p(r, 'slow')) throw paramError('macd_cross', 'fast', `must be less than slow (${p(r, 'slow')}), got ${p(r, 'fast')}`, p(r, 'fast'));
  },
  lookbacks: (r) => [p(r, 'slow') - 1 + p(r, 'signal') - 1 + 1],
  kernel: ([close], r, [out]) => {
    const c = f64(close);
    const n = c.length;
    const macd = new Float64Array(n);
    const signal = new Float64Array(n);
    const hist = new Float64Array(n);
    macdInto(c, p(r, 'fast'), p(r, 'slow'), p(r, 'signal'), macd, signal, hist);
    crossSignalInto(macd, signal, p(r, 'slow') - 1 + p(r, 'signal') - 1, f64(out));
  },
});

/** ADX/100 signed by the dominant directional indicator: −1..+1. */
export const TREND_STRENGTH = defineIndicator({
  name: 'trend_strength',
  kind: 'feature',
  description: 'Trend strength: ADX(period)/100 × sign(+DI − −DI); −1 (strong downtrend) .. +1 (strong uptrend), 0 without a dominant direction.',
  inputs: ['high', 'low', 'close'],
  params: [int('period', 14, 2, 'ADX period')],
  outputs: ['value'],
  lookbacks: (r) => [2 * p(r, 'period') - 1],
  kernel: ([h, l, c], r, [out]) => {
    const n = f64(h).length;
    const adx = new Float64Array(n);
    const plus = new Float64Array(n);
    const minus = new Float64Array(n);
    adxInto(f64(h), f64(l), f64(c), p(r, 'period'), adx, plus, minus);
    trendStrengthInto(adx, plus, minus, 2 * p(r, 'period') - 1, f64(out));
  },
});

/** 1 while the Bollinger Bands sit inside the Keltner channels (volatility squeeze), else 0. */
export const BB_SQUEEZE = defineIndicator({
  name: 'bb_squeeze',
  kind: 'feature',
  description: 'Bollinger squeeze: 1 when bbands(period, stddev) lie strictly inside keltner(period, multiplier, atr_period) (upper below and lower above), else 0.',
  inputs: ['high', 'low', 'close'],
  params: [int('period', 20, 2, 'Bollinger SMA and Keltner EMA period'), float('stddev', 2, 0, 100, 'Bollinger width in standard deviations'), float('multiplier', 1.5, 0, 100, 'Keltner width in ATRs'), int('atr_period', 20, 1, 'Keltner ATR period')],
  outputs: ['value'],
  lookbacks: (r) => [Math.max(p(r, 'period') - 1, p(r, 'atr_period'))],
  kernel: ([h, l, c], r, [out]) => {
    const n = f64(h).length;
    const bu = new Float64Array(n);
    const bm = new Float64Array(n);
    const bl = new Float64Array(n);
    const ku = new Float64Array(n);
    const km = new Float64Array(n);
    const kl = new Float64Array(n);
    bbandsInto(f64(c), p(r, 'period'), p(r, 'stddev'), bu, bm, bl);
    keltnerInto(f64(h), f64(l), f64(c), p(r, 'period'), p(r, 'multiplier'), p(r, 'atr_period'), ku, km, kl);
    squeezeInto(bu, bl, ku, kl, Math.max(p(r, 'period') - 1, p(r, 'atr_period')), f64(out));
  },
});

/** Volume relative to the mean volume of the previous `period` bars. */
export const VOLUME_SURGE = defineIndicator({
  name: 'volume_surge',
  kind: 'feature',
  description: 'Volume surge ratio: volume / mean(volume of the previous `period` bars); 0 when that mean is 0 (e.g. feeds without volume). A surge is typically volume_surge >= 2.',
  inputs: ['volume'],
  params: [int('period', 20, 1, 'bars in the baseline (the current bar excluded)')],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period')],
  kernel: ([v], r, [out]) => volumeSurgeInto(f64(v), p(r, 'period'), f64(out)),
});

/** Mean of three momentum scores, each in −1..+1. */
export const MOMENTUM_COMPOSITE = defineIndicator({
  name: 'momentum_composite',
  kind: 'feature',
  description: 'Momentum composite: mean of (RSI − 50)/50, (slow stochastic %K − 50)/50 and tanh(ROC/10); −1..+1.',
  inputs: ['high', 'low', 'close'],
  params: [int('rsi_period', 14, 2, 'RSI period'), int('roc_period', 10, 1, 'ROC period'), int('stoch_period', 14, 1, 'stochastic fast %K window (smoothing 3, 3)')],
  outputs: ['value'],
  lookbacks: (r) => [Math.max(p(r, 'rsi_period'), p(r, 'roc_period'), p(r, 'stoch_period') + 3)],
  kernel: ([h, l, c], r, [out]) => {
    const cc = f64(c);
    const n = cc.length;
    const rsi = new Float64Array(n);
    const roc = new Float64Array(n);
    const k = new Float64Array(n);
    const d = new Float64Array(n);
    rsiInto(cc, p(r, 'rsi_period'), rsi);
    rocInto(cc, p(r, 'roc_period'), roc);
    stochInto(f64(h), f64(l), cc, p(r, 'stoch_period'), 3, 3, k, d);
    momentumCompositeInto(rsi, k, roc, Math.max(p(r, 'rsi_period'), p(r, 'roc_period'), p(r, 'stoch_period') + 3), f64(out));
  },
});

/** The six Sigmatiq features, registered beside the indicators (kind `feature`). */
export const BUILTIN_FEATURES: readonly IndicatorDef[] = [RSI_DIVERGENCE, MACD_CROSS, TREND_STRENGTH, BB_SQUEEZE, VOLUME_SURGE, MOMENTUM_COMPOSITE];
