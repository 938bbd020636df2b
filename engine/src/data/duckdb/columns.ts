import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';

export interface FetchedColumns {
  readonly rowCount: number;
  /** One Float64Array per selected column. */
  readonly values: Float64Array[];
}

/**
 * The chunk's own Float64Array when the vector exposes one (DuckDBDoubleVector keeps its data in a
 * field named `items`, private in the typings but a plain property at run time). Undefined when it
 * does not (another client version): the caller then falls back to getItem. Only valid for columns
 * WITHOUT NULLs, which is why fetchDoubleColumns requires NULL-free SQL (see below).
 */
export function rawItems(vec: DuckDBVector, rows: number): Float64Array | undefined {
  const items = (vec as unknown as { items?: unknown }).items;
  return items instanceof Float64Array && items.length >= rows ? items : undefined;
}

/**
 * Runs a query whose columns are all DOUBLE and NEVER NULL (callers wrap with coalesce(x, 'NaN'))
 * and copies them chunk by chunk into typed arrays: a block copy per chunk and column when the
 * client exposes the chunk's array, else one getItem per value. No per-row JS objects either way.
 */
export async function fetchDoubleColumns(con: DuckDBConnection, sql: string, columnCount: number, fast = true): Promise<FetchedColumns> {
  const result = await con.run(sql);
  const total = result.rowCount;
  const values = Array.from({ length: columnCount }, () => new Float64Array(total));
  let offset = 0;
  const chunks = result.chunkCount;
  for (let ci = 0; ci < chunks; ci++) {
    const chunk = result.getChunk(ci);
    const rows = chunk.rowCount;
    for (let c = 0; c < columnCount; c++) {
      const vec = chunk.getColumnVector(c);
      const out = values[c] as Float64Array;
      const raw = fast ? rawItems(vec, rows) : undefined;
      if (raw !== undefined) {
        out.set(raw.subarray(0, rows), offset);
        continue;
      }
      for (let i = 0; i < rows; i++) {
        const v = vec.getItem(i);
        out[offset + i] = typeof v === 'number' ? v : NaN;
      }
    }
    offset += rows;
  }
  if (offset !== total) throw new Error(`DuckDB result row count ${total} != rows in chunks ${offset}`);
  return { rowCount: total, values };
}
