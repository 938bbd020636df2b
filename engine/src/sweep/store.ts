import type { ComboResult } from './leaderboard/types.js';

/**
 * Where a finished (or cancelled) sweep writes its combinations: one row per (sweep_id,
 * config_hash), upserted so a rerun never double-counts. The DuckDB implementation is
 * `SweepStore` in engine/src/data/duckdb/sweep-store.ts.
 */
export interface SweepStoreWriter {
  writeCombos(sweepId: string, rows: readonly ComboResult[]): Promise<void>;
  /** The sweep's summary (the dictionary's SweepRun plus counts and statistics), when supported. */
  writeRun?(sweepId: string, summary: unknown): Promise<void>;
}
