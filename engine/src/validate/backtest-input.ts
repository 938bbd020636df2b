/**
 * Validation inputs from a full backtest (runBacktest / runStrategyBacktest): the strategy's per-bar net
 * returns (bootstrap) and the market returns under its exposures (permutation test), then the Validation row.
 */
import type { BacktestResult } from '../backtest/run.js';
import { exposureFromBacktest } from './permutation.js';
import { validateRun, type ValidateRunInput, type ValidationPayload, type ValidationRecord } from './record.js';
import type { WalkForwardResult } from './walk-forward.js';

/** Per-bar net returns of a run: equity[t] / equity[t−1] − 1 with equity[−1] = the initial capital (as the sweep's DSR inputs). */
export function backtestReturns(result: Pick<BacktestResult, 'bars' | 'config'>): Float64Array {
  const eq = result.bars.equity;
  const out = new Float64Array(eq.length);
  let prev = result.config.initialCapital;
  for (let t = 0; t < eq.length; t++) {
    const e = eq[t] as number;
    out[t] = prev > 0 ? e / prev - 1 : 0;
    prev = e;
  }
  return out;
}

export interface ValidateBacktestInput {
  readonly config: unknown;
  readonly runHash: string;
  /** The bars' closes the backtest ran on. */
  readonly close: ArrayLike<number>;
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
    permutation: exposureFromBacktest(input.close, input.result.bars, input.result.config.contractMultiplier),
    periodsPerYear: input.result.periodsPerYear,
    ...(input.walkForward === undefined ? {} : { walkForward: input.walkForward }),
    ...(input.permutationOptions === undefined ? {} : { permutationOptions: input.permutationOptions }),
    ...(input.bootstrapOptions === undefined ? {} : { bootstrapOptions: input.bootstrapOptions }),
  });
}
