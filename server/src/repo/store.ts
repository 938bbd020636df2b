import type { Row, NewRow, Kind } from './tables.js';

export interface ListOptions {
  limit: number;
  offset: number;
  /** Equality filters on columns of the kind (e.g. { sweep_id }). */
  where?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * The tenant-scoped repository every route goes through. EVERY method takes the caller's org id and only ever
 * sees rows of that org: a foreign id behaves exactly like a missing one. Implementations: LibsqlTenantStore
 * (this package); a Postgres one must pass the same contract suite (repo/store.contract.ts).
 */
export interface TenantStore {
  insert<K extends Kind>(kind: K, orgId: string, id: string, row: NewRow<K>): Promise<Row<K>>;
  get<K extends Kind>(kind: K, orgId: string, id: string): Promise<Row<K> | null>;
  list<K extends Kind>(kind: K, orgId: string, opts: ListOptions): Promise<Row<K>[]>;
  count<K extends Kind>(kind: K, orgId: string, where?: ListOptions['where']): Promise<number>;
  /** Updates the given columns; resolves with the new row, or null if no such row in the org. */
  update<K extends Kind>(kind: K, orgId: string, id: string, patch: Partial<NewRow<K>>): Promise<Row<K> | null>;
  /** Deletes; resolves false if no such row in the org. */
  remove<K extends Kind>(kind: K, orgId: string, id: string): Promise<boolean>;
  /** Runs `fn` in one write transaction (queued behind every other write of the process); rolls back if it throws. */
  transaction<T>(fn: (tx: TenantStore) => Promise<T>): Promise<T>;
}
