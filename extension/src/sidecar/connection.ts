import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import type { ISidecarConnection, ISidecarHealth } from '../tokens';

/** Talks to the sidecar through Jupyter's server: `<baseUrl>/sigmatiq/<path>`. */
export class SidecarConnection implements ISidecarConnection {
  private readonly settings = ServerConnection.makeSettings();
  private readonly changed = new Signal<ISidecarConnection, ISidecarHealth>(this);
  private last: ISidecarHealth | null = null;

  url(path: string): string {
    return URLExt.join(this.settings.baseUrl, 'sigmatiq', path);
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return ServerConnection.makeRequest(this.url(path), init, this.settings);
  }

  get health(): ISidecarHealth | null {
    return this.last;
  }

  get healthChanged(): Signal<ISidecarConnection, ISidecarHealth> {
    return this.changed;
  }

  async checkHealth(): Promise<ISidecarHealth> {
    let health: ISidecarHealth;
    try {
      const res = await this.request('health');
      const body = (await res.json()) as { status?: unknown; version?: unknown; components?: unknown };
      const components = Array.isArray(body.components)
        ? (body.components as { name?: unknown; status?: unknown }[]).map((c) => ({ name: String(c.name), status: String(c.status) }))
        : [];
      health = {
        status: typeof body.status === 'string' ? body.status : `HTTP ${res.status}`,
        version: typeof body.version === 'string' ? body.version : null,
        components,
        error: res.ok ? null : `HTTP ${res.status}`,
        checkedAt: new Date(),
      };
    } catch (e) {
      health = { status: 'unreachable', version: null, components: [], error: e instanceof Error ? e.message : String(e), checkedAt: new Date() };
    }
    this.last = health;
    this.changed.emit(health);
    return health;
  }
}
