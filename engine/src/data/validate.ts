import type { BarColumns } from './bars.js';

/**
 * Validation of raw source columns, in file order. Every rule names the first offending data row
 * (0-based index here; import.ts turns it into a 1-based file line or Parquet row).
 */
export interface RawColumns extends BarColumns {
  readonly nulls: Readonly<Record<'ts' | 'open' | 'high' | 'low' | 'close' | 'volume', Uint8Array>>;
}

export interface Violation {
  readonly code: string;
  readonly index: number;
  readonly column: string;
  readonly message: string;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

function fmt(x: number): string {
  return String(x);
}

/**
 * Row rules (each row checked in this order; the first failing rule is the row's violation):
 * ts present and parseable; prices present, finite and > 0; high >= low; low <= open <= high;
 * low <= close <= high; volume (when the source has volume) present, finite and >= 0.
 * Returns the first violation in file order and the count of rows that violate something.
 */
export function checkRows(raw: RawColumns, hasVolume: boolean): { first: Violation | undefined; count: number } {
  let first: Violation | undefined;
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = checkRow(raw, i, hasVolume);
    if (v !== undefined) {
      count++;
      first ??= v;
    }
  }
  return { first, count };
}

function checkRow(raw: RawColumns, i: number, hasVolume: boolean): Violation | undefined {
  if (raw.nulls.ts[i] === 1 || !Number.isFinite(raw.ts[i])) {
    return { code: 'DATA_BAD_TIMESTAMP', index: i, column: 'ts', message: 'timestamp is missing or cannot be parsed (for other formats give --date-format, e.g. %m/%d/%Y)' };
  }
  for (const f of PRICE_FIELDS) {
    const x = raw[f][i] ?? NaN;
    if (raw.nulls[f][i] === 1) return { code: 'DATA_MISSING_PRICE', index: i, column: f, message: `${f} is missing or not a number` };
    if (!Number.isFinite(x)) return { code: 'DATA_BAD_NUMBER', index: i, column: f, message: `${f} is not finite (${fmt(x)})` };
    if (x <= 0) return { code: 'DATA_NONPOSITIVE_PRICE', index: i, column: f, message: `${f} must be > 0, got ${fmt(x)}` };
  }
  const o = raw.open[i] ?? NaN;
  const h = raw.high[i] ?? NaN;
  const l = raw.low[i] ?? NaN;
  const c = raw.close[i] ?? NaN;
  if (h < l) return { code: 'DATA_HIGH_LOW', index: i, column: 'high', message: `high ${fmt(h)} < low ${fmt(l)}` };
  if (o < l || o > h) return { code: 'DATA_OPEN_RANGE', index: i, column: 'open', message: `open ${fmt(o)} outside [low ${fmt(l)}, high ${fmt(h)}]` };
  if (c < l || c > h) return { code: 'DATA_CLOSE_RANGE', index: i, column: 'close', message: `close ${fmt(c)} outside [low ${fmt(l)}, high ${fmt(h)}]` };
  if (hasVolume) {
    const v = raw.volume[i] ?? NaN;
    if (raw.nulls.volume[i] === 1) return { code: 'DATA_MISSING_VOLUME', index: i, column: 'volume', message: 'volume is missing or not a number while other rows have volume' };
    if (!Number.isFinite(v)) return { code: 'DATA_BAD_NUMBER', index: i, column: 'volume', message: `volume is not finite (${fmt(v)})` };
    if (v < 0) return { code: 'DATA_NEGATIVE_VOLUME', index: i, column: 'volume', message: `volume must be >= 0, got ${fmt(v)}` };
  }
  return undefined;
}

/**
 * Order check (direction = first row vs last row). Strictly ascending -> 'ascending'. Strictly descending over the WHOLE file
 * (e.g. Yahoo exports) -> 'descending' (the importer reverses it). Anything else -> the first
 * row (in the file's apparent direction) that repeats (DATA_DUPLICATE_TS) or goes back (DATA_UNSORTED).
 */
export function checkOrder(ts: Float64Array, length: number): { order: 'ascending' | 'descending'; violation: Violation | undefined } {
  // Direction from the first and last rows, so one early out-of-order row does not flip it.
  const descending = length >= 2 && (ts[length - 1] ?? 0) < (ts[0] ?? 0);
  for (let i = 1; i < length; i++) {
    const prev = ts[i - 1] ?? 0;
    const cur = ts[i] ?? 0;
    if (cur === prev) {
      return { order: descending ? 'descending' : 'ascending', violation: { code: 'DATA_DUPLICATE_TS', index: i, column: 'ts', message: `timestamp ${new Date(cur).toISOString()} repeats the previous row` } };
    }
    if (descending ? cur > prev : cur < prev) {
      return {
        order: descending ? 'descending' : 'ascending',
        violation: {
          code: 'DATA_UNSORTED', index: i, column: 'ts',
          message: `timestamp ${new Date(cur).toISOString()} is ${descending ? 'later' : 'earlier'} than the previous row ${new Date(prev).toISOString()} (file is neither ascending nor descending)`,
        },
      };
    }
  }
  return { order: descending ? 'descending' : 'ascending', violation: undefined };
}
