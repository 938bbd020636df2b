import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SIDECAR_FILE_NAME = 'sidecar.json';

/** `<data-dir>/sidecar.json`: how the kernel and the extension find a running sidecar. */
export interface SidecarInfo {
  url: string;
  port: number;
  pid: number;
  version: string;
  started_at: string;
}

/** Writes sidecar.json atomically: a temp file in the same folder, then rename over the target. */
export function writeSidecarFile(dataDir: string, info: SidecarInfo): string {
  const target = path.join(dataDir, SIDECAR_FILE_NAME);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, target);
  return target;
}

export function readSidecarFile(dataDir: string): SidecarInfo | null {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, SIDECAR_FILE_NAME), 'utf8')) as SidecarInfo;
  } catch {
    return null;
  }
}

/** Removes sidecar.json if it still describes this process (another sidecar may have replaced it). */
export function removeSidecarFile(dataDir: string, pid: number = process.pid): void {
  const current = readSidecarFile(dataDir);
  if (current === null || current.pid !== pid) return;
  try {
    unlinkSync(path.join(dataDir, SIDECAR_FILE_NAME));
  } catch {
    // already gone
  }
}
