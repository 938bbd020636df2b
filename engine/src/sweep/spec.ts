/**
 * The sweep request (the dictionary's Sweep) and the run options, with validation that runs
 * before any work: bars, space, sampler, caps, names, gates, statistics.
 */
import type { Bars } from '../data/bars.js';
import { comboCap, planCount, type PlanTier, type SweepType } from './caps.js';
import { SweepError } from './errors.js';
import type { SweepTarget } from './exec/target.js';
import { bindPoint, checkSweptNames } from './exec/target.js';
import { resolveGates, type GatePolicyInput, type ResolvedGates } from './gates/gates.js';
import type { KendallStopOptions } from './pruning/kendall.js';
import { SAMPLER_KINDS, type SamplerKind } from './samplers/types.js';
import { ParameterSpace, type SpaceSpec } from './space/space.js';
import type { ComboResult } from './leaderboard/types.js';
import type { SweepStoreWriter } from './store.js';
import type { SweepProgress } from './types.js';

export interface SweepSpec {
  readonly target: SweepTarget;
  readonly space: SpaceSpec;
  /** Default `grid`. */
  readonly sampler?: SamplerKind;
  readonly trials?: number;
  readonly seed?: number;
  /** Default `simple` (cap 45). */
  readonly type?: SweepType;
  /** Default `free`. */
  readonly tier?: PlanTier;
  /** Gate overrides (over the defaults and, for a pack target, the pack's GatePolicy.quality). */
  readonly gates?: GatePolicyInput;
  readonly pruning?: { readonly pareto?: boolean; readonly kendall?: boolean | KendallStopOptions };
  /** CSCV blocks (even, >= 2; default 16; 0 = no PBO). */
  readonly pboBlocks?: number;
  /** Default: derived from the spec and the data (so a rerun has the same id). */
  readonly sweepId?: string;
  readonly tag?: string;
}

export interface SweepOptions {
  /** Worker threads; default os.availableParallelism(); 0 = run inline on this thread. */
  readonly workers?: number;
  readonly signal?: AbortSignal;
  /** Called at least once a second while running, and once at the end. */
  readonly onProgress?: (p: SweepProgress) => void;
  readonly progressIntervalMs?: number;
  /** Plan caps (default true). Off only for local research and benchmarks where no plan applies. */
  readonly enforceCaps?: boolean;
  /** Combinations per task (default: about 16 tasks per worker, 1..32). */
  readonly chunkSize?: number;
  /** TPE batch size (default 16; fixed, independent of the worker count). */
  readonly tpeBatch?: number;
  /** Indicator cache budget per worker in bytes (default 256 MiB shared out: max(32 MiB, 256 MiB / workers)). */
  readonly cacheBytes?: number;
  readonly store?: SweepStoreWriter;
  /**
   * Finished combinations while the sweep runs, in batches, each in combination-id order (docs/sweeps.md,
   * "Streaming combinations"). Every combination of `SweepResult.results` is delivered exactly once, before
   * `runSweep` resolves and before ranking, so a row carries no rank and no Pareto `kept` flag; every other
   * field (params, config_hash, metrics, gate, error) is bit-identical to the final row, whatever the number
   * of workers. Batch boundaries depend on timing; the union does not. Must not throw (a throw stops the
   * sweep with SWS-3004). Unset: nothing is built for it.
   */
  readonly onCombinations?: (rows: readonly CombinationRow[]) => void;
}

/** A finished combination before ranking (see `SweepOptions.onCombinations`). */
export type CombinationRow = Omit<ComboResult, 'rank' | 'kept'>;

export interface ValidatedSpec {
  readonly space: ParameterSpace;
  readonly sampler: SamplerKind;
  readonly type: SweepType;
  readonly tier: PlanTier;
  readonly cap: number;
  readonly planned: number;
  readonly gates: ResolvedGates;
  readonly blocks: number;
}

function checkBars(bars: Bars): void {
  const n = bars.length;
  if (!Number.isSafeInteger(n) || n < 2) throw new SweepError('INSUFFICIENT_DATA', `a sweep needs at least 2 bars, got ${String(n)}`, { bars: n });
  for (const f of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const col: unknown = bars[f];
    if (!(col instanceof Float64Array) || col.length !== n) {
      throw new SweepError('INVALID_BARS', `column '${f}' must be a Float64Array of length ${n}`, { column: f });
    }
  }
}

/**
 * Everything that does not need the data: sampler, type and tier, space, names, caps, gates,
 * options. The CLI calls it before loading bars; `runSweep` through `validateSpec`.
 */
export function validatePlan(spec: SweepSpec, options: SweepOptions): ValidatedSpec {
  const sampler = spec.sampler ?? 'grid';
  if (!SAMPLER_KINDS.includes(sampler)) throw new SweepError('INVALID_SAMPLER', `unknown sampler '${String(sampler)}' (${SAMPLER_KINDS.join(', ')})`, { field: 'sampler' });
  const type = spec.type ?? 'simple';
  const tier = spec.tier ?? 'free';
  const cap = comboCap(type, tier);
  const space = new ParameterSpace(spec.space);
  checkSweptNames(spec.target, space.names);
  // Every single value of every swept parameter must bind (pack ranges, number types).
  space.names.forEach((name, d) => {
    for (const v of space.values[d] ?? []) {
      try {
        bindPoint(spec.target, { [name]: v });
      } catch (e) {
        if (e instanceof SweepError) throw e;
        const err = e as { code?: unknown; message?: unknown };
        const unknown = err.code === 'PACK_OVERRIDE_UNKNOWN';
        throw new SweepError(unknown ? 'UNKNOWN_PARAMETER' : 'INVALID_SPACE', `parameter '${name}' = ${String(v)}: ${String(err.message)}`, { parameter: name, value: v, cause_code: err.code }, { cause: e });
      }
    }
  });
  const planned = planCount(space, sampler, spec.trials, options.enforceCaps === false ? Number.POSITIVE_INFINITY : cap);
  const blocks = spec.pboBlocks ?? 16;
  if (!Number.isInteger(blocks) || blocks < 0 || blocks % 2 !== 0) {
    throw new SweepError('INVALID_OPTIONS', `pboBlocks must be 0 or an even integer >= 2, got ${String(blocks)}`, { field: 'pboBlocks' });
  }
  const w = options.workers;
  if (w !== undefined && (!Number.isInteger(w) || w < 0 || w > 256)) throw new SweepError('INVALID_OPTIONS', `workers must be an integer in [0, 256], got ${String(w)}`, { field: 'workers' });
  const packGates = spec.target.kind === 'pack' ? { thresholds: spec.target.pack.gates.quality } : undefined;
  const gates = resolveGates(packGates, spec.gates);
  return { space, sampler, type, tier, cap, planned, gates, blocks };
}

export function validateSpec(bars: Bars, spec: SweepSpec, options: SweepOptions): ValidatedSpec {
  checkBars(bars);
  const v = validatePlan(spec, options);
  if (v.blocks > 0 && bars.length < 2 * v.blocks) {
    throw new SweepError('INSUFFICIENT_DATA', `${bars.length} bars are too few for ${v.blocks} CSCV blocks of at least 2 returns each (need ${2 * v.blocks}); pass pboBlocks: 0 to skip PBO`, { bars: bars.length, blocks: v.blocks });
  }
  return v;
}
