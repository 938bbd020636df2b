import { readFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '@sigmatiq/server/dist/cli/process-alive.js';

/**
 * Finds the sidecar without configuration:
 * 1. `SIGMATIQ_URL` (and `SIGMATIQ_API_KEY`) when set;
 * 2. else `<data dir>/sidecar.json`, written by the sidecar when it listens (removed when it
 *    stops), whether Jupyter's proxy or `npx sigmatiq server` started it. The data dir is
 *    `SIGMATIQ_DATA_DIR`, else `<project>/.sigmatiq`.
 * The API key: `SIGMATIQ_API_KEY`, else `<data dir>/admin.key` (created by the sidecar on first start).
 */
export interface SidecarEndpoint {
  url: string;
  source: 'SIGMATIQ_URL' | 'sidecar.json';
  pid: number | null;
}

export interface SidecarHealth {
  endpoint: SidecarEndpoint | null;
  reachable: boolean;
  status: string;
  body: Record<string, unknown> | null;
  error: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

export class SidecarLocator {
  constructor(
    private readonly env: Env,
    private readonly projectRoot: string,
  ) {}

  dataDir(): string {
    return this.env['SIGMATIQ_DATA_DIR'] ?? path.join(this.projectRoot, '.sigmatiq');
  }

  locate(): SidecarEndpoint | null {
    const fromEnv = this.env['SIGMATIQ_URL'];
    if (fromEnv !== undefined && fromEnv !== '') return { url: fromEnv.replace(/\/+$/, ''), source: 'SIGMATIQ_URL', pid: null };
    let raw: string;
    try {
      raw = readFileSync(path.join(this.dataDir(), 'sidecar.json'), 'utf8');
    } catch {
      return null;
    }
    const info = JSON.parse(raw) as { url?: unknown; pid?: unknown };
    if (typeof info.url !== 'string') return null;
    const pid = typeof info.pid === 'number' ? info.pid : null;
    if (pid !== null && !processAlive(pid)) return null;
    return { url: info.url.replace(/\/+$/, ''), source: 'sidecar.json', pid };
  }

  apiKey(): string | null {
    const fromEnv = this.env['SIGMATIQ_API_KEY'];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    try {
      return readFileSync(path.join(this.dataDir(), 'admin.key'), 'utf8').trim();
    } catch {
      return null;
    }
  }

  async health(timeoutMs = 2000): Promise<SidecarHealth> {
    const endpoint = this.locate();
    if (endpoint === null) {
      return { endpoint, reachable: false, status: 'not running', body: null, error: `no sidecar found (SIGMATIQ_URL unset, no live ${path.join(this.dataDir(), 'sidecar.json')})` };
    }
    try {
      const res = await fetch(`${endpoint.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await res.json()) as Record<string, unknown>;
      const status = typeof body['status'] === 'string' ? body['status'] : `HTTP ${res.status}`;
      return { endpoint, reachable: true, status, body, error: null };
    } catch (e) {
      return { endpoint, reachable: false, status: 'unreachable', body: null, error: e instanceof Error ? e.message : String(e) };
    }
  }
}
