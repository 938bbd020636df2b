import { createApp, type AppType } from '../app.js';
import { openDatabase, type Database } from '../db/client.js';
import { SERVER_VERSION } from '../version.js';

export interface TestApp {
  app: AppType;
  db: Database;
  close(): void;
}

/** An app over a fresh in-memory database (or a file database in `dataDir`), for `app.request()` tests. */
export async function makeTestApp(dataDir: string | null = null): Promise<TestApp> {
  const db = await openDatabase(dataDir);
  const app = createApp({ db, dataDir, version: SERVER_VERSION, startedAt: new Date(), now: () => new Date() });
  return { app, db, close: () => db.close() };
}
