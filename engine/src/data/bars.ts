/**
 * Bars: OHLCV in columns of float64, the one shape every part of the engine computes on.
 * Invariants (enforced where bars are made — import, snapshot load, synthetic generator):
 * `ts` holds epoch milliseconds UTC, strictly ascending; prices are finite and positive;
 * low <= min(open, close) <= max(open, close) <= high; volume is finite and >= 0.
 */
export type BarField = 'open' | 'high' | 'low' | 'close' | 'volume';

export const BAR_FIELDS: readonly BarField[] = ['open', 'high', 'low', 'close', 'volume'];

export interface Bars {
  /** Instrument symbol, e.g. `SPX`, `EURUSD`. */
  readonly symbol: string;
  /** Bar interval: `1m`, `5m`, `15m`, `1h`, `4h`, `1d`, `1w`, `1mo`. */
  readonly interval: string;
  /** Epoch milliseconds UTC, strictly ascending. */
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Number of bars (the length of every column). */
  readonly length: number;
}

/** The six columns and their length, without symbol and interval (raw, Parquet and shared-memory forms). */
export type BarColumns = Pick<Bars, 'length' | 'ts' | BarField>;
