import { ensureAdminKey } from './auth/bootstrap.js';
import { createOrgWithAdmin } from './auth/orgs.js';
import { openDatabase } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { DEFAULT_MAX_BODY_BYTES, type AppDeps } from './deps.js';
import { RateLimiter } from './http/rate-limit.js';
import { LibsqlTenantStore } from './repo/libsql-store.js';

/**
 * Opens the database (file in `dataDir`, or in memory when null), applies the committed migrations, and makes
 * sure a platform-admin key exists (written to `<dataDir>/admin.key`; in memory a fresh one is only returned).
 */
export async function bootstrapDatabase(opts: { dataDir: string | null; version: string }): Promise<{ deps: AppDeps; adminKey: string }> {
  const db = await openDatabase(opts.dataDir);
  try {
    await migrateDatabase(db);
    const store = new LibsqlTenantStore(db);
    let adminKey: string;
    if (opts.dataDir !== null) {
      adminKey = await ensureAdminKey(store, opts.dataDir);
    } else {
      adminKey = (await store.transaction((tx) =>
        createOrgWithAdmin(tx, { name: 'local', plan_tier: 'pro', admin_email: 'admin@localhost', role: 'platform_admin' }),
      )).key;
    }
    const deps: AppDeps = {
      db, store, rateLimiter: new RateLimiter(), dataDir: opts.dataDir, version: opts.version,
      startedAt: new Date(), now: () => new Date(), maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    };
    return { deps, adminKey };
  } catch (err) {
    db.close();
    throw err;
  }
}
