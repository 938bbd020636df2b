import Libsql from 'libsql';

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

  constructor(file: string, busyTimeoutMs: number) {
    this.conn = new Libsql(file, { readonly: true, timeout: busyTimeoutMs });
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
