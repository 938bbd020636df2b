import type { IndicatorDef } from '../indicators/types.js';

/** The six Sigmatiq features (filled in below as they are written). */
export const BUILTIN_FEATURES: readonly IndicatorDef[] = [];
