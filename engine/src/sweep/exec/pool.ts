/**
 * The worker-thread pool (piscina), sized to the machine by default. Workers run compiled
 * JavaScript: the pool loads engine/dist/sweep/exec/worker.js, so build first (`npx tsc -b engine`;
 * the project's `npm test` builds before testing).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { SweepError } from '../errors.js';
import type { EvalResult, EvalTask } from './protocol.js';

export function defaultWorkers(): number {
  return availableParallelism();
}

/** worker.js beside this file when running from dist; else the built copy in engine/dist. */
export function workerFile(): string {
  const here = path.join(__dirname, 'worker.js');
  if (existsSync(here)) return here;
  const built = path.resolve(__dirname, '..', '..', '..', 'dist', 'sweep', 'exec', 'worker.js');
  if (existsSync(built)) return built;
  throw new SweepError('WORKER_FAILED', `the sweep worker ${built} is missing: build the engine first (npx tsc -b engine)`, { file: built });
}

export class SweepPool {
  private readonly pool: Piscina<EvalTask, EvalResult>;
  constructor(readonly size: number) {
    this.pool = new Piscina<EvalTask, EvalResult>({ filename: workerFile(), minThreads: size, maxThreads: size, idleTimeout: 1000 });
  }
  run(task: EvalTask, signal?: AbortSignal): Promise<EvalResult> {
    return this.pool.run(task, signal === undefined ? {} : { signal });
  }
  async close(): Promise<void> {
    await this.pool.close({ force: true });
  }
}
