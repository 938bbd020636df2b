import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WorkerExecutor } from './executors.js';
import { gateTransactions, TxGate } from './gate.js';
import { clientOver } from './sqlite-client.js';
import { FastReader } from './reader.js';
import { TxBatcher } from './tx-batcher.js';
import { WriteChannel } from './write-channel.js';
import { WriteQueue } from './write-queue.js';

// The client type (@libsql/client's Client, whose declarations are ESM-only) comes through drizzle. The
// implementation is ours (sqlite-client.ts: the same local client with cached prepared statements).
type Client = ReturnType<typeof drizzle>['$client'];

export const DB_FILE_NAME = 'sigmatiq.db';
export const BUSY_TIMEOUT_MS = 5_000;

/** An open sidecar database: the libsql client, drizzle on top of it, and the process's single write queue. */
export interface Database {
  readonly client: Client;
  readonly orm: LibSQLDatabase;
  readonly writes: WriteQueue;
  /** Group commit of write transactions, on top of `writes`. */
  readonly batcher: TxBatcher;
  /**
   * The write transaction's statement path (only while the batcher holds the transaction, i.e. inside
   * `batcher.run` / `TenantStore.transaction`): fixed SQL and pipelined (`defer`red) statements.
   */
  readonly channel: WriteChannel;
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
 * synchronous=FULL. ONE write connection, owned by the writer thread (writer-thread.ts): per-connection pragmas
 * (foreign_keys, synchronous, busy_timeout) hold for every statement, every statement of the process goes
 * through one queue, so writes never contend with each other inside the process, and the event loop never
 * waits for SQLite (above all not for the fsync of a COMMIT).
 */
export async function openDatabase(dataDir: string | null): Promise<Database> {
  let location = ':memory:';
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    location = path.join(dataDir, DB_FILE_NAME);
  }
  const executor = await WorkerExecutor.start(location, BUSY_TIMEOUT_MS);
  const client = clientOver(executor);
  try {
    if (dataDir !== null) await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await client.execute('PRAGMA synchronous = FULL');
    await client.execute('PRAGMA foreign_keys = ON');
  } catch (err) {
    client.close();
    throw err;
  }
  const gate = new TxGate();
  const gated = gateTransactions(client, gate);
  const orm = drizzle(gated);
  const channel = new WriteChannel(executor);
  const txOrm = drizzle(clientOver(channel));
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
    batcher: new TxBatcher(txOrm, channel, gate, writes),
    channel,
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
