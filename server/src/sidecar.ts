import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { bootstrapDatabase } from './bootstrap.js';
import type { Database } from './db/client.js';
import { SERVER_VERSION } from './version.js';

export interface SidecarOptions {
  dataDir: string;
  port: number;
  host: string;
}

export interface RunningSidecar {
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  /** Stops listening, drops open connections and closes the database. */
  close(): Promise<void>;
}

/** Opens the database in the data dir, builds the app and listens on host:port (port 0 = a free port). */
export async function startSidecar(opts: SidecarOptions): Promise<RunningSidecar> {
  const { deps } = await bootstrapDatabase({ dataDir: opts.dataDir, version: SERVER_VERSION });
  const db = deps.db;
  const app = createApp(deps);
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => resolve(info.port));
    server.once('error', reject);
  }).catch((err: unknown) => {
    db.close();
    throw err;
  });
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${hostForUrl}:${port}`;
  return {
    url,
    port,
    db,
    close: () =>
      new Promise<void>((resolve) => {
        const s = server;
        if (s === undefined) {
          db.close();
          resolve();
          return;
        }
        s.close(() => {
          db.close();
          resolve();
        });
        if ('closeAllConnections' in s) s.closeAllConnections();
      }),
  };
}
