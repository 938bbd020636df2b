import type { drizzle } from 'drizzle-orm/libsql';

type Client = ReturnType<typeof drizzle>['$client'];
type Tx = Awaited<ReturnType<Client['transaction']>>;

/**
 * The client has ONE connection (so per-connection pragmas hold). While a transaction holds it,
 * @libsql/client REJECTS any other statement with TRANSACTION_ACTIVE instead of waiting. This wrapper makes
 * statements outside the transaction wait until it commits or rolls back. The check and the call happen
 * in the same synchronous step, so nothing can slip between them.
 */
export function gateTransactions(inner: Client): Client {
  let open: Promise<void> | null = null;
  const wrapped = {
    async execute(...args: unknown[]) {
      while (open !== null) await open;
      return (inner.execute as (...a: unknown[]) => ReturnType<Client['execute']>).apply(inner, args);
    },
    async batch(...args: Parameters<Client['batch']>) {
      while (open !== null) await open;
      return inner.batch(...args);
    },
    async migrate(...args: Parameters<Client['migrate']>) {
      while (open !== null) await open;
      return inner.migrate(...args);
    },
    async executeMultiple(sql: string) {
      while (open !== null) await open;
      return inner.executeMultiple(sql);
    },
    async transaction(mode?: 'write' | 'read' | 'deferred'): Promise<Tx> {
      while (open !== null) await open;
      let release: () => void = () => undefined;
      open = new Promise<void>((r) => { release = r; });
      const done = (): void => {
        open = null;
        release();
      };
      let tx: Tx;
      try {
        tx = await inner.transaction(mode);
      } catch (err) {
        done();
        throw err;
      }
      return {
        execute: (stmt) => tx.execute(stmt),
        batch: (stmts) => tx.batch(stmts),
        executeMultiple: (sql) => tx.executeMultiple(sql),
        async commit() {
          try {
            await tx.commit();
          } finally {
            done();
          }
        },
        async rollback() {
          try {
            await tx.rollback();
          } finally {
            done();
          }
        },
        close() {
          tx.close();
          done();
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
