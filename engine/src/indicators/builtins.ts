import type { IndicatorDef } from './types.js';
import { EMA, SMA, VOLUME_MA, WMA } from './builtins-ma.js';

/** Every built-in indicator, in the order `listIndicators()` returns them. */
export const BUILTIN_INDICATORS: readonly IndicatorDef[] = [SMA, EMA, WMA, VOLUME_MA];
