/**
 * Worker-thread entry of runTrainingJobAsync (run-async.ts; loaded from engine/dist: build with
 * `npm run build`). Runs one TrainingJob with the synchronous runTrainingJob, posts every progress
 * snapshot as it happens and the outcome at the end. Cancellation: the job polls `signal.aborted`
 * between steps and CV folds while this thread is busy, so the flag cannot come as a message (the
 * thread's event loop is blocked); it is an Int32 in a SharedArrayBuffer that the main thread sets
 * with Atomics.store and the signal's `aborted` reads with Atomics.load.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isSigmatiqError } from '../errors.js';
import { runTrainingJob } from './job.js';
import type { WorkerInput, WorkerMessage } from './run-async.js';

/** A real AbortSignal whose `aborted` reads the shared flag (an own getter over the prototype's). */
function sharedFlagSignal(flag: Int32Array): AbortSignal {
  const signal = new AbortController().signal;
  Object.defineProperty(signal, 'aborted', { get: () => Atomics.load(flag, 0) === 1 });
  return signal;
}

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

const input = workerData as WorkerInput;
try {
  const outcome = runTrainingJob({ ...input.req, signal: sharedFlagSignal(new Int32Array(input.flag)), onProgress: (job) => post({ kind: 'progress', job }) });
  post({ kind: 'done', outcome });
} catch (e) {
  // Checks made before a job exists (gate status, label spec, threshold) throw in the synchronous API too.
  post({
    kind: 'error',
    error: isSigmatiqError(e)
      ? { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: { ...e.details } }) }
      : { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) },
  });
}
