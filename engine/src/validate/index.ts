// Public API of the validation context (docs/validation.md).
export { sharpeOf, cagrOf, totalReturnOf, acf, quantileSorted } from './stats.js';
export { selectBlockLength, DEFAULT_BLOCK_CAP, MIN_OBSERVATIONS, type BlockChoice, type BlockMethod } from './block-length.js';
export { blockPermutation, blockBootstrapIndices } from './resample.js';
export { bootstrapCi, DEFAULT_RESAMPLES, type BootstrapOptions, type BootstrapResult, type Interval as ConfidenceInterval } from './bootstrap.js';
export { permutationTest, exposureFromBacktest, DEFAULT_PERMUTATIONS, PERMUTATION_METRICS, type PermutationInput, type PermutationOptions, type PermutationResult, type PermutationMetric, type PermutationStatistic } from './permutation.js';
export { strategyPermutationTest, type StrategyPermutationInput } from './strategy-permutation.js';
export { parseDuration, addDuration, computeWindows, type Duration, type WindowSpec, type WalkWindow } from './windows.js';
export { walkForward, evaluateOutOfSample, type ReplayableBacktest, type WalkForwardSpec, type WalkForwardResult, type WindowResult, type WindowMetrics } from './walk-forward.js';
export { validationSeed, subSeed, toValidationRecord, summarizeWalkForward, validateRun, type ValidationRecord, type ValidationPayload, type WalkForwardSummary, type ValidateRunInput } from './record.js';
export { backtestReturns, validateBacktest, type ValidateBacktestInput } from './backtest-input.js';
