/**
 * `runSweep(bars, spec, options)`: the public entry point. Validates everything first (caps,
 * space, names, data), then runs the plan on the worker pool, then ranks, gates, prunes and
 * computes DSR and PBO. Cancelled sweeps resolve with status `cancelled` and the partial results.
 */
import { MarketPrefix } from '../backtest/market.js';
import type { Bars } from '../data/bars.js';
import { configHash, dataHash } from '../hash/index.js';
import { SweepError, toSweepErrorRecord, type SweepErrorRecord } from './errors.js';
import { drive, type DriveOutcome, type RawCombo } from './exec/driver.js';
import { JobEvaluator } from './exec/evaluate.js';
import { defaultWorkers, sharedSweepPool } from './exec/pool.js';
import type { SharedBars, SweepJob } from './exec/protocol.js';
import { applyPareto, PboPrefill, rankResults, RowBuilder, startPbo, statistics, type Statistics } from './finalize.js';
import { autoHeatmap, type HeatmapData } from './leaderboard/heatmap.js';
import { leaderboardEntries } from './leaderboard/rank.js';
import type { ComboResult, LeaderboardEntry } from './leaderboard/types.js';
import { KendallEarlyStop, type KendallCheck } from './pruning/kendall.js';
import { createSampler } from './samplers/index.js';
import { validateSpec, type SweepOptions, type SweepSpec } from './spec.js';
import type { SweepStatus } from './types.js';
import type { GateThresholds, GateTolerances } from './gates/gates.js';
import type { PlanTier, SweepType } from './caps.js';
import type { SamplerKind } from './samplers/types.js';

export interface SweepResult {
  readonly sweep_id: string;
  readonly status: SweepStatus;
  readonly type: SweepType;
  readonly tier: PlanTier;
  readonly combo_cap: number;
  readonly caps_enforced: boolean;
  readonly sampler: SamplerKind;
  readonly seed: number;
  readonly params: readonly string[];
  /** Combinations the sampler planned. */
  readonly planned: number;
  /** Combinations run (successful or failed). */
  readonly evaluated: number;
  readonly failed: number;
  readonly pruning_used: boolean;
  readonly pruning: {
    readonly pareto: { readonly enabled: boolean; readonly pruned: number };
    readonly kendall: { readonly enabled: boolean; readonly stopped: boolean; readonly skipped: number; readonly checks: readonly KendallCheck[] };
  };
  readonly gates: { readonly thresholds: GateThresholds; readonly tolerances: GateTolerances; readonly pass: number; readonly marginal: number; readonly fail: number };
  /** Every combination run, in leaderboard order (rank 1 first). */
  readonly results: readonly ComboResult[];
  readonly leaderboard: readonly LeaderboardEntry[];
  readonly heatmap: HeatmapData | undefined;
  readonly statistics: Statistics;
  readonly errors: readonly SweepErrorRecord[];
  readonly data: { readonly symbol: string; readonly interval: string; readonly bars: number; readonly data_hash: string };
  readonly timing: { readonly seconds: number; readonly combos_per_second: number; readonly workers: number };
  readonly cache: { readonly hits: number; readonly misses: number };
}

