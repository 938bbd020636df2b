/**
 * The training job's out-of-sample backtest (docs/training.md "Out-of-sample backtest"): the strategy's
 * rules alone and the rules with entries kept only where the calibrated out-of-fold probability reaches
 * the threshold, both on the bars that have an out-of-fold probability, with the combination's backtest
 * settings (`size_fraction`, `fee_bps`, … — the sweep's BACKTEST_PARAMS) applied over the pack's policies
 * exactly as the sweep applied them (sweep/exec/target.ts `bindPoint`).
 */
import { runBacktest, type BacktestConfigInput, type BacktestMetrics } from '../backtest/index.js';
import type { Bars } from '../data/bars.js';
import type { Pack } from '../packs/index.js';
import { compileStrategy } from '../strategy/index.js';
import { bindPoint, BACKTEST_PARAMS } from '../sweep/exec/target.js';
import type { ParamValue } from '../sweep/space/domain.js';
import { trainError } from './errors.js';

export type BacktestParams = Readonly<Record<string, ParamValue>>;

export interface OosBacktest {
  /** The strategy's rules alone, on the bars that have an out-of-fold probability. */
  readonly strategy: BacktestMetrics;
  /** The rules with entries kept only where the calibrated out-of-fold probability ≥ threshold. */
  readonly filtered: BacktestMetrics;
  readonly entries: number;
  readonly entries_kept: number;
  /** The combination's backtest settings applied (sweep names; {} = the pack's policies alone). */
  readonly backtest_params: BacktestParams;
}

/**
 * Every name must be a sweepable backtest setting and every value a number, string or boolean (TRAIN_BAD_PARAM
 * naming it otherwise); values themselves are checked by the backtester (BACKTEST_CONFIG in the backtest step).
 */
export function checkBacktestParams(params: Readonly<Record<string, unknown>> | undefined): BacktestParams {
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (BACKTEST_PARAMS[name] === undefined) {
      throw trainError('TRAIN_BAD_PARAM', `'${name}' is not a backtest setting of a combination (known: ${Object.keys(BACKTEST_PARAMS).join(', ')})`, { parameter: `backtestParams.${name}`, value });
    }
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      throw trainError('TRAIN_BAD_PARAM', `backtest setting '${name}' must be a number, string or boolean`, { parameter: `backtestParams.${name}`, value: String(value) });
    }
    out[name] = value;
  }
  return out;
}

/** The OOS backtest's rules and config: the pack strategy at `overrides`, the backtest settings over its policies. */
export function oosRun(pack: Pack, strategy: string, overrides: Readonly<Record<string, number>>, params: BacktestParams): { entry: string; exit: string; aliases: Readonly<Record<string, string>>; declared: Readonly<Record<string, number>>; params: Readonly<Record<string, number>>; backtest: BacktestConfigInput } {
  return bindPoint({ kind: 'pack', pack, strategy, overrides }, params);
}

export function oosBacktest(bars: Bars, run: ReturnType<typeof oosRun>, barIndex: Int32Array, oof: Float64Array, threshold: number, params: BacktestParams): OosBacktest {
  const sig = compileStrategy({ entry: run.entry, exit: run.exit }, { params: run.declared, aliases: run.aliases }).evaluate({ bars, params: run.params });
  const n = bars.length;
  const covered = new Uint8Array(n);
  const probAt = new Float64Array(n).fill(NaN);
  barIndex.forEach((b, k) => {
    const p = oof[k] as number;
    if (!Number.isNaN(p)) {
      covered[b] = 1;
      probAt[b] = p;
    }
  });
  const base = new Uint8Array(n);
  const kept = new Uint8Array(n);
  let entries = 0;
  let entriesKept = 0;
  for (let i = 0; i < n; i++) {
    if ((sig.entry[i] as number) === 1 && (covered[i] as number) === 1) {
      base[i] = 1;
      entries++;
      if ((probAt[i] as number) >= threshold) {
        kept[i] = 1;
        entriesKept++;
      }
    }
  }
  return {
    strategy: runBacktest(bars, { entry: base, exit: sig.exit }, run.backtest).metrics,
    filtered: runBacktest(bars, { entry: kept, exit: sig.exit }, run.backtest).metrics,
    entries,
    entries_kept: entriesKept,
    backtest_params: { ...params },
  };
}
