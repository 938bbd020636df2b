import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';
import { orgs } from './schema.js';
import { LibsqlTenantStore } from '../repo/libsql-store.js';

const pack = (name: string) => ({
  name, version: '1.0.0', metadata: {}, supported_instruments: ['stock'], default_instrument: 'stock', tags: [], author: 'b', spec: {}, content_hash: 'h',
});

describe('TxBatcher (group commit)', () => {
  it('commits concurrent transactions together while a failing one rolls back alone', async () => {
    const db = await openDatabase(null);
    try {
      await migrateDatabase(db);
      await db.orm.insert(orgs).values({ id: 'o', name: 'o', plan_tier: 'pro' });
      const store = new LibsqlTenantStore(db);
      const before = { ...db.batcher.stats };
      let inTxCount = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          store.transaction(async (tx) => {
            inTxCount++;
            await tx.insert('packs', 'o', randomUUID(), pack(`p${i}`));
            await tx.insert('audit_log', 'o', randomUUID(), { actor_type: 'system', actor_id: 't', action: 'create', outcome: 'success', target_type: 'pack', target_id: `p${i}`, payload: null });
            if (i % 7 === 3) throw new Error(`fail ${i}`);
            return i;
          }),
        ),
      );
      expect(inTxCount).toBe(30);
      // All 30 arrived in the same event-loop turn, so they share ONE batch (one COMMIT, one fsync).
      expect(db.batcher.stats.batches - before.batches).toBe(1);
      expect(db.batcher.stats.transactions - before.transactions).toBe(30);
      expect(db.batcher.stats.largest).toBe(30);
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
      expect(failed).toEqual([3, 10, 17, 24]);
      const names = (await store.list('packs', 'o', { limit: 100, offset: 0 })).map((r) => r.name).sort();
      expect(names).toEqual(Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 7 !== 3).map((i) => `p${i}`).sort());
      // Each surviving transaction kept its audit row; each failed one lost both rows.
      expect(await store.count('audit_log', 'o')).toBe(26);
      for (const r of results) if (r.status === 'fulfilled') expect(typeof r.value).toBe('number');
    } finally {
      db.close();
    }
  });

  it('groups transactions started from separate callbacks of one event-loop turn (like HTTP requests) into one batch', async () => {
    const db = await openDatabase(null);
    try {
      await migrateDatabase(db);
      await db.orm.insert(orgs).values({ id: 'o', name: 'o', plan_tier: 'pro' });
      const store = new LibsqlTenantStore(db);
      const before = { ...db.batcher.stats };
      // Each setImmediate callback is its own macrotask with a microtask checkpoint after it, as each socket's
      // data callback is. A flush started from a microtask would commit after the first callback alone.
      const done = await Promise.all(Array.from({ length: 20 }, (_, i) => new Promise<number>((resolve, reject) => {
        setImmediate(() => {
          store.transaction(async (tx) => {
            await tx.insert('packs', 'o', randomUUID(), pack(`q${i}`));
            return i;
          }).then(resolve, reject);
        });
      })));
      expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(db.batcher.stats.batches - before.batches).toBe(1);
      expect(db.batcher.stats.transactions - before.transactions).toBe(20);
      expect(await store.count('packs', 'o')).toBe(20);
    } finally {
      db.close();
    }
  });

  it('makes reads outside a transaction wait for it instead of failing (one connection)', async () => {
    const db = await openDatabase(null);
    try {
      await migrateDatabase(db);
      await db.orm.insert(orgs).values({ id: 'o', name: 'o', plan_tier: 'pro' });
      const store = new LibsqlTenantStore(db);
      const id = randomUUID();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => { release = r; });
      const tx = store.transaction(async (t) => {
        await t.insert('packs', 'o', id, pack('slow'));
        await gate;
      });
      await new Promise((r) => setTimeout(r, 20));
      // @libsql/client alone rejects these with TRANSACTION_ACTIVE while the transaction holds the connection.
      const read = store.get('packs', 'o', id);
      const ping = db.ping();
      release();
      await tx;
      expect((await read)?.name).toBe('slow');
      expect(await ping).toBeGreaterThanOrEqual(0);
    } finally {
      db.close();
    }
  });
});
