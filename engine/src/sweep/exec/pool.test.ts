/**
 * The shared worker pool: kept by the process for later sweeps. Oracle: the inline run (workers: 0)
 * of the same sweep, row for row (toStrictEqual), before and after a cancelled sweep on the pool.
 * The pool runs engine/dist (npm test builds first; `npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../data/index.js';
import { runSweep } from '../run.js';
import type { SweepSpec } from '../spec.js';
import { closeSharedSweepPools, sharedSweepPool, workerFile } from './pool.js';

const bars = generateSyntheticBars({ length: 800, seed: 9, interval: '1d' });
const spec: SweepSpec = {
  target: { kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, slow))', exit: 'cross_below(sma(close, fast), sma(close, slow))', params: { fast: 5, slow: 20 } },
  space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 20, step: 1 }, { name: 'slow', kind: 'range', start: 10, end: 60, step: 5 }], conditions: ['fast < slow'] },
  type: 'custom', tier: 'pro', pboBlocks: 8,
};

afterAll(async () => {
  await closeSharedSweepPools();
});

describe('shared sweep pool', () => {
  it('is one pool per size, reused by later sweeps, and stays usable after a cancelled sweep', async () => {
    expect(sharedSweepPool(2)).toBe(sharedSweepPool(2));
    const inline = await runSweep(bars, spec, { workers: 0 });
    const first = await runSweep(bars, spec, { workers: 2 });
    expect(first.results).toStrictEqual(inline.results);
    expect(first.statistics.pbo?.pbo).toBe(inline.statistics.pbo?.pbo);
    const ac = new AbortController();
    const cancelled = await runSweep(bars, spec, { workers: 2, chunkSize: 4, signal: ac.signal, onProgress: () => ac.abort() });
    expect(cancelled.status).toBe('cancelled');
    const again = await runSweep(bars, spec, { workers: 2 });
    expect(again.results).toStrictEqual(inline.results);
  });

  it('closeSharedSweepPools ends the pools; the next sweep makes a new one', async () => {
    const before = sharedSweepPool(2);
    await closeSharedSweepPools();
    expect(sharedSweepPool(2)).not.toBe(before);
    const r = await runSweep(bars, spec, { workers: 2 });
    expect(r.status).toBe('completed');
  });

  it('workers load a small module graph: no zod, DuckDB, YAML or pack code (each costs every worker its start-up time)', () => {
    // A fresh process loads the worker entry alone and lists every module it pulled in.
    const script = `require(${JSON.stringify(workerFile())}); console.log(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    expect(loaded.some((f) => f.endsWith('worker.js'))).toBe(true);
    const heavy = loaded.filter((f) => /node_modules[\\/](zod|@duckdb|yaml|js-yaml)[\\/]|[\\/]dist[\\/](packs|data[\\/]duckdb|store)[\\/]/.test(f));
    expect(heavy).toEqual([]);
  });
});
