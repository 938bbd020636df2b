/**
 * Import: read a CSV/Parquet file (through data/duckdb), validate every row, normalize (UTC epoch
 * ms, ascending, float64), infer or check the interval and report gaps. All-or-nothing: any
 * violation throws a SigmatiqError naming the file line (CSV) or row (Parquet), column and rule,
 * and nothing is returned or written.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SigmatiqError } from '../errors.js';
import { dataHash } from '../hash/index.js';
import type { Bars } from './bars.js';
import { readRawRow, readSource, type ReadSourceOptions, type SourceColumns, type SourceFormat } from './duckdb/index.js';
import { findGaps, type GapReport } from './gaps.js';
import { DAY_MS, inferInterval, parseInterval, type Interval } from './interval.js';
import { checkOrder, checkRows, type Violation } from './validate.js';

export interface ImportOptions extends ReadSourceOptions {
  /** Instrument symbol; default: the file name up to the first `_`, `-` or `.`, upper-cased. */
  readonly symbol?: string;
  /** Bar interval (e.g. `1d`); inferred from the timestamps when absent. */
  readonly interval?: string;
}

export interface ImportSource {
  readonly path: string;
  readonly format: SourceFormat;
  readonly sha256: string;
  readonly bytes: number;
  /** Order of the source rows: `descending` sources are reversed. */
  readonly order: 'ascending' | 'descending';
  readonly columns: Readonly<Record<string, string | undefined>>;
}

export interface ImportResult {
  readonly bars: Bars;
  readonly hasVolume: boolean;
  readonly interval: Interval;
  readonly gaps: GapReport;
  readonly hash: string;
  readonly source: ImportSource;
}

export function defaultSymbol(path: string): string {
  const stem = basename(path).split(/[_.\-\s]/)[0] ?? '';
  return stem.toUpperCase() || 'UNKNOWN';
}

/** 1-based line in the CSV of data row `index` (0-based): header is the first non-blank line; blank lines are skipped. */
export function csvLineOfRow(text: string, index: number): number {
  let line = 0;
  let seen = -2; // -1 after the header
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    line++;
    if (text.slice(pos, end).trim() !== '') {
      seen++;
      if (seen === index) return line;
    }
    pos = end + 1;
  }
  return index + 2;
}

async function reject(path: string, format: SourceFormat, v: Violation, total: number): Promise<never> {
  const where: Record<string, unknown> =
    format === 'csv' ? { file: path, line: csvLineOfRow(readFileSync(path, 'utf8'), v.index) } : { file: path, row: v.index + 1 };
  let message = v.message;
  if (v.code === 'DATA_BAD_TIMESTAMP' || v.code === 'DATA_MISSING_PRICE' || v.code === 'DATA_MISSING_VOLUME') {
    const raw = await readRawRow(path, v.index).catch(() => undefined);
    if (raw !== undefined) message += ` (row: ${Object.entries(raw).map(([k, x]) => `${k}=${x === null ? '' : x}`).join(', ')})`;
  }
  const more = total > 1 ? `; ${total} rows violate a rule` : '';
  throw new SigmatiqError(v.code, `${message}${more}; nothing was imported`, { ...where, column: v.column, rule: v.code, violations: total });
}

function reversed(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0, n = a.length; i < n; i++) out[i] = a[n - 1 - i] ?? 0;
  return out;
}

function checkIntervalFits(ts: Float64Array, interval: Interval): number | undefined {
  const minStep = interval.calendar ? 28 * DAY_MS * interval.count : interval.ms;
  for (let i = 1; i < ts.length; i++) {
    if ((ts[i] ?? 0) - (ts[i - 1] ?? 0) < minStep) return i;
  }
  return undefined;
}

export async function importBars(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const abs = resolve(path);
  let bytes: Buffer;
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
    bytes = readFileSync(abs);
  } catch {
    throw new SigmatiqError('DATA_FILE_NOT_FOUND', `no such file: ${path}`, { file: path });
  }
  const interval = options.interval !== undefined ? parseInterval(options.interval) : undefined;
  if (options.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: options.timezone });
    } catch {
      throw new SigmatiqError('DATA_BAD_TIMEZONE', `unknown time zone "${options.timezone}": use an IANA name such as America/New_York or UTC`, { param: 'timezone' });
    }
  }
  const src: SourceColumns = await readSource(abs, options);
  const n = src.rowCount;
  if (n === 0) throw new SigmatiqError('DATA_EMPTY', 'the file has no data rows; nothing was imported', { file: path });
  let volumeRows = 0;
  for (let i = 0; i < n; i++) if (src.nulls.volume[i] === 0) volumeRows++;
  const hasVolume = volumeRows > 0;
  const raw = { length: n, ...src.columns, nulls: src.nulls };
  const rows = checkRows(raw, hasVolume);
  const order = rows.first === undefined || rows.first.index > 0 ? checkOrder(src.columns.ts, rows.first?.index ?? n) : { order: 'ascending' as const, violation: undefined };
  const first = [rows.first, order.violation].filter((v): v is Violation => v !== undefined).sort((a, b) => a.index - b.index)[0];
  if (first !== undefined) await reject(path, src.format, first, rows.count + (order.violation !== undefined && order.violation !== rows.first ? 1 : 0));

  const desc = order.order === 'descending';
  const col = (a: Float64Array): Float64Array => (desc ? reversed(a) : a);
  const ts = col(src.columns.ts);
  const volume = hasVolume ? col(src.columns.volume) : new Float64Array(n);
  for (let i = 0; i < n; i++) if (Object.is(volume[i], -0)) volume[i] = 0;
  const iv = interval ?? parseInterval(inferInterval(ts));
  const tooClose = checkIntervalFits(ts, iv);
  if (tooClose !== undefined) {
    const fileIndex = desc ? n - 1 - tooClose : tooClose;
    const where = src.format === 'csv' ? { line: csvLineOfRow(bytes.toString('utf8'), fileIndex) } : { row: fileIndex + 1 };
    throw new SigmatiqError(
      'DATA_INTERVAL_MISMATCH',
      `bars ${new Date(ts[tooClose - 1] ?? 0).toISOString()} and ${new Date(ts[tooClose] ?? 0).toISOString()} are closer than the interval ${iv.text}; nothing was imported`,
      { file: path, ...where, column: 'ts', param: 'interval' },
    );
  }
  const bars: Bars = {
    symbol: options.symbol ?? defaultSymbol(path), interval: iv.text, length: n,
    ts, open: col(src.columns.open), high: col(src.columns.high), low: col(src.columns.low), close: col(src.columns.close), volume,
  };
  return {
    bars, hasVolume, interval: iv,
    gaps: findGaps(ts, n, iv),
    hash: dataHash(bars, { hasVolume }),
    source: {
      path: abs, format: src.format, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length,
      order: order.order, columns: src.mapping,
    },
  };
}
