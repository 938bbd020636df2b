/**
 * Time-ordered cross-validation with purging and an embargo (López de Prado, Advances in
 * Financial Machine Learning, ch. 7). Samples are in time order; sample i's label spans
 * [start[i], end[i]] (times in ms).
 *
 * - `kfold` (default): the samples are cut into `folds` contiguous blocks; each block is the test
 *   set once, the training set is every other sample minus the purged and embargoed ones.
 * - `expanding`: scikit-learn's TimeSeriesSplit: `folds` test blocks at the end, each trained on
 *   everything before it.
 * Purging drops a training sample whose label interval overlaps the test period
 * [start of the first test sample, max end of the test labels]. The embargo also drops training
 * samples that start within `embargoMs` after the test period's end (their features overlap
 * the test labels' outcome). Deterministic: no shuffling, so no seed is needed.
 */
import { checkParam, trainError } from './errors.js';

export interface CvOptions {
  readonly folds?: number;
  readonly embargoMs?: number;
  readonly mode?: 'kfold' | 'expanding';
}

export interface Fold {
  readonly index: number;
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly purged: number;
  readonly embargoed: number;
}

export const DAY_MS = 86_400_000;

export function purgedFolds(start: Float64Array, end: Float64Array, opts: CvOptions = {}): Fold[] {
  const k = opts.folds ?? 5;
  const embargo = opts.embargoMs ?? DAY_MS;
  const mode = opts.mode ?? 'kfold';
  const n = start.length;
  checkParam(Number.isInteger(k) && k >= 2, 'folds', `must be an integer ≥ 2, got ${k}`, k);
  checkParam(Number.isFinite(embargo) && embargo >= 0, 'embargo', `must be ≥ 0 ms, got ${embargo}`, embargo);
  if (end.length !== n) throw trainError('TRAIN_BAD_INPUT', `cv: ${end.length} label ends for ${n} samples`, { field: 'end' });
  for (let i = 1; i < n; i++) {
    if (!((start[i] as number) > (start[i - 1] as number))) throw trainError('TRAIN_BAD_INPUT', `cv: sample times must be strictly increasing (row ${i})`, { field: 'start', row: i });
  }
  const blocks = mode === 'kfold' ? k : k + 1;
  if (n < blocks * 2) throw trainError('TRAIN_NO_DATA', `cv: ${n} samples are too few for ${k} folds`, { rows: n, folds: k });
  const bounds = Array.from({ length: blocks + 1 }, (_, b) => Math.floor((b * n) / blocks));
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const blk = mode === 'kfold' ? f : f + 1;
    const t0 = bounds[blk] as number;
    const t1 = bounds[blk + 1] as number;
    const testStart = start[t0] as number;
    let testEnd = -Infinity;
    for (let i = t0; i < t1; i++) testEnd = Math.max(testEnd, end[i] as number, start[i] as number);
    const train: number[] = [];
    let purged = 0;
    let embargoed = 0;
    const limit = mode === 'kfold' ? n : t0;
    for (let i = 0; i < limit; i++) {
      if (i >= t0 && i < t1) continue;
      const s = start[i] as number;
      const e = end[i] as number;
      if (s <= testEnd && e >= testStart) purged++;
      else if (s > testEnd && s <= testEnd + embargo) embargoed++;
      else train.push(i);
    }
    folds.push({ index: f, train: Int32Array.from(train), test: Int32Array.from({ length: t1 - t0 }, (_, q) => t0 + q), purged, embargoed });
  }
  return folds;
}
