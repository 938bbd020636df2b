/**
 * Feature importance in the Sigmatiq FeatureImportance shape (dictionary section F):
 * - gain: GBDT, the summed split gain of each feature (LightGBM's importance_type='gain');
 *   logistic regression, |coefficient| on standardized features. Normalized to sum 1.
 * - permutation: mean drop of AUC-ROC on held-out rows when one feature's values are shuffled
 *   (seeded, `repeats` shuffles), Breiman (2001) / scikit-learn's permutation_importance.
 */
import { createRng } from '../random/index.js';
import type { FeatureMatrix } from './matrix.js';
import { aucRoc } from './metrics.js';

export interface FeatureImportanceItem {
  readonly feature: string;
  /** Gain share (sums to 1 over features). */
  readonly importance: number;
  /** Mean AUC drop when the feature is permuted (may be < 0 for useless features). */
  readonly permutation: number;
}

export interface FeatureImportance {
  readonly trained_model_id: string;
  readonly items: readonly FeatureImportanceItem[];
}

export function normalizeGain(raw: readonly number[]): number[] {
  const total = raw.reduce((a, b) => a + Math.abs(b), 0);
  return raw.map((g) => (total > 0 ? Math.abs(g) / total : 0));
}

export function permutationImportance(predict: (x: FeatureMatrix) => Float64Array, x: FeatureMatrix, y: Uint8Array, seed: number, repeats = 3): number[] {
  const base = aucRoc(y, predict(x));
  const rng = createRng(seed);
  return x.columns.map((col, j) => {
    let drop = 0;
    for (let r = 0; r < repeats; r++) {
      const perm = rng.shuffle(Array.from({ length: x.rows }, (_, i) => i));
      const shuffled = Float64Array.from(perm, (i) => col[i] as number);
      const columns = x.columns.map((c, k) => (k === j ? shuffled : c));
      drop += base - aucRoc(y, predict({ names: x.names, columns, rows: x.rows }));
    }
    return Number.isFinite(drop) ? drop / repeats : 0;
  });
}
