import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../synthetic.js';
import { runSweep } from '../../sweep/run.js';
import { SweepStore } from './sweep-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sweep-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SweepStore (DuckDB file)', () => {
  it('stores one row per (sweep_id, config_hash); a rerun replaces, never double-counts; SQL works', async () => {
    const file = path.join(dir, 'sweeps.duckdb');
    const bars = generateSyntheticBars({ length: 300, seed: 5, interval: '1d' });
    const spec = {
      target: { kind: 'rules' as const, entry: 'cross_above(sma(close, fast), sma(close, slow))', exit: 'cross_below(sma(close, fast), sma(close, slow))', params: { fast: 5, slow: 20 }, backtest: { fill: 'close' as const } },
      space: { params: [{ name: 'fast', kind: 'list' as const, values: [2, 3, 4, 5] }, { name: 'slow', kind: 'list' as const, values: [10, 20, 30] }] },
      pboBlocks: 4,
    };
    const store = await SweepStore.open(file);
    try {
      const r1 = await runSweep(bars, spec, { workers: 0, store });
      expect(await store.count(r1.sweep_id)).toBe(12);
      const r2 = await runSweep(bars, spec, { workers: 0, store });
      expect(r2.sweep_id).toBe(r1.sweep_id);
      expect(await store.count()).toBe(12);
      await store.writeCombos('other', r1.results.slice(0, 3));
      expect(await store.count()).toBe(15);
      const top = await store.top(r1.sweep_id, 5);
      expect(top.map((t) => t['rank'])).toEqual([1, 2, 3, 4, 5]);
      const best = r1.results[0];
      expect(top[0]?.['config_hash']).toBe(best?.config_hash);
      expect(top[0]?.['sharpe_ratio']).toBe(best?.metrics?.sharpe_ratio);
      expect(JSON.parse(String(top[0]?.['params']))).toEqual(best?.params);
      const byGate = await store.query('SELECT gate, count(*)::INTEGER AS n FROM sweep_combos WHERE sweep_id = $1 GROUP BY gate ORDER BY gate', [r1.sweep_id]);
      expect(byGate.reduce((a, row) => a + Number(row['n']), 0)).toBe(12);
      // runSweep wrote the SweepRun summary too (status, counts, DSR/PBO with inputs).
      const runs = await store.query('SELECT summary FROM sweep_runs WHERE sweep_id = $1', [r1.sweep_id]);
      expect(runs.length).toBe(1);
      const summary = JSON.parse(String(runs[0]?.['summary'])) as { status: string; evaluated: number; statistics: { trials: number } };
      expect(summary).toMatchObject({ status: 'completed', evaluated: 12, statistics: { trials: r1.statistics.trials } });
    } finally {
      store.close();
    }
    // Reopening the file sees the same rows.
    const again = await SweepStore.open(file);
    try {
      expect(await again.count()).toBe(15);
    } finally {
      again.close();
    }
  });
});
