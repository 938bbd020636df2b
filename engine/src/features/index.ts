// Public API of the features context: the six Sigmatiq features (also reachable through
// getIndicator/getFeature in ../indicators, where they are registered with kind 'feature').
export { RSI_DIVERGENCE, MACD_CROSS, TREND_STRENGTH, BB_SQUEEZE, VOLUME_SURGE, MOMENTUM_COMPOSITE, BUILTIN_FEATURES } from './builtins.js';
export { divergenceInto, crossSignalInto, trendStrengthInto, squeezeInto, volumeSurgeInto, momentumCompositeInto } from './kernels.js';
