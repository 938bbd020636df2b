import { and, asc, count, eq, getTableColumns, getTableName, isNull, sql, type Column, type SQL } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { Database } from '../db/client.js';
import { sqlArgs, type Stmt } from '../db/sqlite-exec.js';
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

/**
 * Fixed SQL for the hot per-row statements (insert ... RETURNING, get by id), built once per table from
 * drizzle's own column definitions and encoded/decoded with the columns' own mappers (JSON text, booleans):
 * the same rows drizzle writes and reads, without building the query on every request.
 */
interface FixedSql {
  name: string;
  columns: [string, Column][];
  byKey: Map<string, Column>;
  returning: string;
  getById: string;
  inserts: Map<string, string>;
}
const fixed = new Map<Kind, FixedSql>();
const quote = (n: string): string => `"${n.replace(/"/g, '""')}"`;

function fixedSql(kind: Kind): FixedSql {
  let f = fixed.get(kind);
  if (f === undefined) {
    const t = table(kind);
    const columns = Object.entries(getTableColumns(t)) as [string, Column][];
    const name = getTableName(t);
    const returning = columns.map(([, c]) => quote(c.name)).join(', ');
    f = {
      name, columns, byKey: new Map(columns), returning, inserts: new Map(),
      getById: `SELECT ${returning} FROM ${quote(name)} WHERE ${quote('org_id')} = ? AND ${quote('id')} = ? LIMIT 1`,
    };
    fixed.set(kind, f);
  }
  return f;
}

/** A row of `f`'s columns (in `returning` order) as drizzle returns it. */
function decode(f: FixedSql, values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  f.columns.forEach(([key, col], i) => {
    const v = values[i];
    out[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  });
  return out;
}

const UPSERT_HASH = `INSERT INTO hash_records (org_id, entity_type, entity_id, hash_type, hash) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (org_id, entity_type, entity_id, hash_type) DO UPDATE SET hash = excluded.hash`;

/** The current time as the schema's timestamp default writes it (strftime('%Y-%m-%dT%H:%M:%fZ','now')). */
export function isoNow(): string {
  return new Date().toISOString();
}

/** INSERT [... RETURNING] of the defined fields of `values` (undefined ones take their column default). */
function insertStmt(f: FixedSql, values: Record<string, unknown>, returning = true): Stmt {
  const keys: string[] = [];
  const args: unknown[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const col = f.byKey.get(k);
    if (col === undefined) throw new Error(`no column ${k} in ${f.name}`);
    keys.push(k);
    args.push(v === null ? null : col.mapToDriverValue(v));
  }
  const sig = `${returning ? 'r' : 'n'}:${keys.join(',')}`;
  let text = f.inserts.get(sig);
  if (text === undefined) {
    const cols = keys.map((k) => quote(f.byKey.get(k)?.name ?? k));
    text = `INSERT INTO ${quote(f.name)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})${returning ? ` RETURNING ${f.returning}` : ''}`;
    f.inserts.set(sig, text);
  }
  return { sql: text, args: sqlArgs(args) };
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
    if (this.inTransaction) {
      // Fixed SQL on the write channel: the statement travels with the transaction's pipelined ones.
      const f = fixedSql(kind);
      const [res] = await this.db.channel.run([insertStmt(f, values)]);
      const first = res?.rows[0];
      if (first === undefined) throw new Error(`insert into ${kind} returned nothing`);
      return decode(f, first) as Row<K>;
    }
    const run = async (): Promise<Row<K>> => {
      const [out] = await this.exec.insert(t).values(values).returning();
      if (out === undefined) throw new Error(`insert into ${kind} returned nothing`);
      return out;
    };
    return this.db.writes.run(run);
  }

  async get<K extends Kind>(kind: K, orgId: string, id: string): Promise<Row<K> | null> {
    if (this.inTransaction) {
      const f = fixedSql(kind);
      const [res] = await this.db.channel.run([{ sql: f.getById, args: [orgId, id] }]);
      const first = res?.rows[0];
      return first === undefined ? null : (decode(f, first) as Row<K>);
    }
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

  /**
   * Queues a write whose answer nobody needs (an audit row, a hash record) to run, in order, with the
   * transaction's next statement: no round trip of its own. Its failure fails the transaction. Only inside
   * `transaction()`.
   */
  pipeline(stmt: Stmt): void {
    if (!this.inTransaction) throw new Error('pipeline() is only for statements inside a transaction');
    this.db.channel.defer(stmt);
  }

  /**
   * Queues the INSERT of a row nobody needs to read back (no RETURNING, no round trip): pass every column
   * that has a database default you need to know (created_at: `isoNow()`). A conflict fails the transaction
   * (409 CONFLICT through the error mapper) when the batch runs. Only inside `transaction()`.
   */
  insertLater<K extends Kind>(kind: K, orgId: string, id: string, row: NewRow<K>): void {
    const f = fixedSql(kind);
    const stmt = insertStmt(f, { ...(row as object), id, org_id: orgId }, false);
    this.pipeline(stmt);
  }

  /** Queues the upsert of an entity's hash record (same row as lineage `addHash`). Only inside `transaction()`. */
  recordHashLater(orgId: string, entityType: string, entityId: string, hashType: 'config' | 'data' | 'content' | 'artifact', hash: string): void {
    this.pipeline({ sql: UPSERT_HASH, args: [orgId, entityType, entityId, hashType, hash] });
  }

  async transaction<T>(fn: (tx: LibsqlTenantStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.batcher.run((tx) => fn(new LibsqlTenantStore(this.db, tx, true)));
  }
}
