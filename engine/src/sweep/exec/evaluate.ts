/**
 * Evaluates combinations of one sweep job: binds each point, compiles rules once per distinct
 * (entry, exit, aliases, declared parameters), resolves and prepares each distinct backtest config
 * once, evaluates the signals through a bounded shared indicator store and runs the simulator.
 * The same code runs inside the pool's workers and inline (workers: 0).
 */
import { resolveBacktestConfig, type BacktestConfig } from '../../backtest/config.js';
import { MarketPrefix } from '../../backtest/market.js';
import { prepareBacktest } from '../../backtest/run.js';
import type { SignalSource } from '../../backtest/signals.js';
import type { Prepared } from '../../backtest/simulate.js';
import { canonicalJson, Sha256Prefix } from '../../hash/index.js';
import { compileStrategy, type CompiledStrategy } from '../../strategy/index.js';
import { SeriesSummaries } from '../../strategy/pair-signals.js';
import { ScanArena } from '../../strategy/scan-wasm.js';
import { BoundedIndicatorSource } from './indicator-source.js';
import { K_METRICS, RESULT_METRICS, type EvalResult, type SweepJob } from './protocol.js';
import { ReturnBlocks } from './returns.js';
import type { BoundRun } from './target.js';

/**
 * A resolved backtest config with its preparation, and the canonical JSON of a combination's
 * hashed config up to its params (`{"aliases":…,"backtest":…,"entry":…,"exit":…,"params":`):
 * params sort last, so the config_hash of a combination is sha256 of that head, the canonical
 * JSON of its params and `}`, the same bytes as `configHash` of the whole object.
 */
interface PreparedConfig { readonly cfg: BacktestConfig; readonly prep: Prepared; readonly heads: Map<string, Sha256Prefix> }

/** Below this many bars a job's indicator values stay plain arrays (the JavaScript scan is as fast there). */
const MIN_ARENA_BARS = 64;
/** At most this many arena slots (short series: the budget would allow far more than a sweep reads). */
const MAX_ARENA_SLOTS = 2048;

/**
 * Compiled rules of this thread, kept across sweep jobs (a compiled strategy depends on its rules,
 * aliases and declared parameters only, never on the bars). Reusing the same objects from one
 * sweep to the next also keeps V8's optimized code for them: new but equal objects made it drop
 * and recompile the evaluation path at every sweep.
 */
const THREAD_STRATEGIES = new Map<string, CompiledStrategy>();
const MAX_THREAD_STRATEGIES = 256;

export class JobEvaluator {
  readonly source: BoundedIndicatorSource;
  private readonly configs = new Map<string, PreparedConfig>();
  private readonly returns: ReturnBlocks;
  private readonly signals: { entry: Uint8Array; exit: Uint8Array };
  /**
   * Block summaries of the series crossover rules read (the job's bars and indicator values never
   * change), and the arena the indicator values live in for the WebAssembly crossover scan.
   */
  private readonly summaries: SeriesSummaries;
  /** The last strategyFor answer, by the identity of the run's objects (see strategyFor). */
  private lastStrategy: { aliases: unknown; declared: unknown; entry: string; exit: string; found: { strategy: CompiledStrategy; key: string } } | undefined;
  /** configFor answers by backtest object (runs of a task share it): no JSON text per run. */
  private readonly configByObject = new WeakMap<object, PreparedConfig>();

  constructor(readonly job: SweepJob) {
    // Indicator values of the bars' length go to WebAssembly memory slots (as many as the budget
    // holds) when the runtime has WebAssembly SIMD; series too short to gain stay plain arrays.
    const n = job.bars.length;
    const arena = n >= MIN_ARENA_BARS ? ScanArena.create(n, Math.min(MAX_ARENA_SLOTS, Math.floor(job.cacheBytes / (8 * n))), job.cacheBytes) ?? undefined : undefined;
    this.source = new BoundedIndicatorSource(job.cacheBytes, arena);
    this.summaries = new SeriesSummaries(arena);
    this.returns = new ReturnBlocks(job.bars.length, Math.max(1, job.blocks), job.market === undefined ? undefined : { close: job.bars.close, prefix: new MarketPrefix(job.market) });
    this.signals = { entry: new Uint8Array(job.bars.length), exit: new Uint8Array(job.bars.length) };
  }

  // Cache keys are JSON.stringify texts (native, fast): a run whose objects list their keys in
  // another order only misses the cache and compiles or resolves again (the canonical forms and
  // hashes do not depend on these keys).
  private strategyFor(run: BoundRun): { strategy: CompiledStrategy; key: string } {
    // Runs of one task share their aliases and declared objects (target.ts): the last answer is
    // reused when they are the same objects and the rules the same text.
    const last = this.lastStrategy;
    if (last !== undefined && last.aliases === run.aliases && last.declared === run.declared && last.entry === run.entry && last.exit === run.exit) return last.found;
    const found = this.strategyByKey(run);
    this.lastStrategy = { aliases: run.aliases, declared: run.declared, entry: run.entry, exit: run.exit, found };
    return found;
  }

