/**
 * The AlphaForge Validation row (spec/alphaforge-brain-data-model.md "Validation") and the seed
 * derivation of REQUIREMENTS.md ("seed derived as sha256(config) mod 2^32").
 */
import { canonicalJson, configHash } from '../hash/index.js';
import { sha256Hex } from '../hash/index.js';
import { bootstrapCi, type BootstrapOptions, type BootstrapResult } from './bootstrap.js';
import { permutationTest, type PermutationInput, type PermutationOptions, type PermutationResult } from './permutation.js';
import { isStrategyInput, strategyPermutationTest, type StrategyPermutationInput } from './strategy-permutation.js';
import type { WalkForwardResult } from './walk-forward.js';

/**
 * seed_root = sha256(canonical JSON of config) mod 2^32: the last 8 hex digits of the hash (the same
 * derivation as the sidecar's runs.seed_root). Sub-seeds of the parts are sha256({seed_root, part}) mod 2^32.
 */
export function validationSeed(config: unknown): number {
  return Number.parseInt(configHash(config).slice(-8), 16);
}

export function subSeed(seedRoot: number, part: string): number {
  return Number.parseInt(configHash({ seed_root: seedRoot, part }).slice(-8), 16);
}

/** The Validation row, field for field. REAL columns are float32 in the spec; values here are the float64 ones. */
export interface ValidationRecord {
  readonly run_hash: string;
  /** Canonical JSON of the extended payload (see ValidationPayload). */
  readonly payload_json: string;
  readonly permutation_pvalue: number | null;
  readonly bootstrap_sharpe_low: number | null;
  readonly bootstrap_sharpe_high: number | null;
  readonly bootstrap_cagr_low: number | null;
  readonly bootstrap_cagr_high: number | null;
  readonly bootstrap_method: 'hadj_bb' | 'simple' | null;
  /** Null when method is simple (spec: "If method==simple then block_length & jitter NULL"). */
  readonly bootstrap_block_length: number | null;
  readonly bootstrap_jitter: number | null;
  readonly bootstrap_fallback: 0 | 1 | null;
}

/** Walk-forward summary as stored in the payload (the stitched curve is summarized by its sha256). */
export interface WalkForwardSummary {
  readonly mode: WalkForwardResult['mode'];
  readonly train: string;
  readonly test: string;
  readonly step: string;
  readonly windows: readonly {
    readonly index: number; readonly train_start_ts: number; readonly test_start_ts: number; readonly test_end_ts: number;
    readonly winner: WalkForwardResult['windows'][number]['winner'];
    readonly is_sharpe: number; readonly oos_sharpe: number; readonly oos_total_return: number; readonly degradation: number | null;
  }[];
  readonly out_of_sample: WalkForwardResult['out_of_sample'];
  readonly is_sharpe_mean: number;
  readonly oos_sharpe_mean: number;
  readonly degradation: number | null;
  readonly stitched_sha256: string;
  readonly spec_hash: string;
}

export interface ValidationPayload {
  readonly seed_root: number;
  readonly config_hash: string;
  readonly permutation: Omit<PermutationResult, never> | null;
  readonly bootstrap: BootstrapResult | null;
  readonly walk_forward: WalkForwardSummary | null;
}

export function summarizeWalkForward(wf: WalkForwardResult): WalkForwardSummary {
  const curve = canonicalJson({ ts: Array.from(wf.stitched.ts), equity: Array.from(wf.stitched.equity), window: Array.from(wf.stitched.window) });
  return {
    mode: wf.mode, train: wf.train, test: wf.test, step: wf.step,
    windows: wf.windows.map((w) => ({
      index: w.window.index, train_start_ts: w.window.train_start_ts, test_start_ts: w.window.test_start_ts, test_end_ts: w.window.test_end_ts,
      winner: w.winner, is_sharpe: w.in_sample.sharpe_ratio, oos_sharpe: w.out_of_sample.sharpe_ratio, oos_total_return: w.out_of_sample.total_return, degradation: w.degradation,
    })),
    out_of_sample: wf.out_of_sample, is_sharpe_mean: wf.is_sharpe_mean, oos_sharpe_mean: wf.oos_sharpe_mean, degradation: wf.degradation,
    stitched_sha256: sha256Hex(curve), spec_hash: wf.spec_hash,
  };
}

/** Canonical JSON cannot hold non-finite numbers: they are stored as null. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function toValidationRecord(runHash: string, payload: ValidationPayload): ValidationRecord {
  const b = payload.bootstrap;
  const clean = JSON.parse(JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'number' ? finiteOrNull(v) : v))) as unknown;
  return {
    run_hash: runHash,
    payload_json: canonicalJson(clean),
    permutation_pvalue: payload.permutation?.p_value ?? null,
    bootstrap_sharpe_low: b === null ? null : finiteOrNull(b.sharpe.low),
    bootstrap_sharpe_high: b === null ? null : finiteOrNull(b.sharpe.high),
    bootstrap_cagr_low: b === null ? null : finiteOrNull(b.cagr.low),
    bootstrap_cagr_high: b === null ? null : finiteOrNull(b.cagr.high),
    bootstrap_method: b?.method ?? null,
    bootstrap_block_length: b === null || b.method === 'simple' ? null : b.block_length,
    bootstrap_jitter: b === null || b.method === 'simple' ? null : b.jitter,
    bootstrap_fallback: b === null ? null : b.fallback ? 1 : 0,
  };
}

export interface ValidateRunInput {
  /** The configuration being validated (its canonical hash gives every seed). */
  readonly config: unknown;
  readonly runHash: string;
  /** The strategy's per-bar net returns (bootstrap input). */
  readonly returns?: ArrayLike<number>;
  /**
   * Permutation input: the backtest to re-simulate (bars, signals, config: statistic `strategy_net`, the
   * strategy's own net returns) or, lower level, market returns under fixed exposures (`exposure_gross`).
   */
  readonly permutation?: StrategyPermutationInput | PermutationInput;
  readonly walkForward?: WalkForwardResult;
  readonly periodsPerYear: number;
  readonly permutationOptions?: Omit<PermutationOptions, 'seed' | 'periodsPerYear'>;
  readonly bootstrapOptions?: Omit<BootstrapOptions, 'seed' | 'periodsPerYear'>;
}

/**
 * Runs the permutation test and the bootstrap with seeds derived from the config (same config →
 * same seeds → bit-identical record) and assembles the Validation row.
 */
export function validateRun(input: ValidateRunInput): { record: ValidationRecord; payload: ValidationPayload } {
  const seed_root = validationSeed(input.config);
  const pOpts = { ...input.permutationOptions, seed: subSeed(seed_root, 'permutation'), periodsPerYear: input.periodsPerYear };
  const p = input.permutation;
  const permutation = p === undefined ? null : isStrategyInput(p) ? strategyPermutationTest(p, pOpts) : permutationTest(p, pOpts);
  const bootstrap = input.returns === undefined ? null : bootstrapCi(input.returns, { ...input.bootstrapOptions, seed: subSeed(seed_root, 'bootstrap'), periodsPerYear: input.periodsPerYear });
  const payload: ValidationPayload = {
    seed_root, config_hash: configHash(input.config), permutation, bootstrap,
    walk_forward: input.walkForward === undefined ? null : summarizeWalkForward(input.walkForward),
  };
  return { record: toValidationRecord(input.runHash, payload), payload };
}
