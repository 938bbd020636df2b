/**
 * The worker-thread pool (piscina), sized to the machine by default. Workers run compiled
 * JavaScript: the pool loads engine/dist/sweep/exec/worker.js, so build first (`npm run build`;
 * the project's `npm test` builds before testing).
 *
 * One pool per size is kept by the process (`sharedSweepPool`) and reused by later sweeps: a
 * notebook's next sweep starts on workers that have loaded the engine and compiled its hot loops
 * (~0.3 s saved per sweep). Idle workers do not keep the process alive (piscina unrefs them) and
 * exit after `IDLE_MS` without work, which also frees their indicator caches.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { SweepError } from '../errors.js';
import { pboFromLogits, pboWorkParts, type BlockStats, type PboResult } from '../stats/pbo.js';
import type { EvalResult, EvalTask, PboTask } from './protocol.js';

export function defaultWorkers(): number {
  return availableParallelism();
}

/** worker.js beside this file when running from dist; else the built copy in engine/dist. */
export function workerFile(): string {
  const here = path.join(__dirname, 'worker.js');
  if (existsSync(here)) return here;
  const built = path.resolve(__dirname, '..', '..', '..', 'dist', 'sweep', 'exec', 'worker.js');
  if (existsSync(built)) return built;
  throw new SweepError('WORKER_FAILED', `the sweep worker ${built} is missing: build the engine first (npm run build)`, { file: built });
}

/** Idle time after which a worker of a shared pool exits. */
export const IDLE_MS = 30_000;

const shared = new Map<number, SweepPool>();

/** The process's pool of `size` workers: created on first use, kept for later sweeps (see the file comment). */
export function sharedSweepPool(size: number): SweepPool {
  let p = shared.get(size);
  if (p === undefined) {
    p = new SweepPool(size, { minThreads: 0, idleTimeout: IDLE_MS });
    shared.set(size, p);
  }
  return p;
}

/** Closes the shared pools (tests and tools that want no worker left; a later sweep makes new ones). */
export async function closeSharedSweepPools(): Promise<void> {
  const pools = [...shared.values()];
  shared.clear();
  await Promise.all(pools.map(async (p) => p.close()));
}

export class SweepPool {
  private readonly pool: Piscina<EvalTask | PboTask, EvalResult | Float64Array>;
  constructor(readonly size: number, opts: { minThreads?: number; idleTimeout?: number } = {}) {
    this.pool = new Piscina<EvalTask | PboTask, EvalResult | Float64Array>({ filename: workerFile(), minThreads: opts.minThreads ?? size, maxThreads: size, idleTimeout: opts.idleTimeout ?? 1000 });
    // piscina emits 'error' ("Unexpected message from Worker") when a worker answers a task that was aborted
    // meanwhile (a cancelled sweep); with no listener that is an uncaught exception in the caller's process.
    // The late answer is dropped, as the abort already decided.
    this.pool.on('error', () => undefined);
  }
  async run(task: EvalTask, signal?: AbortSignal): Promise<EvalResult> {
    const r = await this.pool.run(task, signal === undefined ? {} : { signal });
    if (r instanceof Float64Array) throw new SweepError('WORKER_FAILED', 'a sweep worker answered an evaluation task with PBO data', {});
    return r;
  }
  /** The PBO shares on every worker at once; merged into one λ array (the same as one thread's). */
  async pbo(stats: BlockStats): Promise<PboResult> {
    const parts = pboWorkParts(stats.blocks, this.size);
    const shares = await Promise.all(parts.map(async (prefixes) => {
      const r = await this.pool.run({ stats, prefixes }, { name: 'pboTask' });
      if (!(r instanceof Float64Array)) throw new SweepError('WORKER_FAILED', 'a sweep worker answered a PBO task with evaluation data', {});
      return r;
    }));
    const logits = new Float64Array(shares[0]?.length ?? 0).fill(Number.NaN);
    for (const share of shares) share.forEach((l, i) => { if (!Number.isNaN(l)) logits[i] = l; });
    return pboFromLogits(stats, logits);
  }
  async close(): Promise<void> {
    await this.pool.close({ force: true });
  }
}
