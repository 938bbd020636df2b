/**
 * Reads a CSV or Parquet file of OHLCV bars through DuckDB into typed columns (NULL masks kept),
 * resolving column names and parsing timestamps to epoch ms UTC. Validation happens elsewhere
 * (data/validate.ts): this layer only reads and converts.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { SigmatiqError } from '../../errors.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fetchDoubleColumns } from './columns.js';
import { sqlIdent, sqlString, withConnection } from './db.js';

export type SourceFormat = 'csv' | 'parquet';

export interface ReadSourceOptions {
  /** strptime format for the timestamp text, e.g. `%m/%d/%Y` or `%d-%b-%y` (DuckDB strptime). */
  readonly dateFormat?: string;
  /** IANA zone for timestamps WITHOUT an explicit offset (default UTC), e.g. `America/New_York`. */
  readonly timezone?: string;
}

export type SourceField = 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume';

export interface SourceColumns {
  readonly format: SourceFormat;
  readonly rowCount: number;
  /** Source column name(s) used for each field (`date+time` when combined). */
  readonly mapping: Readonly<Record<SourceField, string | undefined>>;
  /** ts (epoch ms), open, high, low, close, volume; NaN where NULL. */
  readonly columns: Readonly<Record<SourceField, Float64Array>>;
  readonly nulls: Readonly<Record<SourceField, Uint8Array>>;
}

const ALIASES: Readonly<Record<Exclude<SourceField, 'ts'>, readonly string[]>> = {
  open: ['open', 'o', 'open_price', 'opening price'],
  high: ['high', 'h', 'high_price'],
  low: ['low', 'l', 'low_price'],
  close: ['close', 'c', 'close_price', 'last', 'price'],
  volume: ['volume', 'vol', 'v', 'tick_volume', 'tickvol'],
};
const TS_ALIASES = ['ts', 'timestamp', 'timestamp_utc', 'datetime', 'date_time', 'time_utc', 'open_time', 'time', 'date'];

export function formatOf(path: string): SourceFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new SigmatiqError('DATA_FORMAT', `unsupported file type "${ext || '(none)'}": expected .csv or .parquet`, { file: path });
}

export interface CsvLayout {
  readonly delimiter: string;
  readonly columns: readonly string[];
}

/**
 * Reads the header line (the first non-blank line) and picks the delimiter among `,` `;` tab `|`
 * (the most frequent in the header; comma on ties). Column names are the header fields, trimmed,
 * surrounding double quotes and a UTF-8 BOM removed. Doing this in JS instead of DuckDB's sniffer
 * makes small imports ~10x faster and keeps the parse explicit (every column read as text).
 */
export function sniffCsvHeader(path: string): CsvLayout {
  const fd = openSync(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    head = buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const line = head.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  let delimiter = ',';
  let best = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = line.split(d).length - 1;
    if (count > best) {
      best = count;
      delimiter = d;
    }
  }
  const columns = line.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { delimiter, columns };
}

function scanSql(path: string, format: SourceFormat): string {
  if (format === 'parquet') return `read_parquet(${sqlString(path)})`;
  const layout = sniffCsvHeader(path);
  const names = new Set<string>();
  const cols = layout.columns.map((c, i) => {
    let name = c === '' ? `column${i}` : c;
    while (names.has(name)) name = `${name}_${i}`;
    names.add(name);
    return `${sqlString(name)}: 'VARCHAR'`;
  });
  return `read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ${sqlString(layout.delimiter)}, ` +
    `quote = '"', escape = '"', columns = {${cols.join(', ')}})`;
}

interface ColumnInfo { readonly name: string; readonly type: string }

function find(cols: readonly ColumnInfo[], aliases: readonly string[]): ColumnInfo | undefined {
  for (const a of aliases) {
    const hit = cols.find((c) => c.name.trim().toLowerCase() === a);
    if (hit !== undefined) return hit;
  }
  return undefined;
}


/**
 * The timestamp text forms, told apart on the FIRST non-empty value of the column; every row is
 * then parsed with that one form (a row in another form reads as NULL -> DATA_BAD_TIMESTAMP).
 */
export type TsTextForm = 'yyyymmdd' | 'yyyymmdd hhmmss' | 'epoch' | 'zoned' | 'naive';

const ZONE_RE = /\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|UTC|[+-]\d{2}(:?\d{2})?)$/;

