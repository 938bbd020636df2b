/**
 * The driver's cold-start help: while the pool has not answered, the main thread evaluates chunks
 * itself. Oracle: the inline drive (no pool) of the same plan; the combinations must be identical
 * whichever thread evaluated them. The pool is a stand-in that answers (with a JobEvaluator of its
 * own, as a worker would) only once the main thread has evaluated some combinations, so the test
 * does not depend on timing.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../data/index.js';
import { createSampler } from '../samplers/index.js';
import { ParameterSpace } from '../space/space.js';
import { drive, type DriveOptions, type RawCombo } from './driver.js';
import { JobEvaluator } from './evaluate.js';
import type { SweepPool } from './pool.js';
import type { EvalResult, EvalTask, SweepJob } from './protocol.js';
import type { SweepTarget } from './target.js';

const bars = generateSyntheticBars({ length: 400, seed: 5, interval: '1d' });
const target: SweepTarget = {
  kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, slow))', exit: 'cross_below(sma(close, fast), sma(close, slow))',
  params: { fast: 5, slow: 20 }, backtest: { fill: 'close', commissionBps: 10 },
};
const space = new ParameterSpace({ params: [{ name: 'fast', kind: 'range', start: 2, end: 12, step: 1 }, { name: 'slow', kind: 'range', start: 14, end: 40, step: 2 }] });
const job = (token: string): SweepJob => ({ token, bars, blocks: 4, cacheBytes: 8 * 1024 * 1024 });

/** Counts the combinations an evaluator ran. */
class CountingEvaluator extends JobEvaluator {
  count = 0;
  override evaluate(ids: readonly number[], runs: Parameters<JobEvaluator['evaluate']>[1]): EvalResult {
    this.count += ids.length;
    return super.evaluate(ids, runs);
  }
}

/** A pool whose answers wait until `ready()` holds (or, so a broken driver fails rather than hangs, 5,000 turns of the loop). */
function slowPool(ready: () => boolean): { pool: SweepPool; combos: () => number } {
  let combos = 0;
  let worker: JobEvaluator | undefined;
  const fake = {
    size: 2,
    async run(task: EvalTask): Promise<EvalResult> {
      combos += task.ids.length;
      for (let turns = 0; !ready() && turns < 5000; turns++) await yieldToLoop();
      worker ??= new JobEvaluator(task.job);
      return worker.evaluate(task.ids, task.runs);
    },
  };
  return { pool: fake as unknown as SweepPool, combos: () => combos };
}

const options = (over: Partial<DriveOptions>): DriveOptions => ({
  target, pool: undefined, workers: 2, chunkSize: 4, tpeBatch: 16, signal: undefined, kendall: undefined,
  onProgress: undefined, progressIntervalMs: 1000, sweepId: 'sw_test', ...over,
});

const strip = (c: readonly RawCombo[]): unknown => c.map((r) => ({ ...r, metrics: Array.from(r.metrics), blocks: Array.from(r.blocks) }));

describe('drive: the main thread helps a cold pool', () => {
  it('evaluates chunks itself until the pool first answers; every combination equals the inline run', async () => {
    const inline = await drive(job('t-inline'), createSampler('grid', space), options({}));
    expect(inline.combos.length).toBe(11 * 14);

    const main = new CountingEvaluator(job('t-main'));
    const { pool, combos } = slowPool(() => main.count >= 12);
    const mixed = await drive(job('t-mixed'), createSampler('grid', space), options({ pool, main }));
    // The pool got its queue (4 tasks per worker) and everything after the first answer; this thread
    // took chunks while waiting, and only then (not every chunk: it stopped once the pool answered).
    expect(main.count).toBeGreaterThanOrEqual(12);
    expect(main.count).toBeLessThan(11 * 14);
    expect(combos() + main.count).toBe(11 * 14);
    expect(strip(mixed.combos)).toEqual(strip(inline.combos));
    expect(mixed.best).toEqual(inline.best);
  });

  it('never helps without a main evaluator (the pool does everything)', async () => {
    const { pool, combos } = slowPool(() => true);
    const r = await drive(job('t-pool'), createSampler('grid', space), options({ pool }));
    expect(combos()).toBe(11 * 14);
    expect(r.combos.map((c) => c.id)).toEqual(Array.from({ length: 11 * 14 }, (_, i) => i));
  });
});
