/**
 * What a sweep runs: either explicit rules (entry/exit expressions with declared parameters) or a
 * pack strategy. `bindPoint` turns one parameter point into the concrete run (expression text,
 * aliases, parameter values, backtest config) on the main thread; workers receive bound runs only,
 * so they never load the pack schema. Pure and deterministic.
 *
 * Swept names: a declared strategy parameter (rules) or any pack override key (`rsi.period`,
 * `risk.stop_loss`, a level or strategy parameter), plus the backtest settings below, available to
 * both kinds.
 */
import type { BacktestConfigInput, SizingConfig } from '../../backtest/config.js';
import type { Pack } from '../../packs/index.js';
import { resolveStrategy } from '../../packs/index.js';
import { SweepError } from '../errors.js';
import type { ParamValue } from '../space/domain.js';
import type { ParamPoint } from '../space/space.js';

export type SweepTarget =
  | {
      readonly kind: 'rules';
      readonly entry: string;
      readonly exit: string;
      /** Declared strategy parameters with their defaults. */
      readonly params?: Readonly<Record<string, number>>;
      readonly aliases?: Readonly<Record<string, string>>;
      readonly backtest?: BacktestConfigInput;
    }
  | {
      readonly kind: 'pack';
      readonly pack: Pack;
      readonly strategy?: string;
      /** Fixed overrides applied before the swept ones. */
      readonly overrides?: Readonly<Record<string, number>>;
      /** Backtest settings applied over the pack's policies (e.g. the CLI's --fill, --fee-bps). */
      readonly backtest?: BacktestConfigInput;
    };

/** Sweepable backtest settings: sweep name -> how it sets the config. */
export const BACKTEST_PARAMS: Readonly<Record<string, string>> = {
  fee_bps: 'commissionBps',
  commission_fixed: 'commissionFixed',
  slippage_bps: 'slippageBps',
  stop_loss: 'stopLoss',
  take_profit: 'takeProfit',
  trailing_stop: 'trailingStop',
  time_stop_bars: 'timeStopBars',
  size_fraction: 'sizing.fraction',
  fill: 'fill',
  direction: 'direction',
};

/** One combination, bound: plain data (it is posted to the workers, which never load packs). */
export interface BoundRun {
  readonly entry: string;
  readonly exit: string;
  /** Aliases of the compile context (pack indicator/feature columns). */
  readonly aliases: Readonly<Record<string, string>>;
  /** Declared parameters with their compile-time defaults. */
  readonly declared: Readonly<Record<string, number>>;
  /** Parameter values of this combination. */
  readonly params: Readonly<Record<string, number>>;
  readonly backtest: BacktestConfigInput;
}

function applyBacktestParam(cfg: Record<string, unknown>, name: string, v: ParamValue): void {
  const field = BACKTEST_PARAMS[name];
  if (field === undefined) return;
  if (field === 'fill' || field === 'direction') {
    cfg[field] = v;
  } else if (field === 'sizing.fraction') {
    const sizing: SizingConfig = { mode: 'fixed_fraction', fraction: Number(v) };
    cfg['sizing'] = sizing;
  } else {
    cfg[field] = v;
  }
}

/**
 * Shared by every run bound from the same target when nothing about them differs: a task's runs then
 * reference one object, which the structured clone of the task (to a worker) writes once, not once
 * per run. Frozen: no one may change them.
 */
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

export function bindPoint(target: SweepTarget, point: ParamPoint): BoundRun {
  const bt: Record<string, unknown> = {};
  let sweptBacktest = false;
  const strategyValues: Record<string, number> = {};
  // Object.keys, not Object.entries: no [name, value] array per parameter (this runs per combination).
  for (const name of Object.keys(point)) {
    const v = point[name] as ParamPoint[string];
    if (BACKTEST_PARAMS[name] !== undefined) { applyBacktestParam(bt, name, v); sweptBacktest = true; }
    else if (typeof v === 'number') strategyValues[name] = v;
    else throw new SweepError('INVALID_SPACE', `parameter '${name}' takes number values only, got '${String(v)}'`, { parameter: name });
  }
  if (target.kind === 'rules') {
    const params = { ...(target.params ?? {}), ...strategyValues };
    // No swept backtest setting: the target's own config object (read only), shared by every run.
    const backtest = sweptBacktest ? { ...(target.backtest ?? {}), ...bt } : (target.backtest ?? EMPTY);
    return { entry: target.entry, exit: target.exit, aliases: target.aliases ?? EMPTY, declared: target.params ?? EMPTY, params, backtest };
  }
  const r = resolveStrategy(target.pack, target.strategy ?? target.pack.default_strategy, { ...(target.overrides ?? {}), ...strategyValues });
  return { entry: r.entry, exit: r.exit, aliases: r.compile.aliases ?? {}, declared: r.compile.params ?? {}, params: r.params, backtest: { ...r.backtest, ...(target.backtest ?? {}), ...bt } };
}

/** Checks every swept name is known to the target (SWS-1008), before any work. */
export function checkSweptNames(target: SweepTarget, names: readonly string[]): void {
  for (const name of names) {
    if (BACKTEST_PARAMS[name] !== undefined) continue;
    if (target.kind === 'rules') {
      if (target.params?.[name] === undefined) {
        throw new SweepError('UNKNOWN_PARAMETER', `'${name}' is not a declared parameter of the rules (declared: ${Object.keys(target.params ?? {}).join(', ') || 'none'}; backtest settings: ${Object.keys(BACKTEST_PARAMS).join(', ')})`, { parameter: name });
      }
    }
  }
}
