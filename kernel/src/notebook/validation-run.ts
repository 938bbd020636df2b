/**
 * validateRunAsync: the engine's validateRun (permutations and bootstrap resamples, seconds on minute
 * data) on a worker thread, so the kernel thread stays free while it computes: sockets to the sidecar stay
 * serviced and a kernel interrupt stops it at once (the worker is terminated: nothing was stored yet, and
 * the same configuration computes the same numbers when run again). The result is the same as
 * validateRun's (same code, same input, seeds from the config).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SigmatiqError, type ValidateRunInput, type validateRun } from '@sigmatiq/engine';

type Result = ReturnType<typeof validateRun>;
type Message = { kind: 'done'; result: Result } | { kind: 'error'; error: { code: string; message: string; details?: Record<string, unknown> } };

/** validation-worker.js beside this file when running from dist; else the built copy in kernel/dist. */
export function validationWorkerFile(): string {
  const here = path.join(__dirname, 'validation-worker.js');
  if (existsSync(here)) return here;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'notebook', 'validation-worker.js');
  if (existsSync(built)) return built;
  throw new SigmatiqError('VALIDATE_WORKER_FAILED', `the validation worker ${built} is missing: build first (npm run build)`, { file: built });
}

/** validateRun on a worker thread; `signal` aborts it (VALIDATE_CANCELLED); a dead worker gives VALIDATE_WORKER_FAILED. */
export function validateRunAsync(input: ValidateRunInput, signal?: AbortSignal): Promise<Result> {
  if (signal?.aborted === true) return Promise.reject(cancelled());
  let worker: Worker;
  try {
    worker = new Worker(validationWorkerFile(), { workerData: input });
  } catch (e) {
    return Promise.reject(e instanceof SigmatiqError ? e : new SigmatiqError('VALIDATE_WORKER_FAILED', `the validation input cannot be sent to the worker: ${e instanceof Error ? e.message : String(e)}`, {}));
  }
  return new Promise<Result>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
      void worker.terminate();
    };
    const onAbort = (): void => finish(() => reject(cancelled()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: Message) => {
      finish(() => (m.kind === 'done' ? resolve(m.result) : reject(new SigmatiqError(m.error.code, m.error.message, m.error.details))));
    });
    worker.on('messageerror', (e) => finish(() => reject(new SigmatiqError('VALIDATE_WORKER_FAILED', `a message from the validation worker could not be read: ${e.message}`, {}))));
    worker.on('error', (e: Error & { code?: string }) => finish(() => reject(new SigmatiqError('VALIDATE_WORKER_FAILED', `the validation worker failed: ${e.message}`, e.code === undefined ? {} : { cause_code: e.code }))));
    worker.on('exit', (code) => finish(() => reject(new SigmatiqError('VALIDATE_WORKER_FAILED', `the validation worker exited (code ${code}) without a result`, { exit_code: code }))));
  });
}

function cancelled(): SigmatiqError {
  return new SigmatiqError('VALIDATE_CANCELLED', 'the validation was interrupted before it finished: nothing was stored', {});
}
