import type { drizzle } from 'drizzle-orm/libsql';

type Client = ReturnType<typeof drizzle>['$client'];
type Tx = Awaited<ReturnType<Client['transaction']>>;

/**
 * The process has ONE write connection. While a write transaction holds it, every other statement must wait
 * until it commits or rolls back (run inside it, a read could see uncommitted rows, or a write could be rolled
 * back with a savepoint it does not belong to). The group-commit batcher holds the gate for its batch;
 * `gateTransactions` makes the process's ordinary client wait on it.
 */
export class TxGate {
  private open: Promise<void> | null = null;

  /** While a transaction holds the gate: a promise of its release. Check and act in one synchronous step. */
  get busy(): Promise<void> | null {
    return this.open;
  }

  /** Waits for the gate, takes it, and resolves with the function that gives it back. */
  async hold(): Promise<() => void> {
    while (this.open !== null) await this.open;
    let release: () => void = () => undefined;
    this.open = new Promise<void>((r) => {
      release = r;
    });
    return () => {
      this.open = null;
      release();
    };
  }
}

/**
 * `inner` with every statement waiting for `gate` first, and `transaction()` holding it until the transaction
 * ends. The check and the call happen in the same synchronous step, so nothing can slip between them.
 */
export function gateTransactions(inner: Client, gate: TxGate): Client {
  const wrapped = {
    async execute(...args: unknown[]) {
      for (let p = gate.busy; p !== null; p = gate.busy) await p; // then the call, in the same step
      return (inner.execute as (...a: unknown[]) => ReturnType<Client['execute']>).apply(inner, args);
    },
    async batch(...args: Parameters<Client['batch']>) {
      for (let p = gate.busy; p !== null; p = gate.busy) await p; // then the call, in the same step
      return inner.batch(...args);
    },
    async migrate(...args: Parameters<Client['migrate']>) {
      for (let p = gate.busy; p !== null; p = gate.busy) await p; // then the call, in the same step
      return inner.migrate(...args);
    },
    async executeMultiple(sql: string) {
      for (let p = gate.busy; p !== null; p = gate.busy) await p; // then the call, in the same step
      return inner.executeMultiple(sql);
    },
    async transaction(mode?: 'write' | 'read' | 'deferred'): Promise<Tx> {
      const done = await gate.hold();
      let tx: Tx;
      try {
        tx = await inner.transaction(mode);
      } catch (err) {
        done();
        throw err;
      }
      let released = false;
      const end = (): void => {
        if (released) return;
        released = true;
        done();
      };
      return {
        execute: (stmt) => tx.execute(stmt),
        batch: (stmts) => tx.batch(stmts),
        executeMultiple: (sql) => tx.executeMultiple(sql),
        async commit() {
          try {
            await tx.commit();
          } finally {
            end();
          }
        },
        async rollback() {
          try {
            await tx.rollback();
          } finally {
            end();
          }
        },
        close() {
          tx.close();
          end();
        },
        get closed() {
          return tx.closed;
        },
      };
    },
    sync: () => inner.sync(),
    close: () => inner.close(),
    reconnect: () => inner.reconnect(),
    get closed() {
      return inner.closed;
    },
    get protocol() {
      return inner.protocol;
    },
  };
  return wrapped;
}
