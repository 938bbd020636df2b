/**
 * runTrainingJobAsync: one TrainingJob on a worker thread (worker.ts, compiled to engine/dist), so the
 * caller's thread stays free: progress snapshots arrive while the job runs, an AbortSignal aborted
 * meanwhile reaches the job at its next check (between steps and CV folds), and the caller's sockets
 * keep being serviced. Same code, same inputs: the outcome is bit-identical to runTrainingJob's
 * (artifact bytes and sha256, metrics, out-of-fold probabilities).
 *
 * The request crosses by structured clone (bars columns are copied; pack, model and label are data).
 * `extraFeatures` are code and cannot cross: TRAIN_BAD_PARAM (use runTrainingJob for them). A worker
 * that dies without answering (uncaught error, out of memory, exit) rejects with TRAIN_WORKER_FAILED.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { SigmatiqError } from '../errors.js';
import { trainError } from './errors.js';
import type { TrainingJob, TrainingOutcome, TrainingRequest } from './job.js';

/** What the worker receives as workerData. */
export interface WorkerInput {
  readonly req: Omit<TrainingRequest, 'signal' | 'onProgress' | 'extraFeatures'>;
  /** One Int32 (0 = running, 1 = cancel requested), shared with the worker. */
  readonly flag: SharedArrayBuffer;
}

type ErrorShape = { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> } | { readonly name: string; readonly message: string };

/** Messages from the worker, in order: progress snapshots, then one `done` or `error`. */
export type WorkerMessage =
  | { readonly kind: 'progress'; readonly job: TrainingJob }
  | { readonly kind: 'done'; readonly outcome: TrainingOutcome }
  | { readonly kind: 'error'; readonly error: ErrorShape };

export interface AsyncTrainingOptions {
  /** Every progress snapshot of the job (the objects runTrainingJob's onProgress gets), in order. */
  readonly onProgress?: (job: TrainingJob) => void;
  /** Cancels the job at its next check: the outcome has status `cancelled` and the partial job state. */
  readonly signal?: AbortSignal;
  /** Memory limits of the worker (Node's ResourceLimits); exceeding them fails with TRAIN_WORKER_FAILED. */
  readonly resourceLimits?: ResourceLimits;
}

/** worker.js beside this file when running from dist; else the built copy in engine/dist. */
export function trainingWorkerFile(): string {
  const here = path.join(__dirname, 'worker.js');
  if (existsSync(here)) return here;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'train', 'worker.js');
  if (existsSync(built)) return built;
  throw trainError('TRAIN_WORKER_FAILED', `the training worker ${built} is missing: build the engine first (npm run build)`, { file: built });
}

function rebuild(e: ErrorShape): Error {
  if ('code' in e) return new SigmatiqError(e.code, e.message, e.details);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** Runs `req` on a worker thread; resolves to the same TrainingOutcome runTrainingJob returns. */
export function runTrainingJobAsync(req: Omit<TrainingRequest, 'signal' | 'onProgress'>, opts: AsyncTrainingOptions = {}): Promise<TrainingOutcome> {
  if (req.extraFeatures !== undefined && req.extraFeatures.length > 0) {
    return Promise.reject(trainError('TRAIN_BAD_PARAM', 'extraFeatures are functions and cannot be sent to the training worker: use runTrainingJob for them', { parameter: 'extraFeatures', features: req.extraFeatures.map((f) => f.name) }));
  }
  // Functions never cross: a caller's full TrainingRequest may still carry them.
  const { extraFeatures: _extra, signal: _signal, onProgress: _onProgress, ...plain } = req as TrainingRequest;
  let file: string;
  try {
    file = trainingWorkerFile();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const flag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const flags = new Int32Array(flag);
  const cancel = (): void => {
    Atomics.store(flags, 0, 1);
  };
  if (opts.signal?.aborted === true) cancel();
  const input: WorkerInput = { req: plain, flag };
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: input, ...(opts.resourceLimits === undefined ? {} : { resourceLimits: opts.resourceLimits }) });
  } catch (e) {
    // DataCloneError: something in the request is not data (a function, a class with private state).
    return Promise.reject(trainError('TRAIN_BAD_INPUT', `the training request cannot be sent to the worker: ${e instanceof Error ? e.message : String(e)}`, { field: 'request' }));
  }
  return new Promise<TrainingOutcome>((resolve, reject) => {
    let settled = false;
    let callbackError: Error | undefined;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', cancel);
      f();
      void worker.terminate();
    };
    opts.signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') {
        try {
          opts.onProgress?.(m.job);
        } catch (e) {
          // A throwing progress callback stops the job (cancel) and is what the call rejects with.
          callbackError ??= e instanceof Error ? e : new Error(String(e));
          cancel();
        }
      } else if (m.kind === 'done') {
        finish(() => (callbackError === undefined ? resolve(m.outcome) : reject(callbackError)));
      } else {
        finish(() => reject(rebuild(m.error)));
      }
    });
    worker.on('messageerror', (e) => finish(() => reject(trainError('TRAIN_WORKER_FAILED', `a message from the training worker could not be read: ${e.message}`, { job_id: req.job_id ?? null }))));
    worker.on('error', (e: Error & { code?: string }) => {
      finish(() => reject(trainError('TRAIN_WORKER_FAILED', `the training worker failed: ${e.message}`, { job_id: req.job_id ?? null, ...(e.code === undefined ? {} : { cause_code: e.code }) })));
    });
    worker.on('exit', (code) => {
      finish(() => reject(trainError('TRAIN_WORKER_FAILED', `the training worker exited (code ${code}) without a result`, { job_id: req.job_id ?? null, exit_code: code })));
    });
  });
}
