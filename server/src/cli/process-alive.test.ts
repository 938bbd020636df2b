import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { processAlive } from './process-alive.js';

describe('processAlive', () => {
  it('is true for this process and for a running child, false once the child has exited and been reaped', async () => {
    expect(processAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    expect(pid).toBeGreaterThan(1);
    expect(processAlive(pid)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(processAlive(pid)).toBe(false);
  });

  it('treats pid <= 1 and non-integers as "no parent to follow" (alive), never probing them', () => {
    for (const pid of [1, 0, -5, Number.NaN, 2.5]) expect(processAlive(pid)).toBe(true);
  });
});
