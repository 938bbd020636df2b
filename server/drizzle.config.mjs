// @ts-check
import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate --config server/drizzle.config.mjs` (from the repo root) writes SQL migrations to
// server/drizzle/ (committed; applied at sidecar start-up by src/db/migrate.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './server/src/db/schema.ts',
  out: './server/drizzle',
});