function sharedArray(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

function shareColumn(a: Float64Array): Float64Array {
  const out = sharedArray(a.length);
  out.set(a);
  return out;
}

function shareBars(bars: Bars, pool: boolean): SharedBars {
  const col = (a: Float64Array): Float64Array => (pool ? shareColumn(a) : a);
  return { symbol: bars.symbol, interval: bars.interval, length: bars.length, ts: col(bars.ts), open: col(bars.open), high: col(bars.high), low: col(bars.low), close: col(bars.close), volume: col(bars.volume) };
}

let tokenCounter = 0;

/**
 * Largest default task: 256 combinations. Each task costs the main thread ~0.3-0.5 ms (piscina, the
 * structured clone of its bound runs, collecting the answer) and shares its 2 cores with the
 * workers: 10,000 combinations in tasks of 32 took ~150 ms of main-thread CPU, of 128 ~100 ms; of
 * 256, main-thread CPU while driving 86 -> 80 ms against 128 (medians of 8, warm). The guided
 * chunks still shrink toward the end, so the workers finish together.
 */
const MAX_CHUNK = 256;

/** Indicator cache budget of the main thread's evaluator when a pool does the bulk of the work. */
const MAIN_CACHE_BYTES = 32 * 1024 * 1024;

export async function runSweep(bars: Bars, spec: SweepSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const v = validateSpec(bars, spec, options);
  const dHash = dataHash(bars);
  const seed = spec.seed ?? 0;
  const { target: _t, ...specRest } = spec;
  const targetKey = spec.target.kind === 'pack' ? { pack: spec.target.pack.pack_id, version: spec.target.pack.version, strategy: spec.target.strategy ?? null, overrides: spec.target.overrides ?? {}, backtest: spec.target.backtest ?? {} } : spec.target;
  const sweepId = spec.sweepId ?? `sw_${configHash({ spec: { ...specRest, target: targetKey }, data: dHash }).slice(0, 24)}`;
  if (options.signal?.aborted === true) throw new SweepError('CANCELLED', 'the sweep was cancelled before it started', { sweep_id: sweepId });

  const workers = options.workers ?? defaultWorkers();
  const kendallOpt = spec.pruning?.kendall;
  const kendall = kendallOpt === undefined || kendallOpt === false ? undefined : new KendallEarlyStop(kendallOpt === true ? {} : kendallOpt);
  const sampler = createSampler(v.sampler, v.space, { seed, ...(spec.trials === undefined ? {} : { trials: spec.trials }) });
  // Default: guided chunks of at most MAX_CHUNK (exec/driver.ts), about 16 tasks per worker for small sweeps.
  const chunkSize = options.chunkSize ?? Math.min(MAX_CHUNK, Math.max(1, Math.ceil(v.planned / (Math.max(1, workers) * 16))));
  const shared = shareBars(bars, workers > 0);
  const job: SweepJob = {
    token: `${sweepId}#${process.pid}#${++tokenCounter}`, bars: shared, blocks: v.blocks, cacheBytes: options.cacheBytes ?? Math.max(32, Math.floor(256 / Math.max(1, workers))) * 1024 * 1024,
    // Beside a pool, the close prefix sums once, in shared memory, for every worker (and this thread's DSR run).
    ...(workers > 0 ? { market: new MarketPrefix(shared.close, sharedArray).parts } : {}),
  };
  // Rows are built as results arrive (this thread is mostly idle while the workers evaluate).
  const rowBuilder = new RowBuilder(spec.target, v.gates);
  // The PBO's input too, when every planned combination will run (no Kendall stop).
  const pboFill = v.blocks > 0 && kendall === undefined && v.planned >= 2 ? new PboPrefill(v.blocks, v.planned, bars.length, workers > 0) : undefined;
  // Streaming (SweepOptions.onCombinations): the final rows' fields, without rank and kept.
  let hookError: unknown;
  const hook = options.onCombinations;
  const onCombos = hook === undefined ? undefined : (raw: readonly RawCombo[]): void => {
    if (hookError !== undefined) return;
    try {
      hook(rowBuilder.rowsOf(raw).map(({ rank: _r, kept: _k, ...row }) => row));
    } catch (e) {
      hookError = e;
      controller?.abort();
    }
  };
  const controller = hook === undefined ? undefined : new AbortController();
  const signal = controller === undefined ? options.signal : (options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]));
  // The process's shared pool: kept after the sweep for the next one (exec/pool.ts).
  const pool = workers > 0 ? sharedSweepPool(Math.min(workers, Math.max(1, Math.ceil(v.planned / chunkSize)))) : undefined;
  // This thread's evaluator: the whole sweep without a pool, then the winner's extra run for the DSR
  // (reusing its compiled rules and indicators). Beside a pool it runs only the winner: a small cache.
  const main = new JobEvaluator({ ...job, token: `${job.token}#main`, cacheBytes: pool === undefined ? job.cacheBytes : Math.min(job.cacheBytes, MAIN_CACHE_BYTES) });
  const outcome = await drive(job, sampler, {
    target: spec.target, pool, workers: Math.max(1, workers), chunkSize, guided: options.chunkSize === undefined, tpeBatch: options.tpeBatch ?? 16, signal, kendall,
    onProgress: options.onProgress, progressIntervalMs: options.progressIntervalMs ?? 500, sweepId, onCombos, main,
    onAccepted: (raw) => { rowBuilder.add(raw); pboFill?.add(raw); },
  });
  if (hookError !== undefined) {
    throw new SweepError('STORE_FAILED', `the onCombinations hook threw: ${hookError instanceof Error ? hookError.message : JSON.stringify(hookError)}`, { sweep_id: sweepId }, { cause: hookError });
  }
  return await finish(outcome);

  async function finish(outcome: DriveOutcome): Promise<SweepResult> {
    // Progress keeps coming (phase 'statistics') while rows, ranks, DSR and PBO are computed.
    const finalizing = (phase: 'statistics' | 'done'): void => options.onProgress?.({
      sweep_id: sweepId, done: outcome.combos.length, total: outcome.combos.length, progress: 1,
      elapsed_ms: performance.now() - started, eta_ms: phase === 'done' ? 0 : Number.NaN, best: outcome.best, phase,
    });
    const statsTimer = options.onProgress === undefined ? undefined : setInterval(() => finalizing('statistics'), options.progressIntervalMs ?? 500);
    try {
      // PBO first (on the pool's workers when there is one; its input was written while driving).
      const pboStart = startPbo(outcome.combos, v.blocks, bars.length, pool === undefined ? undefined : async (st) => pool.pbo(st), pool !== undefined, pboFill);
      // On the pool, this thread waits for the PBO before its own work (ranks, leaderboard, heatmap,
      // the DSR's run): working beside the workers' PBO shares, three threads on a 2-core machine,
      // slowed all three by more than this thread's work (bench:sweep-overhead, 10,000 bars, warm,
      // medians of 8: PBO shares 306 -> 212 ms, this thread's CPU after the drive 90 -> 65 ms,
      // process CPU 1805 -> 1780 ms, finish 315 -> 302 ms). A PBO failure is thrown by `statistics`.
      if (pool !== undefined && pboStart.run !== undefined) await pboStart.run.catch(() => undefined);
      const rows = rowBuilder.rowsOf(outcome.combos);
      const errors: SweepErrorRecord[] = [];
      for (const r of rows) {
        if (r.error !== undefined) errors.push(toSweepErrorRecord(sweepId, new SweepError('COMBO_FAILED', `combination ${r.combo_id} failed: ${r.error.code}: ${r.error.message}`, { combo_id: r.combo_id, params: r.params, cause_code: r.error.code })));
      }
      const failed = errors.length;
      if (rows.length > 0 && failed === rows.length) {
        throw new SweepError('ALL_COMBOS_FAILED', `all ${rows.length} combinations failed; first: ${rows[0]?.error?.code ?? ''}: ${rows[0]?.error?.message ?? ''}`, { sweep_id: sweepId, errors: errors.slice(0, 5) });
      }
      if (outcome.cancelled) errors.push(toSweepErrorRecord(sweepId, new SweepError('CANCELLED', `cancelled after ${rows.length} of ${v.planned} combinations; partial results kept`, { done: rows.length, planned: v.planned })));
      const paretoOn = spec.pruning?.pareto === true;
      const pruned = paretoOn ? applyPareto(rows) : 0;
      const ranked = rankResults(rows);
      const counts = { PASS: 0, MARGINAL: 0, FAIL: 0 };
      for (const r of ranked) counts[r.gate.status]++;
      const leaderboard = leaderboardEntries(sweepId, ranked);
      const heatmap = autoHeatmap(v.space.names, ranked);
      // Last: the DSR's run, then the wait for the PBO (everything above overlapped it).
      const stats = await statistics(spec.target, ranked, pboStart, main);
      const stopped = outcome.stoppedAt !== undefined;
      const seconds = (performance.now() - started) / 1000;
      const result: SweepResult = {
        sweep_id: sweepId,
        status: outcome.cancelled ? 'cancelled' : 'completed',
        type: v.type, tier: v.tier, combo_cap: v.cap, caps_enforced: options.enforceCaps !== false,
        sampler: v.sampler, seed,
        params: v.space.names,
        planned: v.planned,
        evaluated: rows.length,
        failed,
        pruning_used: paretoOn || kendall !== undefined,
        pruning: {
          pareto: { enabled: paretoOn, pruned },
          kendall: { enabled: kendall !== undefined, stopped, skipped: stopped ? v.planned - rows.length : 0, checks: kendall?.history ?? [] },
        },
        gates: { ...v.gates, pass: counts.PASS, marginal: counts.MARGINAL, fail: counts.FAIL },
        results: ranked,
        leaderboard,
        heatmap,
        statistics: stats,
        errors,
        data: { symbol: bars.symbol, interval: bars.interval, bars: bars.length, data_hash: dHash },
        timing: { seconds, combos_per_second: rows.length / seconds, workers },
        cache: outcome.cache,
      };
      if (options.store !== undefined) {
        try {
          await options.store.writeCombos(sweepId, ranked);
          const { results: _r, leaderboard: _l, heatmap: _h, statistics, ...run } = result;
          await options.store.writeRun?.(sweepId, { ...run, statistics: { ...statistics, pbo_logits: null } });
        } catch (e) {
          throw new SweepError('STORE_FAILED', `writing the sweep results failed: ${e instanceof Error ? e.message : String(e)}`, { sweep_id: sweepId }, { cause: e });
        }
      }
      finalizing('done');
      return result;
    } finally {
      if (statsTimer !== undefined) clearInterval(statsTimer);
      // Its indicator arena goes back to this thread for the next sweep (scan-wasm.ts).
      main.dispose();
    }
  }
}
