/**
 * Snapshot Parquet files: columns `ts TIMESTAMP` (UTC, microseconds, whole milliseconds) and
 * `open, high, low, close, volume DOUBLE`, in ascending ts order, zstd-compressed, with key-value
 * metadata (symbol, interval, hash, has_volume). Values round-trip bit-exactly.
 */
import { DOUBLE, DuckDBDataChunk, type DuckDBConnection } from '@duckdb/node-api';
import { SigmatiqError } from '../../errors.js';
import type { BarColumns, Bars } from '../bars.js';
import { fetchDoubleColumns, rawItems } from './columns.js';
import { sqlString, withConnection } from './db.js';

const CHUNK = 2048;
let tableCounter = 0;

async function appendBars(con: DuckDBConnection, table: string, bars: Bars): Promise<void> {
  const appender = await con.createAppender(table);
  const types = [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE];
  const cols = [bars.ts, bars.open, bars.high, bars.low, bars.close, bars.volume];
  for (let off = 0; off < bars.length; off += CHUNK) {
    const rows = Math.min(CHUNK, bars.length - off);
    const chunk = DuckDBDataChunk.create(types, rows);
    for (let c = 0; c < 6; c++) {
      const vec = chunk.getColumnVector(c);
      const src = cols[c] as Float64Array;
      // Block copy into the chunk's own array when exposed (a fresh chunk has no NULL mask, so
      // every value is valid); else one setItem per value. flush() hands the data to DuckDB.
      const raw = rawItems(vec, rows);
      if (raw !== undefined) raw.set(src.subarray(off, off + rows));
      else for (let i = 0; i < rows; i++) vec.setItem(i, src[off + i] ?? 0);
      vec.flush();
    }
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Writes bars to `path` (overwriting). Callers write to a temp path and rename (atomicity). */
export async function writeBarsParquet(bars: Bars, path: string, metadata: Readonly<Record<string, string>>): Promise<void> {
  await withConnection(async (con) => {
    const table = `bars_w${++tableCounter}`;
    await con.run(`CREATE TEMP TABLE ${table} (ts DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)`);
    try {
      await appendBars(con, table, bars);
      const kv = Object.entries(metadata).map(([k, v]) => `${k}: ${sqlString(v)}`).join(', ');
      await con.run(
        `COPY (SELECT make_timestamp(CAST(ts AS BIGINT) * 1000) AS ts, open, high, low, close, volume FROM ${table}) ` +
          `TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd${kv ? `, KV_METADATA {${kv}}` : ''})`,
      );
    } finally {
      await con.run(`DROP TABLE IF EXISTS ${table}`);
    }
  });
}

export type ParquetBarColumns = BarColumns;

/** Reads a snapshot Parquet file written by writeBarsParquet into typed columns. */
/** `fast = false` forces the getItem path (tests compare both). */
export async function readBarsParquet(path: string, fast = true): Promise<ParquetBarColumns> {
  return withConnection(async (con) => {
    try {
      const f = await fetchDoubleColumns(
        con,
        `SELECT coalesce(epoch_ms(ts)::DOUBLE, 'NaN'::DOUBLE), coalesce(open, 'NaN'::DOUBLE), coalesce(high, 'NaN'::DOUBLE), ` +
          `coalesce(low, 'NaN'::DOUBLE), coalesce(close, 'NaN'::DOUBLE), coalesce(volume, 'NaN'::DOUBLE) FROM read_parquet(${sqlString(path)})`,
        6,
        fast,
      );
      const [ts, open, high, low, close, volume] = f.values as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
      return { length: f.rowCount, ts, open, high, low, close, volume };
    } catch (err: unknown) {
      const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
      throw new SigmatiqError('DATA_SNAPSHOT_CORRUPT', `cannot read snapshot file: ${msg}`, { file: path }, { cause: err });
    }
  });
}
