import { SigmatiqError } from '../errors.js';

/** Error codes of the training context (docs/training.md, "Error codes"). */
export const TRAIN_ERROR_CODES = [
  'TRAIN_GATE_FAILED',
  'TRAIN_BAD_INPUT',
  'TRAIN_BAD_PARAM',
  'TRAIN_NO_DATA',
  'TRAIN_ONE_CLASS',
  'TRAIN_LEAKAGE',
  'TRAIN_NOT_CONVERGED',
  'TRAIN_ARTIFACT_INVALID',
  'TRAIN_CANCELLED',
  'TRAIN_WORKER_FAILED',
] as const;
export type TrainErrorCode = (typeof TRAIN_ERROR_CODES)[number];

export function trainError(code: TrainErrorCode, message: string, details: Record<string, unknown> = {}): SigmatiqError {
  return new SigmatiqError(code, message, details);
}

/** Throw TRAIN_BAD_PARAM unless `ok`. */
export function checkParam(ok: boolean, parameter: string, message: string, value?: unknown): void {
  if (!ok) throw trainError('TRAIN_BAD_PARAM', `${parameter}: ${message}`, { parameter, value });
}
