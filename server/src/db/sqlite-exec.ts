import Libsql from 'libsql';

/**
 * The statement layer shared by the two ways the sidecar talks to its write connection: in the calling thread
 * (`InlineExecutor`, sqlite-client.ts) and on the writer thread (writer-thread.ts, behind `WorkerExecutor`).
 * One libsql connection, prepared statements cached by SQL text, results as plain arrays (structured-clone
 * friendly), errors with SQLite's base and extended codes.
 */

/**
 * One statement: SQL with positional or named arguments (already SQL values), a script for `exec`, or a group
 * marker. The statements between `{ group: 'begin' }` and `{ group: 'end' }` run in a SAVEPOINT: the first
 * one that fails rolls the group back, the group's later statements are skipped (answered with that failure),
 * and the run goes on after the group; `end` answers the group's failure, if any. `abort` rolls back a group
 * that did not fail in SQL (its caller failed).
 */
export type Stmt =
  | { sql: string; args?: readonly unknown[] | Readonly<Record<string, unknown>> }
  | { exec: string }
  | { group: 'begin' }
  | { group: 'end'; abort?: boolean };

/** What a statement answered: rows as arrays (null columns for statements that return none). */
export interface RawResult {
  columns: string[] | null;
  columnTypes: string[];
  rows: unknown[][];
  changes: number;
  lastInsertRowid: bigint | undefined;
}

/** A statement (or group) that failed inside a group, or was skipped because its group had failed. */
export interface Failed {
  failed: WireError;
}
export type Entry = RawResult | Failed;
export const isFailed = (e: Entry): e is Failed => 'failed' in e;
const EMPTY: RawResult = { columns: null, columnTypes: [], rows: [], changes: 0, lastInsertRowid: undefined };

/** How a run of statements ends when one fails. */
export interface RunOptions {
  /** Roll back the open transaction (if any) when a statement fails: for COMMIT, batch() and migrate(). */
  rollbackOnError?: boolean;
  /** A statement run after the others whatever happened (migrate's `PRAGMA foreign_keys=on`). */
  finally?: string;
}

/**
 * Runs statements in order; a failure outside a group stops the run, which rejects with a `SqliteClientError`
 * carrying its index; a failure inside a group is answered as that statement's `Failed` entry.
 */
export interface StatementExecutor {
  run(stmts: readonly Stmt[], opts?: RunOptions): Promise<Entry[]>;
  close(): void;
  readonly closed: boolean;
}

/** An error like @libsql/client's LibsqlError: `code` is the base SQLite code, `extendedCode` the extended one. */
export class SqliteClientError extends Error {
  /** Index of the failing statement in its run (set by executors). */
  index = -1;
  constructor(message: string, readonly code: string, readonly extendedCode: string | undefined, readonly rawCode: number | undefined, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LibsqlError';
  }
}

/** A failure in a form that crosses a thread boundary (structured clone keeps no prototypes). */
export interface WireError {
  kind: 'sqlite' | 'range' | 'type' | 'other';
  message: string;
  code?: string | undefined;
  extendedCode?: string | undefined;
  rawCode?: number | undefined;
  index: number;
}

const BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

/** A libsql failure as a `SqliteClientError` (other errors pass through). */
export function mapError(e: unknown): unknown {
  if (e instanceof SqliteClientError) return e;
  if (e instanceof Error && 'rawCode' in e) {
    const raw = (e as Error & { rawCode?: unknown }).rawCode;
    const rawCode = typeof raw === 'number' ? raw : undefined;
    const extended = (e as Error & { code?: unknown }).code;
    const base = rawCode === undefined ? 'SQLITE_UNKNOWN' : BASE_CODES[rawCode & 0xff] ?? `SQLITE_UNKNOWN_${rawCode & 0xff}`;
    return new SqliteClientError(e.message, base, typeof extended === 'string' ? extended : undefined, rawCode, e);
  }
  return e;
}

export function toWire(e: unknown, index: number): WireError {
  const m = mapError(e);
  if (m instanceof SqliteClientError) return { kind: 'sqlite', message: m.message, code: m.code, extendedCode: m.extendedCode, rawCode: m.rawCode, index };
  const message = m instanceof Error ? m.message : String(m);
  return { kind: m instanceof RangeError ? 'range' : m instanceof TypeError ? 'type' : 'other', message, index };
}

export function fromWire(w: WireError): Error {
  if (w.kind === 'sqlite') {
    const err = new SqliteClientError(w.message, w.code ?? 'SQLITE_UNKNOWN', w.extendedCode, w.rawCode);
    err.index = w.index;
    return err;
  }
  const err = w.kind === 'range' ? new RangeError(w.message) : w.kind === 'type' ? new TypeError(w.message) : new Error(w.message);
  Object.defineProperty(err, 'index', { value: w.index });
  return err;
}

/** The index of the statement that failed, or -1. */
export function failedIndex(e: unknown): number {
  const i = (e as { index?: unknown } | null)?.index;
  return typeof i === 'number' ? i : -1;
}

