import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../db/schema.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import { keyMatches, parseKeyId } from './keys.js';
import { createOrgWithAdmin } from './orgs.js';

export const ADMIN_KEY_FILE = 'admin.key';

/**
 * Makes sure `<data-dir>/admin.key` holds a live platform-admin key. On first start (no file, or a file whose
 * key this database does not know) it creates the local organization `local` (plan pro), its admin user and a
 * platform_admin key, and writes the key to admin.key with mode 0600 (temp file + rename). The kernel and the
 * extension read that file, so nobody copies a key by hand. Returns the key.
 */
export async function ensureAdminKey(store: LibsqlTenantStore, dataDir: string): Promise<string> {
  const file = path.join(dataDir, ADMIN_KEY_FILE);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    const keyId = parseKeyId(secret);
    if (keyId !== null) {
      const [row] = await store.exec
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revoked_at)))
        .limit(1);
      if (row !== undefined && keyMatches(secret, row.hash) && row.scopes.includes('platform:admin')) return secret;
    }
  }
  const created = await store.transaction((tx) =>
    createOrgWithAdmin(tx, { name: 'local', plan_tier: 'pro', admin_email: 'admin@localhost', role: 'platform_admin' }),
  );
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${created.key}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return created.key;
}
