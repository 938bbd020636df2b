// Public API of the packs context (docs/packs.md).
export {
  PackSchema,
  IndicatorDefSchema,
  FeatureDefSchema,
  StrategyDefSchema,
  GatePolicySchema,
  ExecPolicySchema,
  SizingPolicySchema,
  RiskPolicySchema,
  ParamSpecSchema,
  VibeSchema,
  SIGMATIQ_FEATURES,
  type Pack,
  type PackInput,
  type IndicatorDef as PackIndicatorDef,
  type FeatureDef,
  type StrategyDef,
  type GatePolicy,
  type ExecPolicy,
  type SizingPolicy,
  type RiskPolicy,
  type Policies,
  type ParamSpec,
  type Vibe,
  type InstrumentType,
  type Timeframe,
  type Calendar,
} from './schema.js';
export {
  PACK_ERROR_CODES,
  PACK_WARNING_CODES,
  type PackIssue,
  type PackIssueCode,
  type PackValidationReport,
  type SanityResult,
} from './report.js';
export { parsePack, parsePackText, readPackFile, type LoadedPack, type PackParseResult } from './load.js';
export type { PackSource, SourcePos } from './yaml-source.js';
export { validatePack, validatePackYaml, type ValidateOptions, type SanityStep } from './validate.js';
export { packContext, outputNames, type PackContext } from './context.js';
export { resolveStrategy, backtestConfigFor, strategyBacktestRequest, type ResolvedStrategy, type Overrides } from './resolve.js';
export { listPacks, loadPack, defaultPacksDir, type PackListing } from './registry.js';
export { resolvePackFile } from './registry.js';
export { sanityStep, sanityConfig, SANITY_THRESHOLDS, type SanityThresholds, type SanityOptions } from './sanity.js';
export { loadSanityBars, validatePackOnData } from './sanity-data.js';
export { packJsonSchema } from './json-schema.js';
