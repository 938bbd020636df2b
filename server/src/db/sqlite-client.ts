import Libsql from 'libsql';
import type { drizzle } from 'drizzle-orm/libsql';

type Client = ReturnType<typeof drizzle>['$client'];
type Tx = Awaited<ReturnType<Client['transaction']>>;
type ResultSet = Awaited<ReturnType<Client['execute']>>;
type Row = ResultSet['rows'][number];
type InStatement = Parameters<Tx['execute']>[0];

interface Prepared {
  stmt: Libsql.Statement<unknown[]>;
  /** Column names and declared types; null for statements that return no rows. */
  columns: string[] | null;
  columnTypes: string[];
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Prepared statements kept per connection (the process issues a few dozen distinct SQL texts). */
const STATEMENT_CACHE = 512;

/** An error like @libsql/client's LibsqlError: `code` is the base SQLite code, `extendedCode` the extended one. */
class SqliteClientError extends Error {
  constructor(message: string, readonly code: string, readonly extendedCode: string | undefined, readonly rawCode: number | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'LibsqlError';
  }
}

const BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

function mapError(e: unknown): unknown {
  if (e instanceof Error && 'rawCode' in e) {
    const raw = (e as Error & { rawCode?: unknown }).rawCode;
    const rawCode = typeof raw === 'number' ? raw : undefined;
    const extended = (e as Error & { code?: unknown }).code;
    const base = rawCode === undefined ? 'SQLITE_UNKNOWN' : BASE_CODES[rawCode & 0xff] ?? `SQLITE_UNKNOWN_${rawCode & 0xff}`;
    return new SqliteClientError(e.message, base, typeof extended === 'string' ? extended : undefined, rawCode, e);
  }
  return e;
}

/** The outcome of a synchronous call as a promise (a throw becomes a rejection), like the async client's. */
function settled<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function toSql(v: unknown): unknown {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof ArrayBuffer) return Buffer.from(v);
  if (v instanceof Date) return v.valueOf();
  if (v === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return v;
}

function fromSql(v: unknown): unknown {
  if (typeof v === 'bigint') {
    if (v < MIN_SAFE || v > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(v);
  }
  return v;
}

/** A row as @libsql/client builds it: values by index (not enumerable) and by first-occurring column name. */
function toRow(values: readonly unknown[], columns: readonly string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, 'length', { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = fromSql(values[i]);
    Object.defineProperty(row, i, { value });
    const name = columns[i];
    if (name !== undefined && !Object.hasOwn(row, name)) row[name] = value;
  }
  return row as unknown as Row;
}

function resultSet(columns: string[], columnTypes: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns, columnTypes, rows, rowsAffected, lastInsertRowid,
    toJSON: () => ({ columns, columnTypes, rows: rows.map((r) => Array.from(r)), rowsAffected, lastInsertRowid: lastInsertRowid?.toString() ?? null }),
  };
}

/**
 * The subset of @libsql/client's local (file / :memory:) client that drizzle and the sidecar use, over ONE
 * `libsql` connection, with its prepared statements CACHED by SQL text. @libsql/client prepares every
 * statement on every call and asks for its columns twice, which cost more than the statement itself on the
 * write path (about a fifth of a POST's CPU). Semantics follow @libsql/client with intMode 'number'
 * (bigint outside the safe range -> RangeError), transactions with BEGIN IMMEDIATE/DEFERRED/READONLY,
 * errors with base `code` and `extendedCode`.
 */
export function openSqliteClient(path: string, timeoutMs: number): Client {
  const conn = new Libsql(path, { timeout: timeoutMs });
  const cache = new Map<string, Prepared>();
  let closed = false;

  const prepare = (sql: string): Prepared => {
    let p = cache.get(sql);
    if (p === undefined) {
      const stmt = conn.prepare<unknown[]>(sql);
      stmt.safeIntegers(true);
      let columns: string[] | null = null;
      let columnTypes: string[] = [];
      if (stmt.reader) {
        stmt.raw(true);
        const cols = stmt.columns();
        columns = cols.map((c) => c.name);
        columnTypes = cols.map((c) => c.type ?? '');
      }
      p = { stmt, columns, columnTypes };
      if (cache.size >= STATEMENT_CACHE) cache.clear();
      cache.set(sql, p);
    }
    return p;
  };

  const run = (input: InStatement | string): ResultSet => {
    if (closed) throw new SqliteClientError('The client is closed', 'CLIENT_CLOSED', undefined, undefined, undefined);
    const sql = typeof input === 'string' ? input : input.sql;
    const rawArgs = typeof input === 'string' ? [] : input.args ?? [];
    let args: unknown;
    if (Array.isArray(rawArgs)) {
      args = rawArgs.map(toSql);
    } else {
      const named: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rawArgs as Record<string, unknown>)) named[/^[@$:]/.test(k) ? k.slice(1) : k] = toSql(v);
      args = named;
    }
    try {
      const p = prepare(sql);
      if (p.columns !== null) {
        const cols = p.columns;
        const rows = (p.stmt.all(args) as unknown[][]).map((r) => toRow(r, cols));
        return resultSet(cols, p.columnTypes, rows, 0, undefined);
      }
      const info = p.stmt.run(args);
      return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw mapError(e);
    }
  };

  const exec = (sql: string): void => {
    try {
      conn.exec(sql);
    } catch (e) {
      throw mapError(e);
    }
  };

  const begin = (mode: 'write' | 'read' | 'deferred'): string =>
    mode === 'write' ? 'BEGIN IMMEDIATE' : mode === 'read' ? 'BEGIN TRANSACTION READONLY' : 'BEGIN DEFERRED';

  const transaction = (mode: 'write' | 'read' | 'deferred'): Tx => {
    run(begin(mode));
    let done = false;
    const closedError = (): SqliteClientError => new SqliteClientError('The transaction is closed', 'TRANSACTION_CLOSED', undefined, undefined, undefined);
    const settle = (sql: string): void => {
      if (done) return;
      done = true;
      if (conn.open && conn.inTransaction) run(sql);
    };
    const commit = (): void => {
      if (done) throw closedError();
      done = true;
      try {
        run('COMMIT');
      } finally {
        // A failed COMMIT leaves the transaction open: never hand the connection on in that state.
        if (conn.open && conn.inTransaction) {
          try {
            run('ROLLBACK');
          } catch {
            // the COMMIT's error is the one to report
          }
        }
      }
    };
    const tx: Tx = {
      execute: (stmt: InStatement) => settled(() => {
        if (done) throw closedError();
        return run(stmt);
      }),
      batch: (stmts: InStatement[]) => settled(() => stmts.map((st) => run(st))),
      executeMultiple: (sql: string) => settled(() => exec(sql)),
      commit: () => settled(commit),
      rollback: () => settled(() => settle('ROLLBACK')),
      close: () => settle('ROLLBACK'),
      get closed() {
        return done || !conn.open || !conn.inTransaction;
      },
    };
    return tx;
  };

  const inTransaction = <T>(beginSql: string, body: () => T, after?: () => void): T => {
    run(beginSql);
    try {
      const out = body();
      run('COMMIT');
      return out;
    } finally {
      if (conn.inTransaction) run('ROLLBACK');
      after?.();
    }
  };

  const client: Client = {
    execute: (stmtOrSql: InStatement | string, args?: unknown) =>
      settled(() => run(typeof stmtOrSql === 'string' ? ({ sql: stmtOrSql, args: args ?? [] } as InStatement) : stmtOrSql)),
    batch: (stmts, mode = 'deferred') =>
      settled(() => inTransaction(begin(mode), () => stmts.map((st) => run(Array.isArray(st) ? { sql: st[0], args: st[1] ?? [] } : st)))),
    migrate: (stmts) => settled(() => {
      run('PRAGMA foreign_keys=off');
      return inTransaction('BEGIN DEFERRED', () => stmts.map((st) => run(st)), () => run('PRAGMA foreign_keys=on'));
    }),
    transaction: (mode: 'write' | 'read' | 'deferred' = 'write') => settled(() => transaction(mode)),
    executeMultiple: (sql: string) => settled(() => exec(sql)),
    sync: () => Promise.reject(new Error('sync() is for embedded replicas, not local files')),
    close: () => {
      closed = true;
      cache.clear();
      if (conn.open) conn.close();
    },
    reconnect: () => {
      throw new Error('reconnect() is not supported by the cached local client');
    },
    get closed() {
      return closed;
    },
    protocol: 'file',
  };
  return client;
}