  private strategyByKey(run: BoundRun): { strategy: CompiledStrategy; key: string } {
    const key = `${run.entry}\u0000${run.exit}\u0000${JSON.stringify(run.aliases)}\u0000${JSON.stringify(run.declared)}`;
    let s = THREAD_STRATEGIES.get(key);
    if (s === undefined) {
      s = compileStrategy({ entry: run.entry, exit: run.exit }, { params: run.declared, aliases: run.aliases });
      if (THREAD_STRATEGIES.size >= MAX_THREAD_STRATEGIES) THREAD_STRATEGIES.clear();
      THREAD_STRATEGIES.set(key, s);
    }
    return { strategy: s, key };
  }

  private configFor(input: object): PreparedConfig {
    const known = this.configByObject.get(input);
    if (known !== undefined) return known;
    const c = this.configByKey(input);
    this.configByObject.set(input, c);
    return c;
  }

  private configByKey(input: object): PreparedConfig {
    const key = JSON.stringify(input);
    let c = this.configs.get(key);
    if (c === undefined) {
      const cfg = resolveBacktestConfig(input);
      c = { cfg, prep: prepareBacktest(this.job.bars, cfg), heads: new Map() };
      this.configs.set(key, c);
    }
    return c;
  }

  /** finalize.ts comboConfigHash of a bound run whose backtest config resolved to `c.cfg`. */
  private hashOf(run: BoundRun, strategyKey: string, c: PreparedConfig): string {
    let head = c.heads.get(strategyKey);
    if (head === undefined) {
      const whole = canonicalJson({ entry: run.entry, exit: run.exit, aliases: run.aliases, params: {}, backtest: c.cfg });
      // Drop "{}}" (the empty params and the closing brace); the head is hashed once.
      head = new Sha256Prefix(whole.slice(0, whole.length - 3));
      c.heads.set(strategyKey, head);
    }
    return head.hex(`${canonicalJson(run.params)}}`);
  }

  /** A run's compiled rules (by key), prepared config and signals; starts a combination of the indicator cache. */
  private signalsOf(run: BoundRun): { key: string; pc: PreparedConfig; sig: SignalSource } {
    const { strategy, key } = this.strategyFor(run);
    this.source.beginCombination();
    const pc = this.configFor(run.backtest);
    return { key, pc, sig: strategy.signals({ bars: this.job.bars, params: run.params, indicators: this.source }, this.signals, this.summaries) };
  }

  /**
   * Evaluates one run; writes K_METRICS values at metrics[mOff] and 2S sums at blocks[bOff];
   * returns the run's config_hash. Throws on failure.
   */
  evaluateInto(run: BoundRun, metrics: Float64Array, mOff: number, blocks: Float64Array, bOff: number): string {
    const { key, pc, sig } = this.signalsOf(run);
    const { cfg, prep } = pc;
    const S = this.job.blocks;
    const sums = S > 0 ? blocks.subarray(bOff, bOff + 2 * S) : new Float64Array(2);
    const m = this.returns.run(this.job.bars, sig, cfg, prep, sums);
    for (let k = 0; k < K_METRICS; k++) metrics[mOff + k] = m[RESULT_METRICS[k] as keyof typeof m];
    return this.hashOf(run, key, pc);
  }

  /**
   * Ends this evaluator: its indicator arena goes back to the thread (the next job's evaluator
   * reuses the memory and the kernel). It must not be used afterwards.
   */
  dispose(): void {
    this.source.arena?.close();
  }

  /** Per-bar returns of a run (for the winner's moments): one more backtest, on the recording path only. */
  returnsOf(run: BoundRun): Float64Array {
    const { pc, sig } = this.signalsOf(run);
    return this.returns.returnsOf(this.job.bars, sig, pc.cfg, pc.prep);
  }

  periodsPerYear(run: BoundRun): number {
    return this.configFor(run.backtest).prep.periodsPerYear;
  }

  evaluate(ids: readonly number[], points: readonly BoundRun[]): EvalResult {
    const S = this.job.blocks;
    const metrics = new Float64Array(ids.length * K_METRICS).fill(Number.NaN);
    const blocks = new Float64Array(ids.length * 2 * S);
    const errors: { id: number; code: string; message: string }[] = [];
    const hashes: string[] = [];
    const h0 = this.source.hits;
    const m0 = this.source.misses;
    points.forEach((p, i) => {
      try {
        hashes.push(this.evaluateInto(p, metrics, i * K_METRICS, blocks, i * 2 * S));
      } catch (e) {
        hashes.push('');
        metrics.fill(Number.NaN, i * K_METRICS, (i + 1) * K_METRICS);
        const err = e as { code?: unknown; message?: unknown };
        errors.push({ id: ids[i] ?? -1, code: typeof err.code === 'string' ? err.code : 'INTERNAL', message: typeof err.message === 'string' ? err.message : String(e) });
      }
    });
    return { ids, metrics, blocks, errors, hashes, cache: { hits: this.source.hits - h0, misses: this.source.misses - m0 } };
  }
}
