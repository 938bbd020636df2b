// Public API of the indicators context.
export type { IndicatorDef, IndicatorParams, ParamDef, BarsInput } from './types.js';
export { defineIndicator, paramError, type IndicatorSpec, type ResolvedParams } from './define.js';
export { getIndicator, getFeature, listIndicators, listFeatures, registerIndicator } from './registry.js';
export { IndicatorCache, computeGrid, expandGrid, type ParamGrid, type GridResult } from './cache.js';
export { parseIndicatorSpec, type IndicatorSpecItem } from './spec.js';
// Kernels over explicit arrays (for `sma(high, 10)`-style calls and other contexts).
export { sma, ema, wma, smaInto, emaInto, wmaInto } from './kernels/ma.js';
export { rsi, roc, rsiInto, rocInto, macdInto, stochInto } from './kernels/momentum.js';
export { atr, atrInto, bbandsInto, keltnerInto, rollingVarianceInto } from './kernels/volatility.js';
export { adxInto } from './kernels/trend.js';
export { obvInto, vwapInto } from './kernels/volume.js';
