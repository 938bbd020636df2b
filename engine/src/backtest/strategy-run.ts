import type { Bars } from '../data/bars.js';
import { configHash, dataHash } from '../hash/index.js';
import type { IndicatorCache } from '../indicators/cache.js';
import { compileStrategy, type CompileContext } from '../strategy/index.js';
import { ENGINE_VERSION } from '../version.js';
import { resolveBacktestConfig, type BacktestConfig, type BacktestConfigInput } from './config.js';
import { runBacktest, type BacktestResult } from './run.js';
import type { BacktestSummary, ResultStore } from './store.js';

export interface StrategyBacktestRequest {
  readonly bars: Bars;
  /** The data snapshot hash; computed from the bars (engine/src/hash dataHash) when absent. */
  readonly dataHash?: string;
  readonly entry: string;
  readonly exit: string;
  /** Parameter values; every name here is also declared as a parameter of the rules. */
  readonly params?: Readonly<Record<string, number>>;
  /** Aliases, external series names, declared parameter defaults, registry. */
  readonly context?: CompileContext;
  readonly series?: Readonly<Record<string, Float64Array>>;
  readonly config?: BacktestConfigInput;
  readonly indicators?: IndicatorCache;
  /** With a store, a run whose hash is already stored is not simulated again. */
  readonly store?: ResultStore;
}

export interface StrategyBacktestOutcome {
  readonly summary: BacktestSummary;
  /** The full records; undefined when the summary was reused from the store. */
  readonly result: BacktestResult | undefined;
  readonly reused: boolean;
}

/**
 * run_hash = sha256(canonical JSON of {engine_version, data_hash, strategy, backtest}) where
 * strategy = {entry, exit, params (all declared, with the values used), aliases, series names}
 * and backtest = the resolved config (every default filled in).
 */
export function runHash(input: { dataHash: string; entry: string; exit: string; params: Readonly<Record<string, number>>; aliases?: Readonly<Record<string, string>>; series?: readonly string[]; config: BacktestConfig }): string {
  return configHash({
    engine_version: ENGINE_VERSION,
    data_hash: input.dataHash,
    strategy: { entry: input.entry, exit: input.exit, params: input.params, aliases: input.aliases ?? {}, series: [...(input.series ?? [])] },
    backtest: input.config,
  });
}

/** Compile the rules, evaluate them, run the full backtest; reuse a stored result with the same run_hash. */
export async function runStrategyBacktest(req: StrategyBacktestRequest): Promise<StrategyBacktestOutcome> {
  const cfg = resolveBacktestConfig(req.config);
  const params = { ...(req.context?.params ?? {}), ...(req.params ?? {}) };
  const ctx: CompileContext = { ...req.context, params };
  const strategy = compileStrategy({ entry: req.entry, exit: req.exit }, ctx); // validates before anything else
  const data_hash = req.dataHash ?? dataHash(req.bars);
  const run_hash = runHash({ dataHash: data_hash, entry: req.entry, exit: req.exit, params, aliases: ctx.aliases, series: ctx.series, config: cfg });
  const stored = await req.store?.get(run_hash);
  if (stored !== undefined) return { summary: stored, result: undefined, reused: true };
  const signals = strategy.evaluate({ bars: req.bars, params, series: req.series, indicators: req.indicators });
  const result = runBacktest(req.bars, signals, cfg);
  const summary: BacktestSummary = {
    ...result.metrics,
    run_hash,
    data_hash,
    engine_version: ENGINE_VERSION,
    bars: req.bars.length,
    trades: result.metrics.total_trades,
    status: result.status,
  };
  await req.store?.put(summary);
  return { summary, result, reused: false };
}
