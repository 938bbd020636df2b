import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { importBars, type ImportOptions, type ImportResult } from './import.js';
import { freezeSnapshot, type DataSnapshot } from './snapshot.js';

/** The nearest ancestor of `cwd` holding `.git` or a package.json with `workspaces`; else `cwd`. */
export function findRepoRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces !== undefined) return dir;
      } catch {
        // not JSON: keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) return resolve(cwd);
    dir = up;
  }
}

/**
 * Default snapshot store: `$SIGMATIQ_DATA_DIR/snapshots` when set, else `<repo root>/.sigmatiq/snapshots`
 * with the repo root found from `cwd` (findRepoRoot).
 */
export function defaultStoreDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const base = env.SIGMATIQ_DATA_DIR;
  return base !== undefined && base !== '' ? join(resolve(base), 'snapshots') : join(findRepoRoot(cwd), '.sigmatiq', 'snapshots');
}

export interface ImportToSnapshotOptions extends ImportOptions {
  readonly storeDir: string;
  readonly now?: () => Date;
}

export interface ImportToSnapshotResult {
  readonly record: DataSnapshot;
  readonly reused: boolean;
  readonly imported: ImportResult;
}

/** Import a file and freeze it as a snapshot (validate everything first, then write). */
export async function importToSnapshot(path: string, options: ImportToSnapshotOptions): Promise<ImportToSnapshotResult> {
  const imported = await importBars(path, options);
  const { record, reused } = await freezeSnapshot(imported.bars, {
    storeDir: options.storeDir,
    hasVolume: imported.hasVolume,
    source: imported.source,
    gaps: imported.gaps,
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return { record, reused, imported };
}