/** A JavaScript argument as an SQL value, with @libsql/client's rules. */
export function toSql(v: unknown): unknown {
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

/** Positional or named (`:x`, `@x`, `$x` -> `x`) arguments as SQL values. */
export function sqlArgs(raw: unknown): unknown[] | Record<string, unknown> {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw.map(toSql);
  const named: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) named[/^[@$:]/.test(k) ? k.slice(1) : k] = toSql(v);
  return named;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Prepared statements kept per connection (the process issues a few dozen distinct SQL texts). */
const STATEMENT_CACHE = 512;

function fromSql(v: unknown): unknown {
  if (typeof v === 'bigint') {
    if (v < MIN_SAFE || v > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(v);
  }
  return v;
}

interface Prepared {
  stmt: Libsql.Statement<unknown[]>;
  columns: string[] | null;
  columnTypes: string[];
}

/**
 * One libsql connection with its prepared statements cached by SQL text (@libsql/client prepares every
 * statement on every call and asks for its columns twice, which cost more than the statement itself on the
 * write path). Synchronous: used in the calling thread or on the writer thread.
 */
export class StatementRunner {
  private readonly conn: Libsql.Database;
  private readonly cache = new Map<string, Prepared>();
  /** The open group: null outside one; its failure once a statement of it failed. */
  private group: { failed: WireError | null; savepoint: boolean } | null = null;

  constructor(path: string, timeoutMs: number) {
    this.conn = new Libsql(path, { timeout: timeoutMs });
  }

  get open(): boolean {
    return this.conn.open;
  }

  private prepare(sql: string): Prepared {
    let p = this.cache.get(sql);
    if (p === undefined) {
      const stmt = this.conn.prepare<unknown[]>(sql);
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
      if (this.cache.size >= STATEMENT_CACHE) this.cache.clear();
      this.cache.set(sql, p);
    }
    return p;
  }

  one(s: Stmt): RawResult {
    if ('group' in s) throw new Error('group markers are handled by runAll');
    if ('exec' in s) {
      this.conn.exec(s.exec);
      return { columns: null, columnTypes: [], rows: [], changes: 0, lastInsertRowid: undefined };
    }
    const p = this.prepare(s.sql);
    const args = s.args ?? [];
    if (p.columns !== null) {
      const rows = p.stmt.all(args) as unknown[][];
      for (const r of rows) for (let i = 0; i < r.length; i++) r[i] = fromSql(r[i]);
      return { columns: p.columns, columnTypes: p.columnTypes, rows, changes: 0, lastInsertRowid: undefined };
    }
    const info = p.stmt.run(args);
    return { columns: null, columnTypes: [], rows: [], changes: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid) };
  }

  private groupMarker(s: { group: 'begin' } | { group: 'end'; abort?: boolean }): Entry {
    if (s.group === 'begin') {
      if (!this.conn.inTransaction) {
        // Never open a transaction implicitly (a SAVEPOINT outside BEGIN would, and its RELEASE would commit
        // the group alone): when the batch's BEGIN failed, every group of the batch fails.
        this.group = { failed: { kind: 'other', message: 'No write transaction is open (its BEGIN failed).', index: -1 }, savepoint: false };
        return EMPTY;
      }
      this.one({ sql: 'SAVEPOINT sq_group' });
      this.group = { failed: null, savepoint: true };
      return EMPTY;
    }
    const g = this.group;
    if (g === null) return EMPTY;
    this.group = null;
    if (g.savepoint) {
      if (g.failed === null && s.abort === true) this.one({ sql: 'ROLLBACK TO sq_group' });
      this.one({ sql: 'RELEASE sq_group' });
    }
    return g.failed === null ? EMPTY : { failed: g.failed };
  }

  /**
   * Runs `stmts` in order (groups as described at `Stmt`). A failure outside a group throws the (mapped) error
   * with its `index`, after the options' clean-up, and closes any open group.
   */
  runAll(stmts: readonly Stmt[], opts: RunOptions = {}): Entry[] {
    const out: Entry[] = [];
    let i = 0;
    try {
      for (; i < stmts.length; i++) {
        const s = stmts[i] as Stmt;
        if ('group' in s) {
          out.push(this.groupMarker(s));
          continue;
        }
        const g = this.group;
        if (g === null) {
          out.push(this.one(s));
          continue;
        }
        if (g.failed !== null) {
          out.push({ failed: g.failed });
          continue;
        }
        try {
          out.push(this.one(s));
        } catch (e) {
          g.failed = toWire(e, i);
          this.one({ sql: 'ROLLBACK TO sq_group' });
          out.push({ failed: g.failed });
        }
      }
      return out;
    } catch (e) {
      this.group = null;
      // A failed COMMIT leaves the transaction open: never hand the connection on in that state.
      if (opts.rollbackOnError === true && this.conn.open && this.conn.inTransaction) {
        try {
          this.conn.exec('ROLLBACK');
        } catch {
          // the statement's error is the one to report
        }
      }
      const m = mapError(e);
      if (m instanceof SqliteClientError) m.index = i;
      else if (m instanceof Error) Object.defineProperty(m, 'index', { value: i });
      throw m;
    } finally {
      if (opts.finally !== undefined && this.conn.open) this.conn.exec(opts.finally);
    }
  }

  close(): void {
    this.cache.clear();
    if (this.conn.open) this.conn.close();
  }
}
