import type { BarField, Bars } from '../data/bars.js';

/**
 * The indicator contract (vectorbt's indicator-factory idea, TA-Lib's numbers).
 * Every indicator is a pure kernel over float64 columns: NaN before its first valid bar,
 * TA-Lib's formula and seeding after it. `defineIndicator` builds one from a kernel.
 */
export interface ParamDef {
  readonly name: string;
  readonly kind: 'int' | 'float';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description?: string;
}

export type IndicatorParams = Readonly<Record<string, number>>;

export interface IndicatorDef {
  /** Lower-case name used in expressions and specs: `sma`, `macd`, `bbands`. */
  readonly name: string;
  readonly description: string;
  /** Bar fields the kernel reads, in order. */
  readonly inputs: readonly BarField[];
  readonly params: readonly ParamDef[];
  /** Output keys, in order: `['value']`, or e.g. `['macd', 'signal', 'hist']`. */
  readonly outputs: readonly string[];
  /** Index of the first valid output bar for these params (TA-Lib's lookback). */
  lookback(params: IndicatorParams): number;
  /** Column names for CSV output and expressions, one per output: `sma_20`, `macd_signal_12_26_9`. */
  columns(params: IndicatorParams): readonly string[];
  /** Compute every output. Validates params (typed error naming the parameter). */
  compute(bars: Pick<Bars, BarField | 'ts' | 'length'>, params: IndicatorParams): readonly Float64Array[];
}
