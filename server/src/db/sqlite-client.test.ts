import { describe, expect, it } from 'vitest';
import { openSqliteClient } from './sqlite-client.js';

describe('openSqliteClient (cached-statement local client)', () => {
  it('answers rows by index and by column name, ints as numbers, and reuses statements across calls', async () => {
    const c = openSqliteClient(':memory:', 1000);
    try {
      await c.executeMultiple('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, x REAL)');
      for (const [i, n] of [[1, 'a'], [2, 'b']] as const) await c.execute({ sql: 'INSERT INTO t (id, name, x) VALUES (?, ?, ?)', args: [i, n, i / 4] });
      const r = await c.execute({ sql: 'SELECT id, name, x FROM t ORDER BY id', args: [] });
      expect(r.columns).toEqual(['id', 'name', 'x']);
      expect(r.rows.map((row) => Array.from(row))).toEqual([[1, 'a', 0.25], [2, 'b', 0.5]]);
      expect(Object.keys(r.rows[0] ?? {})).toEqual(['id', 'name', 'x']); // indexes are not enumerable
      expect(r.rows[1]?.['name']).toBe('b');
      // The same SQL again (cached statement) sees the new row.
      await c.execute({ sql: 'INSERT INTO t (id, name, x) VALUES (?, ?, ?)', args: [3, 'c', 1] });
      expect((await c.execute({ sql: 'SELECT id, name, x FROM t ORDER BY id', args: [] })).rows).toHaveLength(3);
      const ins = await c.execute({ sql: 'UPDATE t SET x = 0 WHERE id > ?', args: [1] });
      expect(ins.rowsAffected).toBe(2);
      // 2^53 + 1 cannot be a JavaScript number: refused (as @libsql/client with intMode 'number'), not rounded.
      await c.executeMultiple(`INSERT INTO t (id, name) VALUES (9007199254740993, 'big')`);
      await expect(c.execute("SELECT id FROM t WHERE name = 'big'")).rejects.toThrow(RangeError);
    } finally {
      c.close();
    }
  });

  it('maps constraint errors to SQLITE_CONSTRAINT codes and rolls transactions back', async () => {
    const c = openSqliteClient(':memory:', 1000);
    try {
      await c.executeMultiple('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)');
      await c.execute({ sql: 'INSERT INTO t (id, name) VALUES (?, ?)', args: [1, 'a'] });
      const err: unknown = await c.execute({ sql: 'INSERT INTO t (id, name) VALUES (?, ?)', args: [2, 'a'] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SQLITE_CONSTRAINT', extendedCode: 'SQLITE_CONSTRAINT_UNIQUE' });
      const tx = await c.transaction('write');
      await tx.execute({ sql: 'INSERT INTO t (id, name) VALUES (?, ?)', args: [3, 'c'] });
      await tx.rollback();
      expect(tx.closed).toBe(true);
      const tx2 = await c.transaction('write');
      await tx2.execute({ sql: 'INSERT INTO t (id, name) VALUES (?, ?)', args: [4, 'd'] });
      await tx2.commit();
      expect((await c.execute('SELECT id FROM t ORDER BY id')).rows.map((r) => r[0])).toEqual([1, 4]);
      await expect(tx2.execute('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
    } finally {
      c.close();
    }
  });
});
