// Public API of the sweep context (docs/sweeps.md).
export { SWS, SweepError, isSweepError, sweepErrorCode, toSweepErrorRecord, type SwsCode, type SwsName, type SweepErrorRecord } from './errors.js';
export { parseDomain, domainValues, type Domain, type ParamSpec, type ParamValue } from './space/domain.js';
export { parseCondition, type Condition } from './space/conditions.js';
export { ParameterSpace, type ParamPoint, type SpaceSpec } from './space/space.js';
export { createSampler, SAMPLER_KINDS, type Sampler, type SamplerKind, type SamplerOptions } from './samplers/index.js';
export { comboCap, planCount, SIMPLE_CAP, CUSTOM_CAPS, PLAN_TIERS, SWEEP_TYPES, type PlanTier, type SweepType } from './caps.js';
export * from './gates/index.js';
export { deflatedSharpe, expectedMaxSharpe, moments, EULER_GAMMA, type DsrInputs, type DsrResult } from './stats/dsr.js';
export { probabilityOfBacktestOverfitting, blockBounds, type BlockStats, type PboResult } from './stats/pbo.js';
export { normalCdf, normalInv } from './stats/normal.js';
export { paretoFront, dominates, type ParetoObjectives } from './pruning/pareto.js';
export { KendallEarlyStop, kendallTauB, type KendallStopOptions } from './pruning/kendall.js';
export { rankResults, compareRows, leaderboardEntries } from './leaderboard/rank.js';
export { toCsv } from './leaderboard/csv.js';
export { heatmap, autoHeatmap, type HeatmapData } from './leaderboard/heatmap.js';
export { METRIC_KEYS, type ComboResult, type LeaderboardEntry, type MetricKey, type SweepMetrics } from './leaderboard/types.js';
