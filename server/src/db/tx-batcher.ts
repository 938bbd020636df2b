import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { TxGate } from './gate.js';
import type { WriteChannel } from './write-channel.js';
import type { WriteQueue } from './write-queue.js';

const MAX_COMMITS_IN_FLIGHT = 2;

/**
 * A drizzle handle inside a write transaction. It is a plain drizzle database over the write channel: its
 * statements run inside the batch's transaction because the batcher holds the gate (nothing else runs on the
 * connection meanwhile); nested drizzle transactions are not used.
 */
export type TxExecutor = LibSQLDatabase;

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
 *
 * Statements go through the write channel's pipeline: BEGIN, each mutation's group (SAVEPOINT) and its queued
 * writes travel with the next statement that needs an answer, or with the COMMIT. A mutation that only
 * queues writes costs no round trip to the writer thread; one that fails before sending anything is dropped.
 */
export class TxBatcher {
  private pending: Pending[] = [];
  private scheduled = false;
  /** COMMITs posted and not answered yet. */
  private inFlight = 0;
  /** Batches committed (or failed) so far and how many transactions they carried. */
  readonly stats = { batches: 0, transactions: 0, largest: 0 };

  constructor(
    private readonly txOrm: TxExecutor,
    private readonly channel: WriteChannel,
    private readonly gate: TxGate,
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
   * the requests that arrived together all reach `run()` first and share one batch. Started from a microtask
   * instead, the flush would take only the first request of the turn.
   */
  private schedule(): void {
    // At most two COMMITs in flight: one syncing, the next queued behind it on the writer thread (so the writer
    // never waits for the event loop), while the batch after them gathers every request that arrives meanwhile.
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= MAX_COMMITS_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => {
      this.writes.run(() => this.flush()).catch(() => undefined);
    });
  }

  /**
   * Runs the batch's mutations and posts its COMMIT, then returns without waiting for it: the next batch is
   * prepared (and queued behind this COMMIT on the writer thread) while the disk syncs, so the writer runs
   * commits back to back instead of waiting for the event loop between them. Statements of the next batch run
   * after this COMMIT, so they see its outcome. Members are answered when their COMMIT has answered.
   */
  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    this.scheduled = false;
    this.stats.batches += 1;
    this.stats.transactions += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    const ch = this.channel;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const ends: Promise<Error | null>[] = [];
    const release = await this.gate.hold();
    let commit: Promise<unknown>;
    try {
      ch.defer({ sql: 'BEGIN IMMEDIATE' });
      for (const item of batch) {
        const g = ch.beginGroup();
        try {
          outcomes.push({ ok: true, value: await item.fn(this.txOrm) });
          ends.push(ch.endGroup(g, false));
        } catch (error) {
          outcomes.push({ ok: false, error });
          ends.push(ch.endGroup(g, true));
        }
      }
      // A failed COMMIT is rolled back by the writer before anything after it runs.
      commit = ch.run([{ sql: 'COMMIT' }], { rollbackOnError: true });
    } finally {
      release();
    }
    this.inFlight += 1;
    this.schedule();
    commit.finally(() => {
      this.inFlight -= 1;
      this.schedule();
    }).catch(() => undefined);
    commit.then(
      async () => {
        // Every group end ran before the COMMIT: its SQL failure, if any, fails that mutation alone.
        const failures = await Promise.all(ends);
        batch.forEach((item, i) => {
          const o = outcomes[i];
          const sqlFailure = failures[i] ?? null;
          if (o === undefined) item.reject(new Error('transaction outcome missing'));
          else if (!o.ok) item.reject(o.error);
          else if (sqlFailure !== null) item.reject(sqlFailure);
          else item.resolve(o.value);
        });
      },
      (error: unknown) => {
        // BEGIN or the COMMIT failed: nothing of the batch is kept.
        for (const item of batch) item.reject(error);
      },
    ).catch(() => undefined);
  }
}
