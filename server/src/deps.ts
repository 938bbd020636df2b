import type { Database } from './db/client.js';

/** What the app needs from its surroundings; tests pass their own. */
export interface AppDeps {
  readonly db: Database;
  /** The data directory (database, admin.key, sidecar.json); null for an in-memory test app. */
  readonly dataDir: string | null;
  readonly version: string;
  readonly startedAt: Date;
  readonly now: () => Date;
}
