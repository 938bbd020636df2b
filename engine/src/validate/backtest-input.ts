/**
 * Validation inputs from a full backtest (runBacktest / runStrategyBacktest): the strategy's per-bar net
 * returns (bootstrap) and the backtest itself — bars, signals, config — for the permutation test, which
 * re-simulates it on permuted bars (statistic `strategy_net`: the observed Sharpe is the backtest's).
 */
import type { BacktestBars, BacktestResult, BacktestSignals } from '../backtest/index.js';
import { backtestReturns } from './net-returns.js';
import { validateRun, type ValidateRunInput, type ValidationPayload, type ValidationRecord } from './record.js';
import type { WalkForwardResult } from './walk-forward.js';

export { backtestReturns } from './net-returns.js';

export interface ValidateBacktestInput {
  readonly config: unknown;
  readonly runHash: string;
  /** The bars the backtest ran on. */
  readonly bars: BacktestBars;
  /** The entry/exit masks it ran with. */
  readonly signals: BacktestSignals;
  readonly result: BacktestResult;
  readonly walkForward?: WalkForwardResult;
  readonly permutationOptions?: ValidateRunInput['permutationOptions'];
  readonly bootstrapOptions?: ValidateRunInput['bootstrapOptions'];
}

/** Permutation test and bootstrap of one backtest (seeds from the config), plus an optional walk-forward, as a Validation row. */
export function validateBacktest(input: ValidateBacktestInput): { record: ValidationRecord; payload: ValidationPayload } {
  return validateRun({
    config: input.config,
    runHash: input.runHash,
    returns: backtestReturns(input.result),
    permutation: { bars: input.bars, signals: input.signals, config: input.result.config },
    periodsPerYear: input.result.periodsPerYear,
    ...(input.walkForward === undefined ? {} : { walkForward: input.walkForward }),
    ...(input.permutationOptions === undefined ? {} : { permutationOptions: input.permutationOptions }),
    ...(input.bootstrapOptions === undefined ? {} : { bootstrapOptions: input.bootstrapOptions }),
  });
}
