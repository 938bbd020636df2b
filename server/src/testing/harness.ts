import { createApp, type AppType } from '../app.js';
import { bootstrapDatabase } from '../bootstrap.js';
import type { Database } from '../db/client.js';
import type { AppDeps } from '../deps.js';
import { SERVER_VERSION } from '../version.js';

export interface TestApp {
  app: AppType;
  db: Database;
  deps: AppDeps;
  /** The platform-admin key of the local org. */
  adminKey: string;
  close(): void;
}

/** An app over a fresh in-memory database (or a file database in `dataDir`), for `app.request()` tests. */
export async function makeTestApp(dataDir: string | null = null, overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const { deps, adminKey } = await bootstrapDatabase({ dataDir, version: SERVER_VERSION });
  const all = { ...deps, ...overrides };
  const app = createApp(all);
  return { app, db: all.db, deps: all, adminKey, close: () => all.db.close() };
}
