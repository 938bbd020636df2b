import Libsql from 'libsql';

/** At most this many memoized answers (each a leaderboard page, tens of KB at most). */
const MEMO_ENTRIES = 256;

/**
 * A read-only second connection to the database FILE, with cached prepared statements, for hot read paths
 * (the leaderboard). @libsql/client prepares every statement on every call and builds each row through
 * property descriptors, which costs more than the query itself for a 50-row page. Reads in WAL mode see
 * every committed write. Writes never go through here. For in-memory databases (tests) there is no second
 * connection and callers use the client instead.
 */
export class FastReader {
  private readonly conn: Libsql.Database;
  private readonly statements = new Map<string, Libsql.Statement<unknown[]>>();
  private readonly dataVersion: Libsql.Statement<unknown[]>;
  /** Rendered answers by (sql, args), valid while `memoVersion` is the database's data_version. */
  private readonly memo = new Map<string, string>();
  private memoVersion: unknown = null;

  constructor(file: string, busyTimeoutMs: number) {
    this.conn = new Libsql(file, { readonly: true, timeout: busyTimeoutMs });
    this.dataVersion = this.conn.prepare<unknown[]>('PRAGMA data_version').raw(true);
  }

  /**
   * `render(rows(sql, args))`, memoized until the database changes. SQLite's `PRAGMA data_version` on this
   * connection changes whenever ANY other connection (this process's writer, another process) commits, so
   * a memoized answer is served only while no commit has happened since the version check that preceded
   * its query: never stale. (The query runs after that check, so its snapshot is at least as new; a commit
   * in between only costs a recomputation on the next call.) `render` returning null (e.g. an empty page
   * the caller must look into) is not memoized.
   */
  memoized(sql: string, args: readonly unknown[], render: (rows: unknown[][]) => string | null): string | null {
    const version = (this.dataVersion.get() as unknown[] | undefined)?.[0];
    if (version !== this.memoVersion) {
      this.memo.clear();
      this.memoVersion = version;
    }
    const key = `${sql}\u0000${JSON.stringify(args)}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const text = render(this.rows(sql, args));
    if (text !== null) {
      if (this.memo.size >= MEMO_ENTRIES) this.memo.clear();
      this.memo.set(key, text);
    }
    return text;
  }

  /** Rows as arrays of column values, in SELECT order. */
  rows(sql: string, args: readonly unknown[]): unknown[][] {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.conn.prepare<unknown[]>(sql).raw(true);
      this.statements.set(sql, stmt);
    }
    return stmt.all(...args) as unknown[][];
  }

  close(): void {
    if (this.conn.open) this.conn.close();
  }
}
