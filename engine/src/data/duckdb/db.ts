/**
 * The process's one in-memory DuckDB instance (lazily created) and a helper that runs work on a
 * fresh connection and always closes it. Sessions run with TimeZone = 'UTC'.
 * This folder is the ONLY place in the engine that imports @duckdb/node-api.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | undefined;

function getInstance(): Promise<DuckDBInstance> {
  instance ??= DuckDBInstance.create(':memory:');
  return instance;
}

export async function withConnection<T>(work: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const con = await (await getInstance()).connect();
  try {
    await con.run("SET TimeZone = 'UTC'");
    return await work(con);
  } finally {
    con.closeSync();
  }
}

/** SQL string literal with quotes doubled. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** SQL identifier with quotes doubled. */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
