/**
 * Walk-forward validation (docs/validation.md "Walk-forward"): for each window (windows.ts) the
 * sweep engine optimizes on the train part; the winner (leaderboard rank 1 among the combinations
 * that ran) is evaluated on the test part. Its signals are computed on bars [train start, test end)
 * — only bars up to the bar being decided, so the train part serves as indicator warm-up and
 * nothing after the test end is ever read — and the backtest runs on the test bars alone,
 * starting flat with the initial capital. The test parts' per-bar returns are chained into the
 * stitched out-of-sample equity curve.
 */
import { runBacktest, type BacktestResult } from '../backtest/run.js';
import type { Bars } from '../data/bars.js';
import { sliceBars } from '../data/make.js';
import { SigmatiqError } from '../errors.js';
import { configHash } from '../hash/index.js';
import { bindPoint } from '../sweep/exec/target.js';
import { runSweep } from '../sweep/run.js';
import type { SweepOptions, SweepSpec } from '../sweep/spec.js';
import type { ParamPoint } from '../sweep/space/space.js';
import { compileStrategy } from '../strategy/index.js';
import { cagrOf, sharpeOf } from './stats.js';
import type { StrategyPermutationInput } from './strategy-permutation.js';
import { computeWindows, type WalkWindow, type WindowSpec } from './windows.js';

export interface WalkForwardSpec extends WindowSpec {
  /** What to optimize on each train part (target, space, sampler, gates…); pboBlocks defaults to 0 here. */
  readonly sweep: Omit<SweepSpec, 'sweepId'>;
}

export interface WindowMetrics {
  readonly sharpe_ratio: number;
  readonly total_return: number;
  readonly annualized_return: number;
  readonly max_drawdown: number;
  readonly total_trades: number;
}

export interface WindowResult {
  readonly window: WalkWindow;
  readonly sweep_id: string;
  readonly combos: number;
  readonly winner: { readonly combo_id: number; readonly params: ParamPoint; readonly config_hash: string; readonly gate_status: string };
  readonly in_sample: WindowMetrics;
  readonly out_of_sample: WindowMetrics;
  /** (IS Sharpe − OOS Sharpe) / |IS Sharpe|; null when the IS Sharpe is 0. */
  readonly degradation: number | null;
}

export interface WalkForwardResult {
  readonly mode: 'rolling' | 'anchored';
  readonly train: string;
  readonly test: string;
  readonly step: string;
  readonly windows: readonly WindowResult[];
  /** Stitched out-of-sample curve: one point per test bar, in time order. */
  readonly stitched: { readonly ts: Float64Array; readonly equity: Float64Array; readonly window: Int32Array };
  readonly out_of_sample: { readonly sharpe_ratio: number; readonly cagr: number; readonly total_return: number; readonly max_drawdown: number; readonly bars: number };
  readonly is_sharpe_mean: number;
  readonly oos_sharpe_mean: number;
  /** (mean IS Sharpe − mean OOS Sharpe) / |mean IS Sharpe|; null when the mean IS Sharpe is 0. */
  readonly degradation: number | null;
  readonly spec_hash: string;
}

const pick = (m: { sharpe_ratio: number; total_return: number; annualized_return: number; max_drawdown: number; total_trades: number }): WindowMetrics => ({
  sharpe_ratio: m.sharpe_ratio, total_return: m.total_return, annualized_return: m.annualized_return, max_drawdown: m.max_drawdown, total_trades: m.total_trades,
});

const degradationOf = (is: number, oos: number): number | null => (is === 0 ? null : (is - oos) / Math.abs(is));

/** A backtest with what re-runs it (the permutation test's input): the test bars, the signals on them, the config. */
export type ReplayableBacktest = BacktestResult & { readonly run: StrategyPermutationInput };

/** Out-of-sample run of one parameter point on bars[test.start, test.end), warm-up from train.start. */
export function evaluateOutOfSample(bars: Bars, target: SweepSpec['target'], params: ParamPoint, w: Pick<WalkWindow, 'train' | 'test'>): ReplayableBacktest {
  const run = bindPoint(target, params);
  const strategy = compileStrategy({ entry: run.entry, exit: run.exit }, { params: run.declared, aliases: run.aliases });
  const history = sliceBars(bars, w.train.start, w.test.end);
  const sig = strategy.evaluate({ bars: history, params: run.params });
  const off = w.test.start - w.train.start;
  const testBars = sliceBars(bars, w.test.start, w.test.end);
  const signals = { entry: sig.entry.slice(off), exit: sig.exit.slice(off) };
  const result = runBacktest(testBars, signals, run.backtest);
  return { ...result, run: { bars: testBars, signals, config: result.config } };
}

