import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { WriteQueue } from './write-queue.js';

/** A drizzle handle inside a write transaction. */
export type TxExecutor = Parameters<Parameters<LibSQLDatabase['transaction']>[0]>[0];

interface Pending {
  fn: (tx: TxExecutor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the process's one write queue. Transactions that arrive while another batch is being
 * written are run together, in arrival order, inside ONE SQLite transaction, each in its own SAVEPOINT: a
 * failing one rolls back alone and rejects alone; the others commit together, with one fsync
 * (synchronous=FULL) for the batch instead of one per request. Nobody is answered before the COMMIT, so
 * every acknowledged write is durable, and if the COMMIT fails every member of the batch is rejected.
 */
export class TxBatcher {
  private pending: Pending[] = [];
  private scheduled = false;
  /** Batches committed (or failed) so far and how many transactions they carried. */
  readonly stats = { batches: 0, transactions: 0, largest: 0 };

  constructor(
    private readonly orm: LibSQLDatabase,
    private readonly writes: WriteQueue,
    private readonly maxBatch = 64,
  ) {}

  run<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * The flush waits for setImmediate, i.e. until every I/O callback of the current event-loop turn has run:
   * the requests that arrived together (typically while the previous batch's COMMIT was blocking the loop on
   * its fsync) all reach `run()` first and share one batch. Started from a microtask instead, the flush would
   * take only the first request of the turn, and with a synchronous driver the whole batch (fsync included)
   * would run before the next request is even parsed: batches of one.
   */
  private schedule(): void {
    if (this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.writes.run(() => this.flush()).catch(() => undefined);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    this.scheduled = false;
    this.stats.batches += 1;
    this.stats.transactions += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.orm.transaction(async (tx) => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: await tx.transaction((sp) => item.fn(sp)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      this.schedule();
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i];
      if (o === undefined) item.reject(new Error('transaction outcome missing'));
      else if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
    this.schedule();
  }
}
