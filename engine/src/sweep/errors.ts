/**
 * Sweep reason codes (SWS-1001…4001) and the SweepError every sweep failure is thrown as.
 *
 * The ranges: 1xxx = the request (caps, tier, space, sampler, gates, options), 2xxx = the data,
 * 3xxx = execution (a combination, the worker pool, the store), 4001 = cancelled.
 * Each code is documented in docs/sweeps.md; the table below is the single source.
 * A SweepError is a SigmatiqError whose `code` is the UPPER_SNAKE name and whose
 * `details.reason_code` is the SWS code, so it maps onto the dictionary's SweepError record
 * (sweep_id, reason_code, message, detail) through `toSweepErrorRecord`.
 */
import { SigmatiqError } from '../errors.js';

export const SWS = {
  /** The planned number of combinations exceeds the cap of the sweep type and plan tier. */
  CAP_EXCEEDED: 'SWS-1001',
  /** The plan tier does not allow this sweep type (free tier: simple only). */
  TIER_NOT_ALLOWED: 'SWS-1002',
  /** The parameter space is malformed (empty list, bad range or step, log range ≤ 0, duplicate name…). */
  INVALID_SPACE: 'SWS-1003',
  /** The conditions leave no combination. */
  EMPTY_SPACE: 'SWS-1004',
  /** A condition does not parse or names an undeclared parameter. */
  INVALID_CONDITION: 'SWS-1005',
  /** Unknown sampler, or trials / seed / batch out of range. */
  INVALID_SAMPLER: 'SWS-1006',
  /** A gate threshold or tolerance is invalid. */
  INVALID_GATES: 'SWS-1007',
  /** A swept parameter is not a named parameter of the strategy. */
  UNKNOWN_PARAMETER: 'SWS-1008',
  /** An option is invalid (workers, pruning, statistics, sweep type, tier). */
  INVALID_OPTIONS: 'SWS-1009',
  /** Too few bars: fewer than the CSCV blocks need, or fewer than two return bars. */
  INSUFFICIENT_DATA: 'SWS-2001',
  /** The bars violate the Bars invariants (lengths differ, non-finite close…). */
  INVALID_BARS: 'SWS-2002',
  /** One combination failed (its strategy did not compile or its backtest threw); recorded per combination. */
  COMBO_FAILED: 'SWS-3001',
  /** Every combination failed: nothing to rank. */
  ALL_COMBOS_FAILED: 'SWS-3002',
  /** The worker pool failed (worker file missing — build with `npm run build` — or a worker crashed). */
  WORKER_FAILED: 'SWS-3003',
  /** The sweep store could not write or read the results, or the onCombinations hook threw. */
  STORE_FAILED: 'SWS-3004',
  /** The sweep was cancelled through its AbortSignal; partial results are kept. */
  CANCELLED: 'SWS-4001',
} as const;

export type SwsName = keyof typeof SWS;
export type SwsCode = (typeof SWS)[SwsName];

/** The SigmatiqError code for each SWS name: `SWEEP_` + the name. */
export function sweepErrorCode(name: SwsName): string {
  return `SWEEP_${name}`;
}

export class SweepError extends SigmatiqError {
  readonly reasonCode: SwsCode;

  constructor(name: SwsName, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    const reasonCode = SWS[name];
    super(sweepErrorCode(name), `${reasonCode} ${message}`, { ...details, reason_code: reasonCode }, options);
    this.name = 'SweepError';
    this.reasonCode = reasonCode;
  }
}

/** The dictionary's SweepError record (section E). */
export interface SweepErrorRecord {
  readonly sweep_id: string;
  readonly reason_code: SwsCode;
  readonly message: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function toSweepErrorRecord(sweepId: string, err: SweepError): SweepErrorRecord {
  return { sweep_id: sweepId, reason_code: err.reasonCode, message: err.message, detail: err.details ?? {} };
}

export function isSweepError(value: unknown): value is SweepError {
  return value instanceof SweepError;
}
