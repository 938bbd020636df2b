import { findRepoRoot } from '@sigmatiq/engine';
import path from 'node:path';
import { SidecarLocator } from '../sidecar/locate.js';

// Kept on globalThis so the launcher's copy of this module and a notebook's
// `require('@sigmatiq/kernel')` share one locator.
const KEY = Symbol.for('sigmatiq.kernel.locator');
type Holder = { [KEY]?: SidecarLocator };

/** The locator the notebook API uses: the one set by `setDefaultLocator`, else env + repo root of cwd. */
export function defaultLocator(): SidecarLocator {
  const holder = globalThis as Holder;
  return holder[KEY] ?? new SidecarLocator(process.env, findRepoRoot(process.cwd()));
}

export function setDefaultLocator(locator: SidecarLocator | undefined): void {
  (globalThis as Holder)[KEY] = locator;
}

/** Where imported snapshots are frozen: `<data dir>/snapshots` (the sidecar reads them from there). */
export function snapshotStoreDir(locator: SidecarLocator): string {
  return path.join(path.resolve(locator.dataDir()), 'snapshots');
}
