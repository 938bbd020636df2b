import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';

// Platform tables: not owned by one tenant.
const PLATFORM = new Set(['orgs', 'roles', 'auth_failures', '__drizzle_migrations']);

describe('migrated schema', () => {
  it('gives every tenant table org_id NOT NULL and an index (or key) whose first column is org_id', async () => {
    const db = await openDatabase(null);
    try {
      await migrateDatabase(db);
      const tables = (await db.client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).rows.map((r) => r['name'] as string);
      expect(tables.length).toBeGreaterThan(20);
      for (const table of tables.filter((n) => !PLATFORM.has(n))) {
        const cols = (await db.client.execute(`PRAGMA table_info(${table})`)).rows;
        const org = cols.find((c) => c['name'] === 'org_id');
        expect(org, `${table}.org_id`).toBeDefined();
        expect(Number(org?.['notnull']) === 1 || Number(org?.['pk']) > 0, `${table}.org_id NOT NULL`).toBe(true);
        const pkFirst = cols.find((c) => Number(c['pk']) === 1)?.['name'] === 'org_id';
        const indexes = (await db.client.execute(`PRAGMA index_list(${table})`)).rows;
        let indexed = pkFirst;
        for (const ix of indexes) {
          const first = (await db.client.execute(`PRAGMA index_info(${ix['name'] as string})`)).rows.find((c) => Number(c['seqno']) === 0);
          if (first?.['name'] === 'org_id') indexed = true;
        }
        expect(indexed, `${table} has an index starting with org_id`).toBe(true);
      }
    } finally {
      db.close();
    }
  });

  it('runs with WAL, synchronous FULL, a busy timeout and foreign keys on a file database', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'sq-pragma-'));
    const db = await openDatabase(dir);
    try {
      const one = async (sql: string) => Object.values((await db.client.execute(sql)).rows[0] ?? {})[0];
      expect(await one('PRAGMA journal_mode')).toBe('wal');
      expect(await one('PRAGMA synchronous')).toBe(2); // 2 = FULL
      expect(Number(await one('PRAGMA busy_timeout'))).toBeGreaterThanOrEqual(1000);
      expect(await one('PRAGMA foreign_keys')).toBe(1);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
