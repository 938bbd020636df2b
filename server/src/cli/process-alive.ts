/**
 * Whether process `pid` still runs, for "exit with the process that started us" watchdogs (the sidecar's
 * --exit-with-parent, the kernel's JPY_PARENT_PID check). Signal 0 probes without signalling; EPERM means it
 * runs under another user. pid ≤ 1 (or not an integer) has no parent to follow: reported alive, so a watchdog
 * never stops on it. No dependencies: the kernel's launcher imports this file directly.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
