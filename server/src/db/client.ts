import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gateTransactions } from './gate.js';
import { FastReader } from './reader.js';
import { TxBatcher } from './tx-batcher.js';
import { WriteQueue } from './write-queue.js';

// @libsql/client's type declarations are ESM-only while its CommonJS build is what Node loads here, so the
// client type comes through drizzle and the factory is required by hand.
type Client = ReturnType<typeof drizzle>['$client'];
interface ClientConfig {
  url: string;
  concurrency?: number;
  timeout?: number;
  intMode?: 'number' | 'bigint' | 'string';
}
const libsql = createRequire(__filename)('@libsql/client') as { createClient: (config: ClientConfig) => Client };

export const DB_FILE_NAME = 'sigmatiq.db';
export const BUSY_TIMEOUT_MS = 5_000;

/** An open sidecar database: the libsql client, drizzle on top of it, and the process's single write queue. */
export interface Database {
  readonly client: Client;
  readonly orm: LibSQLDatabase;
  readonly writes: WriteQueue;
  /** Group commit of write transactions, on top of `writes`. */
  readonly batcher: TxBatcher;
  /** The database file path, or ':memory:'. */
  readonly location: string;
  /** Read-only prepared-statement connection for hot reads; null for in-memory databases. */
  readonly reader: FastReader | null;
  /** Runs a trivial query; resolves with the round-trip time in ms or rejects. */
  ping(): Promise<number>;
  close(): void;
}

/**
 * Opens (creating if needed) the libsql file database in `dataDir` with WAL journal, a busy timeout and
 * synchronous=FULL. The client is limited to ONE connection: per-connection pragmas (foreign_keys,
 * synchronous, busy_timeout) then hold for every statement, and every statement of the process goes through
 * one queue, so writes never contend with each other inside the process.
 */
export async function openDatabase(dataDir: string | null): Promise<Database> {
  let location = ':memory:';
  let url = ':memory:';
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    location = path.join(dataDir, DB_FILE_NAME);
    url = `file:${location}`;
  }
  const client = libsql.createClient({ url, concurrency: 1, timeout: BUSY_TIMEOUT_MS, intMode: 'number' });
  try {
    if (dataDir !== null) await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await client.execute('PRAGMA synchronous = FULL');
    await client.execute('PRAGMA foreign_keys = ON');
  } catch (err) {
    client.close();
    throw err;
  }
  const gated = gateTransactions(client);
  const orm = drizzle(gated);
  let reader: FastReader | null = null;
  const writes = new WriteQueue();
  return {
    client: gated,
    get reader(): FastReader | null {
      // Opened on first use: the file and its WAL exist by then (migrations ran).
      if (reader === null && dataDir !== null) reader = new FastReader(location, BUSY_TIMEOUT_MS);
      return reader;
    },
    orm,
    writes,
    batcher: new TxBatcher(orm, writes),
    location,
    async ping(): Promise<number> {
      const t0 = performance.now();
      await gated.execute('SELECT 1');
      return performance.now() - t0;
    },
    close(): void {
      reader?.close();
      client.close();
    },
  };
}
