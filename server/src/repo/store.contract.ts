import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TenantStore } from './store.js';

/**
 * The TenantStore contract. Every implementation (libsql today, Postgres later) runs it:
 *   runTenantStoreContract('libsql', async () => ({ store, orgA, orgB, close }))
 * `orgA` and `orgB` must be two existing organizations of the store's database.
 */
export interface ContractFixture {
  store: TenantStore;
  orgA: string;
  orgB: string;
  close(): Promise<void> | void;
}

const pack = (name: string) => ({
  name, version: '1.0.0', metadata: { vibe: {} }, supported_instruments: ['stock'], default_instrument: 'stock',
  tags: [], author: 'contract', spec: {}, content_hash: 'h'.repeat(64),
});

export function runTenantStoreContract(name: string, make: () => Promise<ContractFixture>): void {
  describe(`TenantStore contract: ${name}`, () => {
    it('round-trips an inserted row, JSON columns included', async () => {
      const f = await make();
      try {
        const id = randomUUID();
        const row = await f.store.insert('packs', f.orgA, id, { ...pack('p1'), tags: ['a', 'b'], spec: { nested: { x: [1, 2] } } });
        expect(row).toMatchObject({ id, org_id: f.orgA, name: 'p1', tags: ['a', 'b'], spec: { nested: { x: [1, 2] } } });
        expect(await f.store.get('packs', f.orgA, id)).toEqual(row);
      } finally {
        await f.close();
      }
    });

    it('never shows, counts, updates or deletes another org\'s row', async () => {
      const f = await make();
      try {
        const id = randomUUID();
        await f.store.insert('packs', f.orgA, id, pack('mine'));
        expect(await f.store.get('packs', f.orgB, id)).toBeNull();
        expect(await f.store.list('packs', f.orgB, { limit: 100, offset: 0 })).toEqual([]);
        expect(await f.store.count('packs', f.orgB)).toBe(0);
        expect(await f.store.update('packs', f.orgB, id, { tags: ['stolen'] })).toBeNull();
        expect(await f.store.remove('packs', f.orgB, id)).toBe(false);
        expect((await f.store.get('packs', f.orgA, id))?.tags).toEqual([]);
        expect(await f.store.count('packs', f.orgA)).toBe(1);
      } finally {
        await f.close();
      }
    });

    it('lists in creation order with limit, offset and equality filters', async () => {
      const f = await make();
      try {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const id = randomUUID();
          ids.push(id);
          await f.store.insert('packs', f.orgA, id, { ...pack(`p${i}`), author: i % 2 === 0 ? 'even' : 'odd' });
        }
        const page = await f.store.list('packs', f.orgA, { limit: 2, offset: 1 });
        expect(page.map((r) => r.id)).toEqual(ids.slice(1, 3));
        const odd = await f.store.list('packs', f.orgA, { limit: 10, offset: 0, where: { author: 'odd' } });
        expect(odd.map((r) => r.name)).toEqual(['p1', 'p3']);
        expect(await f.store.count('packs', f.orgA, { author: 'even' })).toBe(3);
      } finally {
        await f.close();
      }
    });

    it('updates and removes within the org', async () => {
      const f = await make();
      try {
        const id = randomUUID();
        await f.store.insert('packs', f.orgA, id, pack('u'));
        expect((await f.store.update('packs', f.orgA, id, { tags: ['x'] }))?.tags).toEqual(['x']);
        expect((await f.store.update('packs', f.orgA, id, {}))?.tags).toEqual(['x']);
        expect(await f.store.remove('packs', f.orgA, id)).toBe(true);
        expect(await f.store.get('packs', f.orgA, id)).toBeNull();
        expect(await f.store.remove('packs', f.orgA, id)).toBe(false);
      } finally {
        await f.close();
      }
    });

    it('rolls back every write of a transaction that throws', async () => {
      const f = await make();
      try {
        const id = randomUUID();
        await expect(
          f.store.transaction(async (tx) => {
            await tx.insert('packs', f.orgA, id, pack('tx'));
            expect(await tx.get('packs', f.orgA, id)).not.toBeNull();
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await f.store.get('packs', f.orgA, id)).toBeNull();
        const kept = await f.store.transaction(async (tx) => tx.insert('packs', f.orgA, randomUUID(), pack('ok')));
        expect(await f.store.get('packs', f.orgA, kept.id)).not.toBeNull();
      } finally {
        await f.close();
      }
    });

    it('serializes concurrent transactions (no lost update)', async () => {
      const f = await make();
      try {
        const id = randomUUID();
        await f.store.insert('packs', f.orgA, id, pack('counter'));
        await Promise.all(
          Array.from({ length: 20 }, () =>
            f.store.transaction(async (tx) => {
              const row = await tx.get('packs', f.orgA, id);
              await tx.update('packs', f.orgA, id, { tags: [...(row?.tags as string[]), 't'] });
            }),
          ),
        );
        expect((await f.store.get('packs', f.orgA, id))?.tags).toHaveLength(20);
      } finally {
        await f.close();
      }
    });

    it('rejects rows that break a unique constraint', async () => {
      const f = await make();
      try {
        await f.store.insert('packs', f.orgA, randomUUID(), pack('same'));
        await expect(f.store.insert('packs', f.orgA, randomUUID(), pack('same'))).rejects.toThrow();
        // The same name+version in another org is fine.
        await f.store.insert('packs', f.orgB, randomUUID(), pack('same'));
      } finally {
        await f.close();
      }
    });
  });
}
