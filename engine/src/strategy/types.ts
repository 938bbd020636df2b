import type { BarField, Bars } from '../data/bars.js';
import type { IndicatorCache } from '../indicators/cache.js';
import type { IndicatorDef } from '../indicators/types.js';

/** The indicator registry the compiler resolves names through (the engine's registry by default). */
export interface IndicatorLookup {
  get(name: string): IndicatorDef | undefined;
  list(): readonly IndicatorDef[];
}

export interface CompileContext {
  /** Indicator registry; defaults to the engine's registry. */
  readonly indicators?: IndicatorLookup;
  /**
   * Declared parameters with their default values. A bare identifier that names a declared
   * parameter is that parameter: `cross_above(sma(close, fast), sma(close, slow))`.
   */
  readonly params?: Readonly<Record<string, number>>;
  /** Pack-defined aliases: name -> expression text (e.g. `oversold: "30"`, `trend: "ema_20 > ema_50"`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Names of series supplied at evaluation time (`EvalInputs.series`), e.g. pack features. */
  readonly series?: readonly string[];
}

/** One indicator computation an expression needs (outputs are shared: the key omits the output). */
export interface IndicatorRequirement {
  readonly name: string;
  /** Fully resolved parameters (defaults filled in). */
  readonly params: Readonly<Record<string, number>>;
  /**
   * Inputs in `def.inputs` order, as canonical expression text: bar-field names (`close`) or a
   * sub-expression (`(close - open)`). `fieldsOnly` is true when every input is a bar field,
   * i.e. the computation can be shared through an indicator cache keyed by (name, params, fields).
   */
  readonly inputs: readonly string[];
  readonly fieldsOnly: boolean;
  /** Stable key: `sma(timeperiod=10)[close]`. */
  readonly key: string;
}

/** Where indicator arrays come from during evaluation: a cache shared across evaluations. */
export interface IndicatorSource {
  get(req: IndicatorRequirement, compute: () => readonly Float64Array[]): readonly Float64Array[];
}

export interface EvalInputs {
  readonly bars: Pick<Bars, BarField | 'ts' | 'length'>;
  /** Parameter values; missing names take the declared defaults. */
  readonly params?: Readonly<Record<string, number>>;
  /** Values of the `series` names declared at compile time, each of length `bars.length`. */
  readonly series?: Readonly<Record<string, Float64Array>>;
  /**
   * Indicator arrays shared across evaluations: the engine's `IndicatorCache` (used for
   * requirements over bar fields) or any `IndicatorSource`. Without it each evaluation computes
   * (memoized within the call, so entry and exit of one strategy share).
   */
  readonly indicators?: IndicatorCache | IndicatorSource;
}
