/**
 * SweepOptions.onCombinations: rows streamed while the sweep runs. Oracle: the sweep's own final
 * `results` (ranked), stripped of rank and kept — the streamed union must equal them field for field
 * (toStrictEqual: NaN equals NaN, -0 differs from 0, so "bit for bit" for numbers), for 0, 1 and 2
 * workers, with the Kendall stop (no row dropped later is ever delivered) and when cancelled.
 * The pool runs engine/dist (npm test builds first; `npm run build`).
 */
import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../data/index.js';
import { SweepError } from './errors.js';
import { runSweep, type SweepResult } from './run.js';
import type { CombinationRow, SweepOptions, SweepSpec } from './spec.js';

const bars = generateSyntheticBars({ length: 500, seed: 5, interval: '1d' });
const spec = (over: Partial<SweepSpec> = {}): SweepSpec => ({
  target: {
    kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, slow))', exit: 'cross_below(sma(close, fast), sma(close, slow))',
    params: { fast: 5, slow: 20 }, backtest: { fill: 'close', commissionBps: 10, commissionFixed: 0, slippageBps: 0 },
  },
  space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 14, step: 3 }, { name: 'slow', kind: 'range', start: 10, end: 40, step: 5 }], conditions: ['fast < slow'] },
  type: 'custom', tier: 'premium', pboBlocks: 4, gates: { thresholds: { min_trades: 5 } },
  ...over,
});

async function streamed(s: SweepSpec, options: SweepOptions): Promise<{ result: SweepResult; batches: CombinationRow[][] }> {
  const batches: CombinationRow[][] = [];
  const result = await runSweep(bars, s, { ...options, onCombinations: (rows) => batches.push([...rows]) });
  return { result, batches };
}

/** The final rows as the stream must have delivered them: combination-id order, without rank and kept. */
const finalRows = (r: SweepResult): CombinationRow[] =>
  [...r.results].sort((a, b) => a.combo_id - b.combo_id).map(({ rank: _r, kept: _k, ...row }) => row);

function checkStream(result: SweepResult, batches: CombinationRow[][]): void {
  const all = batches.flat();
  // Each batch is in id order, each id exactly once, and no row carries a rank or a kept flag.
  for (const b of batches) for (let i = 1; i < b.length; i++) expect((b[i]?.combo_id ?? -1) > (b[i - 1]?.combo_id ?? -1)).toBe(true);
  expect(new Set(all.map((r) => r.combo_id)).size).toBe(all.length);
  for (const r of all) {
    expect('rank' in r).toBe(false);
    expect('kept' in r).toBe(false);
  }
  expect([...all].sort((a, b) => a.combo_id - b.combo_id)).toStrictEqual(finalRows(result));
}

describe('runSweep onCombinations (streamed rows)', () => {
  it('delivers every final row exactly once, equal field for field, with 0, 1 and 2 workers', async () => {
    const s = spec();
    const runs = await Promise.all([0, 1, 2].map((workers) => streamed(s, { workers, chunkSize: 2 })));
    for (const { result, batches } of runs) {
      expect(result.evaluated).toBe(33); // 5 fast x 7 slow, minus (11, 10) and (14, 10)
      // Inline, each chunk is delivered as it finishes (on the pool, batch boundaries follow timing).
      if (result.timing.workers === 0) expect(batches.length).toBe(17); // ceil(33 / 2) chunks
      checkStream(result, batches);
    }
    // The union does not depend on the worker count.
    const unions = runs.map(({ batches }) => batches.flat().sort((a, b) => a.combo_id - b.combo_id));
    expect(unions[1]).toStrictEqual(unions[0]);
    expect(unions[2]).toStrictEqual(unions[0]);
  });

  it('with the Kendall stop and Pareto pruning: only kept-by-the-stop rows, gates final', async () => {
    const s = spec({
      sampler: 'random', trials: 300, seed: 3,
      space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 40, step: 1 }, { name: 'slow', kind: 'range', start: 20, end: 120, step: 2 }], conditions: ['fast < slow'] },
      pruning: { pareto: true, kendall: { window: 25, topN: 3, checks: 2, threshold: 0.95 } },
    });
    for (const workers of [0, 2]) {
      const { result, batches } = await streamed(s, { workers, chunkSize: 3 });
      expect(result.pruning.kendall.stopped).toBe(true);
      expect(result.evaluated).toBeLessThan(300);
      expect(result.results.some((r) => !r.kept)).toBe(true); // Pareto pruned some: kept is set after the stream
      checkStream(result, batches);
    }
  });

  it('a cancelled sweep streams exactly its partial results', async () => {
    for (const workers of [0, 2]) {
      const ac = new AbortController();
      const batches: CombinationRow[][] = [];
      const result = await runSweep(bars, spec(), {
        workers, chunkSize: 1, signal: ac.signal,
        onCombinations: (rows) => { batches.push([...rows]); ac.abort(); },
      });
      expect(result.status).toBe('cancelled');
      // Inline, the abort lands after the first chunk; on the pool, the first delivery waits for
      // combination 0, so how many finished by then depends on timing (the stream must match anyway).
      if (workers === 0) expect(result.evaluated).toBe(1);
      checkStream(result, batches);
    }
  });

  it('a throwing hook stops the sweep with SWS-3004', async () => {
    const err = await runSweep(bars, spec(), { workers: 0, chunkSize: 1, onCombinations: () => { throw new Error('sink down'); } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweepError);
    expect((err as SweepError).reasonCode).toBe('SWS-3004');
    expect((err as SweepError).message).toContain('sink down');
  });
});