export function classifyTsText(sample: string): TsTextForm {
  const s = sample.trim();
  if (/^\d{8}$/.test(s)) return 'yyyymmdd';
  if (/^\d{8} \d{6}$/.test(s)) return 'yyyymmdd hhmmss';
  if (/^-?\d{1,16}$/.test(s)) return 'epoch';
  if (ZONE_RE.test(s)) return 'zoned';
  return 'naive';
}

/** SQL turning a text timestamp into epoch ms (DOUBLE); NULL when it cannot be parsed. */
function textTsSql(x: string, opts: ReadSourceOptions, form: TsTextForm): string {
  const naive = (e: string): string =>
    opts.timezone !== undefined ? `epoch_ms(timezone(${sqlString(opts.timezone)}, ${e}))::DOUBLE` : `epoch_ms(${e})::DOUBLE`;
  const t = `trim(${x})`;
  if (opts.dateFormat !== undefined) {
    const f = sqlString(opts.dateFormat);
    return opts.dateFormat.includes('%z') || opts.dateFormat.includes('%Z')
      ? `epoch_ms(try_strptime(${t}, ${f})::TIMESTAMPTZ)::DOUBLE`
      : naive(`try_strptime(${t}, ${f})::TIMESTAMP`);
  }
  switch (form) {
    case 'yyyymmdd':
      return naive(`try_strptime(${t}, '%Y%m%d')`);
    case 'yyyymmdd hhmmss':
      return naive(`try_strptime(${t}, '%Y%m%d %H%M%S')`);
    case 'epoch':
      // >= 1e11 is milliseconds, otherwise seconds (documented).
      return `(CASE WHEN abs(TRY_CAST(${t} AS BIGINT)) >= 100000000000 THEN TRY_CAST(${t} AS BIGINT) ELSE TRY_CAST(${t} AS BIGINT) * 1000 END)::DOUBLE`;
    case 'zoned':
      return `epoch_ms(TRY_CAST(${t} AS TIMESTAMPTZ))::DOUBLE`;
    case 'naive':
      return naive(`TRY_CAST(${t} AS TIMESTAMP)`);
  }
}

function tsSql(col: ColumnInfo, opts: ReadSourceOptions, form: TsTextForm): string {
  const x = sqlIdent(col.name);
  const t = col.type.toUpperCase();
  if (t === 'VARCHAR') return textTsSql(x, opts, form);
  if (t === 'TIMESTAMP WITH TIME ZONE') return `epoch_ms(${x})::DOUBLE`;
  if (t.startsWith('TIMESTAMP') || t === 'DATE') {
    return opts.timezone !== undefined
      ? `epoch_ms(timezone(${sqlString(opts.timezone)}, ${x}::TIMESTAMP))::DOUBLE`
      : `epoch_ms(${x}::TIMESTAMP)::DOUBLE`;
  }
  // Integer or floating epoch: >= 1e11 is milliseconds, otherwise seconds (documented).
  return `(CASE WHEN abs(${x}::DOUBLE) >= 1e11 THEN ${x}::DOUBLE ELSE ${x}::DOUBLE * 1000 END)`;
}

/** Text of a scalar value read from DuckDB (JSON for anything structured). */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '';
}

let sourceCounter = 0;

async function sampleForm(con: DuckDBConnection, scan: string, x: string): Promise<TsTextForm> {
  const r = await con.runAndReadAll(`SELECT trim(${x}) AS s FROM ${scan} WHERE ${x} IS NOT NULL AND trim(${x}) <> '' LIMIT 1`);
  const v = r.getRowObjectsJS()[0]?.s;
  return classifyTsText(typeof v === 'string' ? v : '');
}

