import type { Database } from './db/client.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { LibsqlTenantStore } from './repo/libsql-store.js';

/** What the app needs from its surroundings; tests pass their own. */
export interface AppDeps {
  readonly db: Database;
  readonly store: LibsqlTenantStore;
  readonly rateLimiter: RateLimiter;
  /** The data directory (database, admin.key, sidecar.json); null for an in-memory test app. */
  readonly dataDir: string | null;
  readonly version: string;
  readonly startedAt: Date;
  readonly now: () => Date;
  /** Largest accepted request body in bytes (413 PAYLOAD_TOO_LARGE above). */
  readonly maxBodyBytes: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
