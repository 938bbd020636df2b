/**
 * Worker-thread entry of validateRunAsync (validation-run.ts; loaded from kernel/dist: build with
 * `npm run build`): runs the engine's validateRun (permutation test, bootstrap) on the input it is given
 * and posts the record and payload back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isSigmatiqError, validateRun, type ValidateRunInput } from '@sigmatiq/engine';

try {
  parentPort?.postMessage({ kind: 'done', result: validateRun(workerData as ValidateRunInput) });
} catch (e) {
  parentPort?.postMessage({
    kind: 'error',
    error: isSigmatiqError(e)
      ? { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: { ...e.details } }) }
      : { code: 'VALIDATE_WORKER_FAILED', message: e instanceof Error ? e.message : String(e) },
  });
}
