import { describe, expect, it } from 'vitest';
import { InlineExecutor, WorkerExecutor } from './executors.js';
import { clientOver } from './sqlite-client.js';
import { fromWire, isFailed, type StatementExecutor } from './sqlite-exec.js';
import { WriteChannel } from './write-channel.js';

// One contract, two executors: statements in the calling thread, and on the writer thread (what the sidecar uses).
const EXECUTORS: [string, () => Promise<StatementExecutor>][] = [
  ['inline', () => Promise.resolve(new InlineExecutor(':memory:', 1000))],
  ['writer thread', () => WorkerExecutor.start(':memory:', 1000)],
];

describe.each(EXECUTORS)('client over the %s executor (cached-statement local client)', (_name, open) => {
  it('answers rows by index and by column name, ints as numbers, and reuses statements across calls', async () => {
    const c = clientOver(await open());
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
    const c = clientOver(await open());
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

  it('runs groups as savepoints: a failing statement rolls back its group alone, later ones are skipped, the run goes on', async () => {
    const ex = await open();
    try {
      await ex.run([{ exec: 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)' }]);
      const out = await ex.run([
        { sql: 'BEGIN IMMEDIATE' },
        { group: 'begin' }, { sql: 'INSERT INTO t (id, name) VALUES (1, ?)', args: ['a'] }, { group: 'end' },
        { group: 'begin' }, { sql: 'INSERT INTO t (id, name) VALUES (2, ?)', args: ['b'] }, { sql: 'INSERT INTO t (id, name) VALUES (3, ?)', args: ['a'] },
        { sql: 'INSERT INTO t (id, name) VALUES (4, ?)', args: ['d'] }, { group: 'end' },
        { group: 'begin' }, { sql: 'INSERT INTO t (id, name) VALUES (5, ?)', args: ['e'] }, { group: 'end', abort: true },
        { group: 'begin' }, { sql: 'INSERT INTO t (id, name) VALUES (6, ?)', args: ['f'] }, { group: 'end' },
        { sql: 'COMMIT' },
      ]);
      const failed = out.map((e, i) => (isFailed(e) ? i : -1)).filter((i) => i >= 0);
      // The duplicate (index 6), the statement skipped after it (7) and its group's end (8).
      expect(failed).toEqual([6, 7, 8]);
      const end = out[8];
      expect(end !== undefined && isFailed(end) ? fromWire(end.failed) : null).toMatchObject({ code: 'SQLITE_CONSTRAINT', extendedCode: 'SQLITE_CONSTRAINT_UNIQUE' });
      const [rows] = await ex.run([{ sql: 'SELECT id FROM t ORDER BY id' }]);
      expect(rows !== undefined && !isFailed(rows) ? rows.rows : null).toEqual([[1], [6]]);
    } finally {
      ex.close();
    }
  });

  it('never runs a group outside a transaction (a failed BEGIN must not let groups commit one by one)', async () => {
    const ex = await open();
    try {
      await ex.run([{ exec: 'CREATE TABLE t (id INTEGER PRIMARY KEY)' }]);
      const out = await ex.run([{ group: 'begin' }, { sql: 'INSERT INTO t (id) VALUES (1)' }, { group: 'end' }]);
      expect(out.map((e) => isFailed(e))).toEqual([false, true, true]);
      const [rows] = await ex.run([{ sql: 'SELECT count(*) FROM t' }]);
      expect(rows !== undefined && !isFailed(rows) ? rows.rows : null).toEqual([[0]]);
    } finally {
      ex.close();
    }
  });

  it('pipelines: queued statements and groups travel with the next run, each group end resolving with its failure', async () => {
    const ch = new WriteChannel(await open());
    try {
      await ch.run([{ exec: 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)' }]);
      ch.defer({ sql: 'BEGIN IMMEDIATE' });
      const g1 = ch.beginGroup();
      ch.defer({ sql: 'INSERT INTO t (id, name) VALUES (1, ?)', args: ['a'] });
      const e1 = ch.endGroup(g1, false);
      const g2 = ch.beginGroup();
      ch.defer({ sql: 'INSERT INTO t (id, name) VALUES (2, ?)', args: ['a'] });
      const e2 = ch.endGroup(g2, false);
      // A group that fails before anything of it was sent is dropped without a statement.
      const g3 = ch.beginGroup();
      ch.defer({ sql: 'INSERT INTO t (id, name) VALUES (3, ?)', args: ['c'] });
      expect(await ch.endGroup(g3, true)).toBeNull();
      // An awaited statement in a group sees the rows of the groups before it.
      const g4 = ch.beginGroup();
      const [seen] = await ch.run([{ sql: 'SELECT count(*) FROM t' }]);
      expect(seen?.rows).toEqual([[1]]);
      const e4 = ch.endGroup(g4, false);
      await ch.run([{ sql: 'COMMIT' }], { rollbackOnError: true });
      expect(await e1).toBeNull();
      expect(await e2).toMatchObject({ code: 'SQLITE_CONSTRAINT' });
      expect(await e4).toBeNull();
      const [rows] = await ch.run([{ sql: 'SELECT id FROM t ORDER BY id' }]);
      expect(rows?.rows).toEqual([[1]]);
    } finally {
      ch.close();
    }
  });
});
