import { and, asc, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { Database } from '../db/client.js';
import type { ListOptions, TenantStore } from './store.js';
import { TENANT_TABLES, type Kind, type NewRow, type Row } from './tables.js';

/** A drizzle handle: the database itself or an open transaction on it. */
export type Executor = LibSQLDatabase | Parameters<Parameters<LibSQLDatabase['transaction']>[0]>[0];

// Every tenant table has id, org_id and created_at-like ordering; queries are built on one representative
// table type and the rows cast back to the kind's row type.
type AnyTenantTable = (typeof TENANT_TABLES)['packs'];

function table(kind: Kind): AnyTenantTable {
  return TENANT_TABLES[kind] as unknown as AnyTenantTable;
}

function column(t: AnyTenantTable, name: string): AnyTenantTable['id'] {
  const col = (t as unknown as Record<string, AnyTenantTable['id'] | undefined>)[name];
  if (col === undefined) throw new Error(`no column ${name}`);
  return col;
}

function filters(t: AnyTenantTable, orgId: string, where: ListOptions['where']): SQL {
  const parts: SQL[] = [eq(t.org_id, orgId)];
  for (const [k, v] of Object.entries(where ?? {})) {
    const c = column(t, k);
    parts.push(v === null ? isNull(c) : eq(c, v as string));
  }
  const all = and(...parts);
  if (all === undefined) throw new Error('unreachable: empty filter');
  return all;
}

/** TenantStore over libsql + drizzle. Writes and transactions go through the database's one write queue. */
export class LibsqlTenantStore implements TenantStore {
  constructor(
    readonly db: Database,
    readonly exec: Executor = db.orm,
    private readonly inTransaction = false,
  ) {}

  async insert<K extends Kind>(kind: K, orgId: string, id: string, row: NewRow<K>): Promise<Row<K>> {
    const t = table(kind);
    const values = { ...(row as object), id, org_id: orgId } as AnyTenantTable['$inferInsert'];
    const run = async (): Promise<Row<K>> => {
      const [out] = await this.exec.insert(t).values(values).returning();
      if (out === undefined) throw new Error(`insert into ${kind} returned nothing`);
      return out;
    };
    return this.inTransaction ? run() : this.db.writes.run(run);
  }

  async get<K extends Kind>(kind: K, orgId: string, id: string): Promise<Row<K> | null> {
    const t = table(kind);
    const [out] = await this.exec.select().from(t).where(and(eq(t.org_id, orgId), eq(t.id, id))).limit(1);
    return (out as unknown as Row<K> | undefined) ?? null;
  }

  async list<K extends Kind>(kind: K, orgId: string, opts: ListOptions): Promise<Row<K>[]> {
    const t = table(kind);
    const cols = t as unknown as Record<string, unknown>;
    const order = column(t, ['created_at', 'ts', 'started_at', 'id'].find((n) => n in cols) ?? 'id');
    const rows = await this.exec
      .select()
      .from(t)
      .where(filters(t, orgId, opts.where))
      .orderBy(asc(order), sql`rowid`)
      .limit(opts.limit)
      .offset(opts.offset);
    return rows;
  }

  async count<K extends Kind>(kind: K, orgId: string, where?: ListOptions['where']): Promise<number> {
    const t = table(kind);
    const [out] = await this.exec.select({ n: count() }).from(t).where(filters(t, orgId, where));
    return out?.n ?? 0;
  }

  async update<K extends Kind>(kind: K, orgId: string, id: string, patch: Partial<NewRow<K>>): Promise<Row<K> | null> {
    const t = table(kind);
    if (Object.values(patch as object).every((v) => v === undefined)) return this.get(kind, orgId, id);
    const run = async (): Promise<Row<K> | null> => {
      const rows = await this.exec
        .update(t)
        .set(patch as Partial<AnyTenantTable['$inferInsert']>)
        .where(and(eq(t.org_id, orgId), eq(t.id, id)))
        .returning();
      return (rows[0] as unknown as Row<K> | undefined) ?? null;
    };
    return this.inTransaction ? run() : this.db.writes.run(run);
  }

  async remove<K extends Kind>(kind: K, orgId: string, id: string): Promise<boolean> {
    const t = table(kind);
    const run = async (): Promise<boolean> => {
      const rows = await this.exec.delete(t).where(and(eq(t.org_id, orgId), eq(t.id, id))).returning({ id: t.id });
      return rows.length > 0;
    };
    return this.inTransaction ? run() : this.db.writes.run(run);
  }

  async transaction<T>(fn: (tx: LibsqlTenantStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.batcher.run((tx) => fn(new LibsqlTenantStore(this.db, tx, true)));
  }
}
