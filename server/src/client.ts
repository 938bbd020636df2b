/**
 * The typed HTTP client for the kernel and the extension: `createClient(baseUrl, key)` returns a
 * `hc<AppType>` client, so every route, parameter and response is typed from the server's own schemas.
 * Browser-safe (no Node imports): the extension passes Jupyter's ServerConnection fetch and the proxied base
 * URL (`<jupyter base>/sigmatiq`); the kernel uses `discoverSidecar` (./discover.js) to find URL and key.
 */
import { hc } from 'hono/client';
import type { AppType } from './app.js';

export interface ClientOptions {
  /** A fetch to use instead of the global one (e.g. one that adds Jupyter's XSRF/auth headers). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export function createClient(baseUrl: string, key: string | null, options: ClientOptions = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (key !== null) headers['authorization'] = `Bearer ${key}`;
  return hc<AppType>(baseUrl.replace(/\/+$/, ''), { headers, ...(options.fetch !== undefined ? { fetch: options.fetch } : {}) });
}

export type SigmatiqClient = ReturnType<typeof createClient>;
export type { AppType };
