import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This file is engine/src/data/real-data.ts (or engine/dist/data/real-data.js): the repo root is 3 levels up. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The local repository `repoRoot` was cloned from (git's `remote.origin.url` when it is a path or a
 * file: URL), or undefined (no .git/config, no origin, or a remote URL).
 */
function localOrigin(repoRoot: string): string | undefined {
  let config: string;
  try {
    config = readFileSync(join(repoRoot, '.git', 'config'), 'utf8');
  } catch {
    return undefined;
  }
  const section = /\[remote "origin"\]([^[]*)/.exec(config);
  const url = section === null ? undefined : /^\s*url\s*=\s*(.+?)\s*$/m.exec(section[1] ?? '')?.[1];
  if (url === undefined) return undefined;
  if (url.startsWith('file://')) return fileURLToPath(url);
  return isAbsolute(url) ? url : url.startsWith('.') ? resolve(repoRoot, url) : undefined;
}

/**
 * The shared real OHLCV folder:
 * 1. `$SIGMATIQ_SHARED_DIR/data/real` when the variable is set;
 * 2. else `<repo root>/../shared/data/real` when it exists (a checkout beside `shared/`);
 * 3. else, for a clone of a local repository (`git clone /work/main /tmp/fresh`), the same folder
 *    beside that repository, when it exists;
 * 4. else `<repo root>/../shared/data/real` (whatever reads it then names the missing path).
 */
export function realDataDir(env: Readonly<Record<string, string | undefined>> = process.env, repoRoot: string = REPO_ROOT): string {
  const shared = env.SIGMATIQ_SHARED_DIR;
  if (shared !== undefined && shared !== '') return join(resolve(shared), 'data', 'real');
  const beside = resolve(repoRoot, '..', 'shared', 'data', 'real');
  if (existsSync(beside)) return beside;
  const origin = localOrigin(repoRoot);
  if (origin !== undefined) {
    const besideOrigin = resolve(origin, '..', 'shared', 'data', 'real');
    if (existsSync(besideOrigin)) return besideOrigin;
  }
  return beside;
}
