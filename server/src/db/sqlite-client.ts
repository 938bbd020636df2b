import type { drizzle } from 'drizzle-orm/libsql';
import { InlineExecutor } from './executors.js';
import { fromWire, isFailed, SqliteClientError, sqlArgs, type Entry, type RawResult, type StatementExecutor, type Stmt } from './sqlite-exec.js';

type Client = ReturnType<typeof drizzle>['$client'];
type Tx = Awaited<ReturnType<Client['transaction']>>;
type ResultSet = Awaited<ReturnType<Client['execute']>>;
type Row = ResultSet['rows'][number];
type InStatement = Parameters<Tx['execute']>[0];

/** A row as @libsql/client builds it: values by index (not enumerable) and by first-occurring column name. */
function toRow(values: readonly unknown[], columns: readonly string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, 'length', { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    Object.defineProperty(row, i, { value });
    const name = columns[i];
    if (name !== undefined && !Object.hasOwn(row, name)) row[name] = value;
  }
  return row as unknown as Row;
}

/** An entry's result (the client never opens groups, so a failed entry is unexpected but reported as such). */
export function rawOf(e: Entry | undefined): RawResult {
  if (e === undefined) throw new Error('no result');
  if (isFailed(e)) throw fromWire(e.failed);
  return e;
}

export function toResultSet(e: Entry | undefined): ResultSet {
  const r = rawOf(e);
  const columns = r.columns ?? [];
  const rows = r.columns === null ? [] : r.rows.map((v) => toRow(v, columns));
  const { columnTypes, lastInsertRowid } = r;
  const rowsAffected = r.changes;
  return {
    columns, columnTypes, rows, rowsAffected, lastInsertRowid,
    toJSON: () => ({ columns, columnTypes, rows: rows.map((x) => Array.from(x)), rowsAffected, lastInsertRowid: lastInsertRowid?.toString() ?? null }),
  };
}

/** An @libsql/client statement (object or SQL text + args) as a `Stmt` with SQL-ready arguments. */
export function toStmt(input: InStatement | string | [string, unknown?], args?: unknown): Stmt {
  if (typeof input === 'string') return { sql: input, args: sqlArgs(args) };
  if (Array.isArray(input)) return { sql: input[0], args: sqlArgs(input[1]) };
  return { sql: input.sql, args: sqlArgs(input.args) };
}

/** The outcome of a call whose argument conversion may throw, as a rejection (like the async client). */
function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return f();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

const BEGIN = { write: 'BEGIN IMMEDIATE', read: 'BEGIN TRANSACTION READONLY', deferred: 'BEGIN DEFERRED' } as const;

/**
 * The subset of @libsql/client's Client that drizzle and the sidecar use, over a `StatementExecutor` (the
 * calling thread's connection, or the writer thread's). Semantics follow @libsql/client's local client with
 * intMode 'number' (bigint outside the safe range -> RangeError), transactions with BEGIN
 * IMMEDIATE/DEFERRED/READONLY, errors with base `code` and `extendedCode`.
 */
export function clientOver(ex: StatementExecutor): Client {
  const one = async (s: Stmt): Promise<ResultSet> => {
    const [r] = await ex.run([s]);
    return toResultSet(r);
  };

  const transaction = async (mode: 'write' | 'read' | 'deferred'): Promise<Tx> => {
    await ex.run([{ sql: BEGIN[mode] }]);
    let done = false;
    const closedError = (): SqliteClientError => new SqliteClientError('The transaction is closed', 'TRANSACTION_CLOSED', undefined, undefined);
    const finish = async (sql: string): Promise<void> => {
      if (done) return;
      done = true;
      await ex.run([{ sql }], { rollbackOnError: true });
    };
    const tx: Tx = {
      execute: (stmt: InStatement) => (done ? Promise.reject(closedError()) : guarded(() => one(toStmt(stmt)))),
      batch: (stmts: InStatement[]) => guarded(async () => (await ex.run(stmts.map((s) => toStmt(s)))).map((e) => toResultSet(e))),
      executeMultiple: async (sql: string) => {
        await ex.run([{ exec: sql }]);
      },
      commit: () => (done ? Promise.reject(closedError()) : finish('COMMIT')),
      rollback: () => finish('ROLLBACK').catch(() => undefined),
      close: () => {
        finish('ROLLBACK').catch(() => undefined);
      },
      get closed() {
        return done || ex.closed;
      },
    };
    return tx;
  };

  const client: Client = {
    execute: (stmtOrSql: InStatement | string, args?: unknown) => guarded(() => one(toStmt(stmtOrSql, args))),
    batch: (stmts, mode = 'deferred') =>
      guarded(async () => {
        const list = stmts.map((st) => toStmt(st as InStatement | [string, unknown?]));
        const out = await ex.run([{ sql: BEGIN[mode] }, ...list, { sql: 'COMMIT' }], { rollbackOnError: true });
        return out.slice(1, 1 + list.length).map((e) => toResultSet(e));
      }),
    migrate: (stmts) =>
      guarded(async () => {
        const list = stmts.map((st) => toStmt(st));
        const out = await ex.run([{ sql: 'PRAGMA foreign_keys=off' }, { sql: 'BEGIN DEFERRED' }, ...list, { sql: 'COMMIT' }], { rollbackOnError: true, finally: 'PRAGMA foreign_keys=on' });
        return out.slice(2, 2 + list.length).map((e) => toResultSet(e));
      }),
    transaction: (mode: 'write' | 'read' | 'deferred' = 'write') => transaction(mode),
    executeMultiple: async (sql: string) => {
      await ex.run([{ exec: sql }]);
    },
    sync: () => Promise.reject(new Error('sync() is for embedded replicas, not local files')),
    close: () => ex.close(),
    reconnect: () => {
      throw new Error('reconnect() is not supported by the cached local client');
    },
    get closed() {
      return ex.closed;
    },
    protocol: 'file',
  };
  return client;
}

/** A client over a connection in the calling thread. */
export function openSqliteClient(path: string, timeoutMs: number): Client {
  return clientOver(new InlineExecutor(path, timeoutMs));
}
