/**
 * The sweep store is one DuckDB file shared by the kernel (writes a sweep's statistics) and the
 * sidecar (reads them for the Leaderboard panel); DuckDB lets one process open it at a time. Here a
 * real second process holds the file and withStoreRetry waits for it.
 */
import { SweepStore } from '@sigmatiq/engine';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withStoreRetry } from './leaderboard.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-storelock-'));
const file = path.join(dir, 'sweeps.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A child process that opens the store, says "held", and keeps it open for `ms`. */
function holdStore(ms: number): Promise<ChildProcess> {
  const engine = require.resolve('@sigmatiq/engine');
  const code = `const { SweepStore } = require(${JSON.stringify(engine)});
    SweepStore.open(${JSON.stringify(file)}).then((s) => { process.stdout.write('held\\n'); setTimeout(() => { s.close(); process.exit(0); }, ${ms}); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('held')) resolve(child); });
    child.on('exit', (c) => reject(new Error(`holder exited early (${String(c)})`)));
  });
}

describe('withStoreRetry', () => {
  it('waits for another process to release the store, and gives up with the lock error when it does not', async () => {
    const first = await holdStore(800);
    const exited = new Promise((r) => first.once('exit', r));
    await expect(withStoreRetry(() => SweepStore.open(file), 1, 10)).rejects.toThrow(/lock/i);
    const store = await withStoreRetry(() => SweepStore.open(file), 40, 125);
    await store.writeRun('s1', { statistics: { trials: 3 } });
    expect(await store.query('SELECT sweep_id FROM sweep_runs')).toEqual([{ sweep_id: 's1' }]);
    store.close();
    await exited;
  }, 20_000);

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(withStoreRetry(() => { calls++; return Promise.reject(new Error('disk full')); }, 5, 1)).rejects.toThrow('disk full');
    expect(calls).toBe(1);
  });
});
