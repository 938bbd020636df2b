import type { ParamPoint } from './space/space.js';

/** Progress of a running sweep (the dictionary's SweepProgressView). */
export interface SweepProgress {
  readonly sweep_id: string;
  readonly done: number;
  readonly total: number;
  /** done / total in [0, 1] (the dictionary's SweepRun.progress). */
  readonly progress: number;
  readonly elapsed_ms: number;
  /** Estimated time left (NaN before the first result). */
  readonly eta_ms: number;
  readonly best: { readonly combo_id: number; readonly params: ParamPoint; readonly sharpe_ratio: number } | undefined;
  /** `running` while combinations run, `statistics` while ranking and DSR/PBO are computed, `done` once. */
  readonly phase: 'running' | 'statistics' | 'done';
}

export type SweepStatus = 'completed' | 'cancelled';
