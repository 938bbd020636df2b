import type { DuckDBConnection } from '@duckdb/node-api';

export interface FetchedColumns {
  readonly rowCount: number;
  /** One Float64Array per selected column; NULL reads as NaN (see `nulls`). */
  readonly values: Float64Array[];
  /** One mask per column: 1 where the value was NULL. */
  readonly nulls: Uint8Array[];
}

/**
 * Runs a query whose columns are all DOUBLE and copies them chunk by chunk into typed arrays
 * (no per-row JS objects). `expectedRows` sizes the arrays up front when known.
 */
export async function fetchDoubleColumns(con: DuckDBConnection, sql: string, columnCount: number): Promise<FetchedColumns> {
  const result = await con.run(sql);
  let total = 0;
  for (let c = 0; c < result.chunkCount; c++) total += result.getChunk(c).rowCount;
  const values = Array.from({ length: columnCount }, () => new Float64Array(total));
  const nulls = Array.from({ length: columnCount }, () => new Uint8Array(total));
  let offset = 0;
  for (let ci = 0; ci < result.chunkCount; ci++) {
    const chunk = result.getChunk(ci);
    const rows = chunk.rowCount;
    for (let c = 0; c < columnCount; c++) {
      const vec = chunk.getColumnVector(c);
      const out = values[c] as Float64Array;
      const mask = nulls[c] as Uint8Array;
      for (let i = 0; i < rows; i++) {
        const v = vec.getItem(i);
        if (typeof v === 'number') {
          out[offset + i] = v;
        } else {
          out[offset + i] = NaN;
          mask[offset + i] = 1;
        }
      }
    }
    offset += rows;
  }
  return { rowCount: total, values, nulls };
}
