import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { type ISidecarConnection, type ISidecarHealth, SidecarError } from '../tokens';

/** Talks to the sidecar through Jupyter's server: `<baseUrl>/sigmatiq/<path>`. */
export class SidecarConnection implements ISidecarConnection {
  private readonly settings = ServerConnection.makeSettings();
  private readonly changed = new Signal<ISidecarConnection, ISidecarHealth>(this);
  private last: ISidecarHealth | null = null;

  url(path: string): string {
    return URLExt.join(this.settings.baseUrl, 'sigmatiq', path);
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    // The proxy injects the sidecar credential; this header proves the request comes from this page
    // (the sidecar refuses proxied mutations without it: docs/auth.md, "Browser access through Jupyter").
    const headers = new Headers(init.headers);
    headers.set('X-Sigmatiq-Client', 'jupyterlab');
    if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    return ServerConnection.makeRequest(this.url(path), { ...init, headers }, this.settings);
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await this.request(path, init);
    } catch (e) {
      throw new SidecarError('SIDECAR_UNREACHABLE', `The sidecar cannot be reached: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!res.ok) {
      const b = (body ?? {}) as { code?: unknown; message?: unknown };
      // jupyter-server-proxy answers 5xx (HTML) when the sidecar process is down or not starting.
      const code = typeof b.code === 'string' ? b.code : res.status >= 500 ? 'SIDECAR_UNREACHABLE' : `HTTP_${res.status}`;
      const message = typeof b.message === 'string' ? b.message : `HTTP ${res.status} from ${path}`;
      throw new SidecarError(code, message, res.status);
    }
    return body as T;
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
