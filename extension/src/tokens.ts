import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';

/** Command ids of the Sigmatiq extension (palette, menus, launcher). */
export const CommandIDs = {
  openApiDocs: 'sigmatiq:open-api-docs',
  checkSidecar: 'sigmatiq:check-sidecar',
} as const;

export interface ISidecarHealth {
  /** healthy | degraded | unhealthy from the sidecar; `unreachable` when no answer came. */
  status: string;
  version: string | null;
  components: { name: string; status: string }[];
  error: string | null;
  checkedAt: Date;
}

/** The sidecar as the extension sees it: through Jupyter's server at `<base>/sigmatiq/`. */
export interface ISidecarConnection {
  /** Absolute URL of a sidecar path, e.g. `/docs` -> `http://host:8888/sigmatiq/docs`. */
  url(path: string): string;
  /** A request through Jupyter's ServerConnection (Jupyter auth and XSRF handled). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The last health check (null before the first). */
  readonly health: ISidecarHealth | null;
  readonly healthChanged: ISignal<ISidecarConnection, ISidecarHealth>;
  checkHealth(): Promise<ISidecarHealth>;
}

export const ISidecarConnection = new Token<ISidecarConnection>('@sigmatiq/extension:ISidecarConnection', 'The Sigmatiq sidecar behind Jupyter (jupyter-server-proxy at /sigmatiq/).');
