// Public API of @sigmatiq/engine. Each bounded context exports from its own index.ts.
export { SigmatiqError, isSigmatiqError } from './errors.js';
export { ENGINE_VERSION } from './version.js';
export { createRng, Xoshiro128, type Rng, type Seed } from './random/index.js';
export { LEADERBOARD_MIME, leaderboardProblems, leaderboardToText } from './mime/leaderboard.js';
export type { GateStatus, LeaderboardDocV1, LeaderboardRowV1, LeaderboardStatsV1, ParamValue } from './mime/leaderboard.js';
export { canonicalJson, sha256Hex, configHash, dataHash, type DataHashOptions } from './hash/index.js';
export { defineIndicator, getIndicator, getFeature, listIndicators, listFeatures, registerIndicator, IndicatorCache, computeGrid, expandGrid, type IndicatorDef, type IndicatorParams, type ParamDef, type BarsInput, type IndicatorSpec, type ParamGrid, type GridResult } from './indicators/index.js';
export { runCli, parseArgs, Args, formatErrorLine, COMMANDS, type CliCommand, type CliIo, type CliContext, type FlagSpec, type ParsedArgs, type RunCliOptions } from './cli/index.js';
export { PackSchema, parsePack, parsePackText, readPackFile, validatePack, validatePackYaml, listPacks, loadPack, resolvePackFile, defaultPacksDir, resolveStrategy, backtestConfigFor, sanityStep, SANITY_THRESHOLDS, loadSanityBars, validatePackOnData, PACK_ERROR_CODES, PACK_WARNING_CODES, type Pack, type PackValidationReport, type PackIssue, type PackIssueCode, type ResolvedStrategy, type Overrides, type StrategyDef, type PackListing, type LoadedPack, type SanityResult } from './packs/index.js';
