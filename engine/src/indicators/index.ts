// Public API of the indicators context.
export type { IndicatorDef, IndicatorParams, ParamDef, BarsInput } from './types.js';
export { defineIndicator, paramError, type IndicatorSpec, type ResolvedParams } from './define.js';
export { getIndicator, getFeature, listIndicators, listFeatures, registerIndicator } from './registry.js';
export { IndicatorCache, computeGrid, expandGrid, type ParamGrid, type GridResult } from './cache.js';
export { sma, ema, wma, smaInto, emaInto, wmaInto } from './kernels/ma.js';
