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

/** The columns `compute` reads: any Bars, or a plain object with these arrays. */
export type BarsInput = Pick<Bars, BarField | 'ts' | 'length'>;

export interface IndicatorDef {
  /** Lower-case name used in expressions and specs: `sma`, `macd`, `bbands`. */
  readonly name: string;
  readonly description: string;
  /** `indicator` (TA-Lib-style) or `feature` (a Sigmatiq feature built on indicators). */
  readonly kind: 'indicator' | 'feature';
  /** Bar fields the kernel reads, in order. */
  readonly inputs: readonly BarField[];
  /** True when the kernel also reads `ts` (VWAP's UTC-day reset). */
  readonly usesTime: boolean;
  readonly params: readonly ParamDef[];
  /** Output keys, in order: `['value']`, or e.g. `['macd', 'signal', 'hist']`. */
  readonly outputs: readonly string[];
  /** Index of the first bar where EVERY output is valid for these params (TA-Lib's lookback). */
  lookback(params: IndicatorParams): number;
  /** First valid bar per output (they differ for ADX: +DI/−DI start `period` bars in, ADX `2·period−1`). */
  lookbacks(params: IndicatorParams): readonly number[];
  /**
   * Column names for CSV output and expressions, one per output: `sma_20`, `macd_signal_12_26_9`.
   * With `source` (a single-input indicator over another field) the field is named: `sma_high_20`.
   */
  columns(params: IndicatorParams, source?: BarField): readonly string[];
  /** Defaults filled in, every value checked (throws `INDICATOR_PARAM` naming the parameter). */
  resolveParams(params: IndicatorParams): Readonly<Record<string, number>>;
  /** Compute every output. Validates params (typed error naming the parameter). */
  compute(bars: BarsInput, params: IndicatorParams): readonly Float64Array[];
  /**
   * Compute over explicit input arrays, ordered as `inputs` (e.g. `sma` over `high`, or over
   * another indicator's output). Leading NaNs in the inputs are skipped as TA-Lib's Python
   * wrapper does: the kernel starts at the first bar where every input is a number.
   * `ts` is required when `usesTime`.
   */
  computeFrom(inputs: readonly Float64Array[], params: IndicatorParams, ts?: Float64Array): readonly Float64Array[];
}