export async function walkForward(bars: Bars, spec: WalkForwardSpec, options: SweepOptions = {}): Promise<WalkForwardResult> {
  const windows = computeWindows(bars.ts, spec);
  const results: WindowResult[] = [];
  const tsOut: number[] = [];
  const eqOut: number[] = [];
  const winOut: number[] = [];
  const oosReturns: number[] = [];
  let equity = Number.NaN;
  let startCapital = Number.NaN;
  let ppy = Number.NaN;
  for (const w of windows) {
    const trainBars = sliceBars(bars, w.train.start, w.train.end);
    const sweep = await runSweep(trainBars, { pboBlocks: 0, ...spec.sweep }, options);
    const best = sweep.results.find((r) => r.metrics !== undefined && r.error === undefined);
    if (best?.metrics === undefined) {
      throw new SigmatiqError('VALIDATION_WINDOW_FAILED', `walk-forward window ${w.index}: no combination ran on the train part`, { window: w.index, sweep_id: sweep.sweep_id });
    }
    const oos = evaluateOutOfSample(bars, spec.sweep.target, best.params, w);
    if (Number.isNaN(equity)) {
      equity = oos.config.initialCapital;
      startCapital = equity;
      ppy = oos.periodsPerYear;
    }
    let prev = oos.config.initialCapital;
    for (let i = 0; i < oos.bars.equity.length; i++) {
      const e = oos.bars.equity[i] as number;
      const r = prev > 0 ? e / prev - 1 : 0;
      prev = e;
      equity *= 1 + r;
      oosReturns.push(r);
      tsOut.push(bars.ts[w.test.start + i] as number);
      eqOut.push(equity);
      winOut.push(w.index);
    }
    const isM = pick(best.metrics);
    const oosM = pick(oos.metrics);
    results.push({
      window: w, sweep_id: sweep.sweep_id, combos: sweep.evaluated,
      winner: { combo_id: best.combo_id, params: best.params, config_hash: best.config_hash, gate_status: best.gate.status },
      in_sample: isM, out_of_sample: oosM, degradation: degradationOf(isM.sharpe_ratio, oosM.sharpe_ratio),
    });
  }
  let peak = Number.NEGATIVE_INFINITY;
  let maxDd = 0;
  for (const e of [startCapital, ...eqOut]) {
    peak = Math.max(peak, e);
    if (peak > 0) maxDd = Math.max(maxDd, (peak - e) / peak);
  }
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const isMean = mean(results.map((r) => r.in_sample.sharpe_ratio));
  const oosMean = mean(results.map((r) => r.out_of_sample.sharpe_ratio));
  return {
    mode: spec.anchored === true ? 'anchored' : 'rolling',
    train: spec.train, test: spec.test, step: spec.step ?? spec.test,
    windows: results,
    stitched: { ts: Float64Array.from(tsOut), equity: Float64Array.from(eqOut), window: Int32Array.from(winOut) },
    out_of_sample: { sharpe_ratio: sharpeOf(oosReturns, ppy), cagr: cagrOf(oosReturns, ppy), total_return: equity / startCapital - 1, max_drawdown: maxDd, bars: oosReturns.length },
    is_sharpe_mean: isMean,
    oos_sharpe_mean: oosMean,
    degradation: degradationOf(isMean, oosMean),
    spec_hash: configHash({ train: spec.train, test: spec.test, step: spec.step ?? null, anchored: spec.anchored === true, sweep: { ...spec.sweep, target: spec.sweep.target.kind === 'pack' ? { kind: 'pack', pack: spec.sweep.target.pack.pack_id, version: spec.sweep.target.pack.version, strategy: spec.sweep.target.strategy ?? null, overrides: spec.sweep.target.overrides ?? {}, backtest: spec.sweep.target.backtest ?? {} } : spec.sweep.target } }),
  };
}
