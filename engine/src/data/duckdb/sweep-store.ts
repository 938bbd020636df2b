/**
 * The sweep results store: a DuckDB file of the workspace with one row per (sweep_id,
 * config_hash) in `sweep_combos` (upserted: a rerun replaces its rows, never double-counts) and
 * one row per sweep in `sweep_runs`. Queryable with plain SQL (`store.query`), e.g. the top 50:
 *   SELECT * FROM sweep_combos WHERE sweep_id = ? ORDER BY rank LIMIT 50
 * Owned by the sweep engineer, placed here because data/duckdb/ is the engine's only door to
 * DuckDB (docs/sweeps.md, "Storage").
 */
import { BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { SigmatiqError } from '../../errors.js';
import { canonicalJson } from '../../hash/index.js';
import type { ComboResult } from '../../sweep/leaderboard/types.js';

/** Metric columns, in table order (the dictionary's BacktestMetrics, then calmar and exposure). */
export const SWEEP_METRIC_COLUMNS = [
  'total_return', 'annualized_return', 'sharpe_ratio', 'sortino_ratio', 'max_drawdown', 'win_rate', 'profit_factor',
  'total_trades', 'avg_trade_duration_days', 'best_trade', 'worst_trade', 'avg_winner', 'avg_loser', 'calmar_ratio', 'exposure',
] as const;

const COLUMNS: readonly (readonly [string, string, DuckDBType])[] = [
  ['sweep_id', 'VARCHAR NOT NULL', VARCHAR],
  ['config_hash', 'VARCHAR NOT NULL', VARCHAR],
  ['combo_id', 'INTEGER NOT NULL', INTEGER],
  ['rank', 'INTEGER NOT NULL', INTEGER],
  ['params', 'VARCHAR NOT NULL', VARCHAR],
  ['gate', 'VARCHAR NOT NULL', VARCHAR],
  ['kept', 'BOOLEAN NOT NULL', BOOLEAN],
  ['error', 'VARCHAR', VARCHAR],
  ...SWEEP_METRIC_COLUMNS.map((m) => [m, 'DOUBLE', DOUBLE] as const),
];

const CHUNK = 2048;
let stageCounter = 0;

function storeError(message: string, details: Record<string, unknown>, cause: unknown): SigmatiqError {
  return new SigmatiqError('SWEEP_STORE_FAILED', `SWS-3004 ${message}`, { ...details, reason_code: 'SWS-3004' }, { cause });
}

export class SweepStore {
  private constructor(readonly file: string, private readonly instance: DuckDBInstance, private readonly con: DuckDBConnection) {}

  /** Opens (creating when missing) the store file and its tables. */
  static async open(file: string): Promise<SweepStore> {
    try {
      const instance = await DuckDBInstance.create(file);
      const con = await instance.connect();
      await con.run(`CREATE TABLE IF NOT EXISTS sweep_combos (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')}, PRIMARY KEY (sweep_id, config_hash))`);
      await con.run('CREATE TABLE IF NOT EXISTS sweep_runs (sweep_id VARCHAR PRIMARY KEY, summary VARCHAR NOT NULL, written_at TIMESTAMP NOT NULL)');
      return new SweepStore(file, instance, con);
    } catch (e) {
      throw storeError(`cannot open the sweep store ${file}: ${e instanceof Error ? e.message : String(e)}`, { file }, e);
    }
  }

  /** Upserts one row per combination (keyed by (sweep_id, config_hash)), all or nothing. */
  async writeCombos(sweepId: string, rows: readonly ComboResult[]): Promise<void> {
    const stage = `sweep_stage_${++stageCounter}`;
    const con = this.con;
    try {
      await con.run(`CREATE TEMP TABLE ${stage} AS SELECT * FROM sweep_combos LIMIT 0`);
      const appender = await con.createAppender(stage);
      const types = COLUMNS.map(([, , t]) => t);
      for (let off = 0; off < rows.length; off += CHUNK) {
        const n = Math.min(CHUNK, rows.length - off);
        const chunk = DuckDBDataChunk.create(types, n);
        const cols: DuckDBValue[][] = COLUMNS.map(() => new Array<DuckDBValue>(n));
        for (let i = 0; i < n; i++) {
          const r = rows[off + i] as ComboResult;
          const vals: DuckDBValue[] = [
            sweepId, r.config_hash, r.combo_id, r.rank, canonicalJson(r.params), r.gate.status, r.kept,
            r.error === undefined ? null : `${r.error.reason_code} ${r.error.code}: ${r.error.message}`,
            ...SWEEP_METRIC_COLUMNS.map((m) => {
              const v = r.metrics?.[m];
              return v === undefined || Number.isNaN(v) ? null : v;
            }),
          ];
          vals.forEach((v, c) => { (cols[c] as DuckDBValue[])[i] = v; });
        }
        chunk.setColumns(cols);
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
      await con.run('BEGIN TRANSACTION');
      try {
        await con.run(`INSERT OR REPLACE INTO sweep_combos SELECT * FROM ${stage}`);
        await con.run('COMMIT');
      } catch (e) {
        await con.run('ROLLBACK');
        throw e;
      }
    } catch (e) {
      throw storeError(`writing ${rows.length} combinations of sweep ${sweepId} failed: ${e instanceof Error ? e.message : String(e)}`, { sweep_id: sweepId, file: this.file }, e);
    } finally {
      await con.run(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
    }
  }

  /** Records the sweep's summary as JSON (NaN and ±Infinity as null), replacing an earlier one. */
  async writeRun(sweepId: string, summary: unknown): Promise<void> {
    const json = JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
    try {
      await this.con.run('INSERT OR REPLACE INTO sweep_runs VALUES ($1, $2, now()::TIMESTAMP)', [sweepId, json]);
    } catch (e) {
      throw storeError(`writing the summary of sweep ${sweepId} failed: ${e instanceof Error ? e.message : String(e)}`, { sweep_id: sweepId, file: this.file }, e);
    }
  }

  /** Runs SQL and returns the rows as plain JS objects. */
  async query(sql: string, values: readonly DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    const reader = await this.con.runAndReadAll(sql, [...values]);
    return reader.getRowObjectsJS();
  }

  /** The leaderboard's top `n` of a sweep (rank order). */
  top(sweepId: string, n = 50): Promise<Record<string, unknown>[]> {
    return this.query('SELECT * FROM sweep_combos WHERE sweep_id = $1 ORDER BY rank LIMIT $2', [sweepId, n]);
  }

  async count(sweepId?: string): Promise<number> {
    const rows = sweepId === undefined ? await this.query('SELECT count(*)::INTEGER AS n FROM sweep_combos') : await this.query('SELECT count(*)::INTEGER AS n FROM sweep_combos WHERE sweep_id = $1', [sweepId]);
    return Number(rows[0]?.['n'] ?? 0);
  }

  close(): void {
    this.con.closeSync();
    this.instance.closeSync();
  }
}