export async function readSource(path: string, opts: ReadSourceOptions = {}): Promise<SourceColumns> {
  const format = formatOf(path);
  return withConnection(async (con) => {
    // Parse the file once into a connection-local temp table; every later query reads that.
    const scan = `src_${++sourceCounter}`;
    let cols: ColumnInfo[];
    try {
      await con.run(`CREATE TEMP TABLE ${scan} AS SELECT * FROM ${scanSql(path, format)}`);
      const desc = await con.runAndReadAll(`DESCRIBE ${scan}`);
      cols = desc.getRowObjectsJS().map((r) => ({ name: textOf(r.column_name), type: textOf(r.column_type) }));
    } catch (err: unknown) {
      const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
      throw new SigmatiqError('DATA_READ_FAILED', `cannot read ${format} file: ${msg}`, { file: path }, { cause: err });
    }
    const mapping: Record<SourceField, string | undefined> = { ts: undefined, open: undefined, high: undefined, low: undefined, close: undefined, volume: undefined };
    const date = find(cols, ['date', 'day', 'trade_date']);
    const time = find(cols, ['time', 'hour']);
    let ts: string;
    if (find(cols, TS_ALIASES.slice(0, 7)) === undefined && date !== undefined && time !== undefined) {
      const combined = `(CAST(${sqlIdent(date.name)} AS VARCHAR) || ' ' || CAST(${sqlIdent(time.name)} AS VARCHAR))`;
      ts = textTsSql(combined, opts, await sampleForm(con, scan, combined));
      mapping.ts = `${date.name}+${time.name}`;
    } else {
      const tsCol = find(cols, TS_ALIASES);
      if (tsCol === undefined) {
        throw new SigmatiqError('DATA_COLUMN_MISSING', `no timestamp column (looked for ${TS_ALIASES.join(', ')}, or date + time)`, { file: path, column: 'ts' });
      }
      ts = tsSql(tsCol, opts, tsCol.type === 'VARCHAR' ? await sampleForm(con, scan, sqlIdent(tsCol.name)) : 'naive');
      mapping.ts = tsCol.name;
    }
    const selects = [`${ts} AS ts`];
    for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
      const col = find(cols, ALIASES[field]);
      if (col === undefined) {
        if (field === 'volume') {
          selects.push('NULL::DOUBLE AS volume');
          continue;
        }
        throw new SigmatiqError('DATA_COLUMN_MISSING', `no ${field} column (looked for ${ALIASES[field].join(', ')})`, { file: path, column: field });
      }
      mapping[field] = col.name;
      const x = sqlIdent(col.name);
      selects.push(col.type === 'VARCHAR' ? `TRY_CAST(NULLIF(trim(${x}), '') AS DOUBLE) AS ${field}` : `TRY_CAST(${x} AS DOUBLE) AS ${field}`);
    }
    // Values never NULL (coalesced to NaN) plus one column of NULL bits: ts 1, open 2, high 4, low 8, close 16, volume 32.
    const nullBits = ['ts', 'open', 'high', 'low', 'close', 'volume'].map((f, k) => `(CASE WHEN ${f} IS NULL THEN ${2 ** k} ELSE 0 END)`).join(' + ');
    const fields = ['ts', 'open', 'high', 'low', 'close', 'volume'].map((f) => `coalesce(${f}, 'NaN'::DOUBLE)`).join(', ');
    let fetched;
    try {
      fetched = await fetchDoubleColumns(con, `SELECT ${fields}, (${nullBits})::DOUBLE FROM (SELECT ${selects.join(', ')} FROM ${scan})`, 7);
    } catch (err: unknown) {
      const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
      throw new SigmatiqError('DATA_READ_FAILED', `cannot read ${format} file: ${msg}`, { file: path }, { cause: err });
    }
    const [v0, v1, v2, v3, v4, v5, bits] = fetched.values as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const n = fetched.rowCount;
    const masks = Array.from({ length: 6 }, () => new Uint8Array(n));
    for (let i = 0; i < n; i++) {
      const b = bits[i] ?? 0;
      if (b !== 0) for (let k = 0; k < 6; k++) if ((b & (1 << k)) !== 0) (masks[k] as Uint8Array)[i] = 1;
    }
    const [n0, n1, n2, n3, n4, n5] = masks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    return {
      format,
      rowCount: fetched.rowCount,
      mapping,
      columns: { ts: v0, open: v1, high: v2, low: v3, close: v4, volume: v5 },
      nulls: { ts: n0, open: n1, high: n2, low: n3, close: n4, volume: n5 },
    };
  });
}

/** The raw text of one source row (0-based data row index), for error messages. */
export async function readRawRow(path: string, index: number): Promise<Record<string, string | null>> {
  const scan = scanSql(path, formatOf(path));
  return withConnection(async (con) => {
    const r = await con.runAndReadAll(`SELECT * FROM ${scan} LIMIT 1 OFFSET ${Math.max(0, Math.floor(index))}`);
    const row = r.getRowObjectsJS()[0] ?? {};
    const out: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(row)) out[k] = v === null || v === undefined ? null : textOf(v);
    return out;
  });
}
