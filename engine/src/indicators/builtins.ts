import type { IndicatorDef } from './types.js';
import { EMA, SMA, VOLUME_MA, WMA } from './builtins-ma.js';
import { ADX, MACD, ROC, RSI, STOCH } from './builtins-osc.js';
import { ATR, BBANDS, KELTNER, OBV, VWAP } from './builtins-vol.js';

/** Every built-in indicator, in the order `listIndicators()` returns them. */
export const BUILTIN_INDICATORS: readonly IndicatorDef[] = [SMA, EMA, WMA, RSI, MACD, STOCH, ADX, BBANDS, ATR, OBV, VOLUME_MA, ROC, KELTNER, VWAP];
