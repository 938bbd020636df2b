import { fromWire, isFailed, type Entry, type RawResult, type RunOptions, type StatementExecutor, type Stmt } from './sqlite-exec.js';

/** A group opened by `beginGroup` (one mutation of a group commit). */
export interface Group {
  /** Queue length before the group's `begin` marker. */
  readonly mark: number;
  /** `sent` when the group began: unchanged means nothing of the group reached the connection. */
  readonly sentAtBegin: number;
}

/**
 * The write transaction's path to the connection, as a pipeline. Statements are queued (`defer`) and sent in
 * one message ahead of the next `run()`, the one that needs an answer, or of the COMMIT. Each mutation of a
 * group commit is a group (`beginGroup`/`endGroup`): it runs in a SAVEPOINT on the connection, a failing
 * statement rolls back its group alone, and `endGroup` resolves with the group's SQL failure (or null) once
 * its end marker has run. A mutation that only queues its writes (insert, audit row, hash record) costs no
 * round trip to the writer thread at all: the whole batch travels with its COMMIT.
 */
export class WriteChannel implements StatementExecutor {
  private pending: Stmt[] = [];
  /** Resolvers of the group ends in `pending`, by their position in it. */
  private ends = new Map<number, (failure: Error | null) => void>();
  /** Incremented by every message sent. */
  private sent = 0;

  constructor(private readonly ex: StatementExecutor) {}

  /** Queues `stmt` to run, in order, before the statements of the next run(). */
  defer(stmt: Stmt): void {
    this.pending.push(stmt);
  }

  beginGroup(): Group {
    const g = { mark: this.pending.length, sentAtBegin: this.sent };
    this.pending.push({ group: 'begin' });
    return g;
  }

  /**
   * Ends `g`; `abort` rolls it back (its caller failed). Resolves with the group's SQL failure, or null, once
   * the end marker has run (or at once when an aborted group never reached the connection: it is dropped).
   */
  endGroup(g: Group, abort: boolean): Promise<Error | null> {
    if (abort && this.sent === g.sentAtBegin) {
      this.drop(g.mark);
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      this.ends.set(this.pending.length, resolve);
      this.pending.push(abort ? { group: 'end', abort: true } : { group: 'end' });
    });
  }

  /** Drops the queued statements from position `keep` on (resolving their group ends with null). */
  drop(keep: number): void {
    for (const [pos, resolve] of this.ends) {
      if (pos >= keep) {
        this.ends.delete(pos);
        resolve(null);
      }
    }
    this.pending.length = Math.min(keep, this.pending.length);
  }

  /**
   * Sends the queue and `stmts` in one message; resolves with the results of `stmts`. A statement that failed
   * inside a group (or was skipped because its group failed) rejects with that failure; a failure outside a
   * group rejects with it and fails every group end of the message.
   */
  async run(stmts: readonly Stmt[], opts?: RunOptions): Promise<RawResult[]> {
    const ahead = this.pending.length;
    const list = ahead === 0 ? stmts : [...this.pending, ...stmts];
    const ends = this.ends;
    this.pending = [];
    this.ends = new Map();
    this.sent += 1;
    let entries: Entry[];
    try {
      entries = await this.ex.run(list, opts);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      for (const resolve of ends.values()) resolve(err);
      throw err;
    }
    for (const [pos, resolve] of ends) {
      const entry = entries[pos];
      resolve(entry !== undefined && isFailed(entry) ? fromWire(entry.failed) : null);
    }
    const out: RawResult[] = [];
    for (let i = ahead; i < entries.length; i++) {
      const entry = entries[i];
      if (entry === undefined) throw new Error('missing result');
      if (isFailed(entry)) throw fromWire(entry.failed);
      out.push(entry);
    }
    return out;
  }

  close(): void {
    this.ex.close();
  }

  get closed(): boolean {
    return this.ex.closed;
  }
}
