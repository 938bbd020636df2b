import { migrate } from 'drizzle-orm/libsql/migrator';
import path from 'node:path';
import { BUILTIN_ROLES } from '../auth/scopes.js';
import type { Database } from './client.js';
import { roles } from './schema.js';

/** The committed migrations folder (server/drizzle), the same from src/ (tests) and dist/ (built). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../drizzle');

/** Applies pending migrations from the committed folder, then upserts the built-in roles. Idempotent. */
export async function migrateDatabase(db: Database): Promise<void> {
  await db.writes.run(async () => {
    await migrate(db.orm, { migrationsFolder: MIGRATIONS_DIR });
    for (const [roleId, permissions] of Object.entries(BUILTIN_ROLES)) {
      await db.orm
        .insert(roles)
        .values({ id: roleId, name: roleId, permissions: [...permissions] })
        .onConflictDoUpdate({ target: roles.id, set: { permissions: [...permissions] } });
    }
  });
}
