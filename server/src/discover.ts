import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_KEY_FILE } from './auth/bootstrap.js';
import { defaultDataDir } from './cli/paths.js';
import { readSidecarFile, type SidecarInfo } from './cli/sidecar-file.js';

export interface SidecarDiscovery {
  dataDir: string;
  /** null when no sidecar.json (no sidecar running for this data dir). */
  sidecar: SidecarInfo | null;
  /** The platform-admin key from admin.key, or null when the sidecar never started here. */
  key: string | null;
}

/**
 * How the kernel finds its sidecar without the user copying anything: `<data-dir>/sidecar.json` (url, port,
 * pid, version, started_at) and `<data-dir>/admin.key`. The data dir is $SIGMATIQ_DATA_DIR, else
 * `<repo root>/.sigmatiq`.
 */
export function discoverSidecar(dataDir: string = defaultDataDir()): SidecarDiscovery {
  let key: string | null = null;
  try {
    key = readFileSync(path.join(dataDir, ADMIN_KEY_FILE), 'utf8').trim() || null;
  } catch {
    key = null;
  }
  return { dataDir, sidecar: readSidecarFile(dataDir), key };
}
