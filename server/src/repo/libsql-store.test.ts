import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { orgs } from '../db/schema.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { LibsqlTenantStore } from './libsql-store.js';
import { runTenantStoreContract } from './store.contract.js';

async function fixture(dataDir: string | null) {
  const db = await openDatabase(dataDir);
  await migrateDatabase(db);
  await db.orm.insert(orgs).values([{ id: 'org-a', name: 'A', plan_tier: 'pro' }, { id: 'org-b', name: 'B', plan_tier: 'free' }]);
  return { store: new LibsqlTenantStore(db), orgA: 'org-a', orgB: 'org-b', db };
}

runTenantStoreContract('libsql in memory', async () => {
  const f = await fixture(null);
  return { ...f, close: () => f.db.close() };
});

runTenantStoreContract('libsql file (WAL)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sq-contract-'));
  const f = await fixture(dir);
  return {
    ...f,
    close: () => {
      f.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
