import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';

/** Command ids of the Sigmatiq extension (palette, menus, launcher). */
export const CommandIDs = {
  openApiDocs: 'sigmatiq:open-api-docs',
  checkSidecar: 'sigmatiq:check-sidecar',
  openLeaderboard: 'sigmatiq:open-leaderboard',
  openPacks: 'sigmatiq:open-packs',
  openLineage: 'sigmatiq:open-lineage',
  openTraining: 'sigmatiq:open-training',
} as const;

/** A failed sidecar call: the sidecar's stable `code` (or SIDECAR_UNREACHABLE / HTTP_<status>) and message. */
export class SidecarError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SidecarError';
  }

  /** True when the sidecar itself is down (not a refusal of this request). */
  get unreachable(): boolean {
    return this.code === 'SIDECAR_UNREACHABLE';
  }
}

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
  /** A request whose JSON body is returned; throws SidecarError on failure (with the sidecar's code). */
  json<T>(path: string, init?: RequestInit): Promise<T>;
  /** The last health check (null before the first). */
  readonly health: ISidecarHealth | null;
  readonly healthChanged: ISignal<ISidecarConnection, ISidecarHealth>;
  checkHealth(): Promise<ISidecarHealth>;
}

export const ISidecarConnection = new Token<ISidecarConnection>('@sigmatiq/extension:ISidecarConnection', 'The Sigmatiq sidecar behind Jupyter (jupyter-server-proxy at /sigmatiq/).');
