import { SigmatiqError } from '@sigmatiq/engine';
import { createClient, type SigmatiqClient } from '@sigmatiq/server/dist/client.js';
import type { SidecarLocator } from './locate.js';

export type { SigmatiqClient };

const HOW_TO_START =
  'Start it with `npm start` (JupyterLab runs it behind /sigmatiq/) or standalone with `npx sigmatiq server`, ' +
  'or point SIGMATIQ_URL (and SIGMATIQ_API_KEY) at a running one.';

/** A connected sidecar: its URL and the typed client (routes and bodies typed from the server's schemas). */
export interface SidecarConnection {
  readonly url: string;
  readonly client: SigmatiqClient;
}

/**
 * The typed client of the sidecar found by `locator`, after checking it answers `/health`.
 * Throws `SIDECAR_UNAVAILABLE` (with how to start it) when none is found, it does not answer, or
 * no API key is available.
 */
export async function connectSidecar(locator: SidecarLocator, timeoutMs = 2000): Promise<SidecarConnection> {
  const health = await locator.health(timeoutMs);
  if (health.endpoint === null || !health.reachable) {
    throw new SigmatiqError('SIDECAR_UNAVAILABLE', `the Sigmatiq sidecar is not available (${health.error ?? health.status}). ${HOW_TO_START}`, {
      url: health.endpoint?.url ?? null,
      dataDir: locator.dataDir(),
    });
  }
  const key = locator.apiKey();
  if (key === null) {
    throw new SigmatiqError('SIDECAR_UNAVAILABLE', `no API key for the sidecar at ${health.endpoint.url}: set SIGMATIQ_API_KEY or make ${locator.dataDir()}/admin.key readable. ${HOW_TO_START}`, {
      url: health.endpoint.url,
      dataDir: locator.dataDir(),
    });
  }
  return { url: health.endpoint.url, client: createClient(health.endpoint.url, key) };
}

/** The body of a sidecar answer, or a SigmatiqError carrying the sidecar's own error code. */
export async function expectOk<T>(res: { ok: boolean; status: number; json(): Promise<unknown> }, what: string): Promise<T> {
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as T;
  const err = (typeof body === 'object' && body !== null ? (body as { error?: unknown }).error ?? body : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const code = typeof err.code === 'string' ? err.code : `HTTP_${res.status}`;
  const message = typeof err.message === 'string' ? err.message : `HTTP ${res.status}`;
  throw new SigmatiqError(code, `sidecar: ${what} failed: ${message}`, { status: res.status, ...(typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {}) });
}
