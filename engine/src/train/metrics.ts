/**
 * Classification metrics in the Sigmatiq TrainingMetrics shape (dictionary section F):
 * accuracy, precision, recall, F1 at a probability threshold (default 0.5), and AUC-ROC
 * (Mann–Whitney U with average ranks for ties, = scikit-learn's roc_auc_score).
 * Precision/recall/F1 with a zero denominator are 0 (scikit-learn's zero_division=0); AUC with a
 * single class is undefined and reported as null.
 */
import { trainError } from './errors.js';

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** null when the labels hold one class only (AUC undefined). */
  readonly auc_roc: number | null;
  readonly rows: number;
  readonly positives: number;
}

export interface TrainingMetrics {
  readonly job_id: string;
  readonly training: ClassificationMetrics;
  readonly validation: ClassificationMetrics;
}

/** AUC-ROC by average ranks (ties share their mean rank). NaN when y holds a single class. */
export function aucRoc(y: Uint8Array, score: Float64Array): number {
  const n = y.length;
  if (score.length !== n) throw trainError('TRAIN_BAD_INPUT', `aucRoc: ${score.length} scores for ${n} labels`, { field: 'score' });
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const v = score[order[i] as number] as number;
    while (j + 1 < n && score[order[j + 1] as number] === v) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((y[order[k] as number] as number) === 1) {
        pos++;
        rankSum += avg;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function classificationMetrics(y: Uint8Array, proba: Float64Array, threshold = 0.5): ClassificationMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const pred = (proba[i] as number) >= threshold;
    const pos = (y[i] as number) === 1;
    if (pred && pos) tp++;
    else if (pred) fp++;
    else if (pos) fn++;
    else tn++;
  }
  const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const precision = div(tp, tp + fp);
  const recall = div(tp, tp + fn);
  const auc = aucRoc(y, proba);
  return {
    accuracy: div(tp + tn, y.length),
    precision,
    recall,
    f1: div(2 * precision * recall, precision + recall),
    auc_roc: Number.isNaN(auc) ? null : auc,
    rows: y.length,
    positives: tp + fn,
  };
}

/** Mean binary log loss (probabilities clipped to [1e-15, 1 − 1e-15]). */
export function logLoss(y: Uint8Array, proba: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(Math.max(proba[i] as number, 1e-15), 1 - 1e-15);
    s -= (y[i] as number) === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / y.length;
}
