/**
 * Standardization as scikit-learn's StandardScaler: mean and population standard deviation
 * (ddof 0) per feature, learned on the training rows only; a constant feature gets scale 1.
 */
import type { FeatureMatrix } from './matrix.js';

export interface Scaler {
  readonly mean: readonly number[];
  readonly scale: readonly number[];
}

export function fitScaler(x: FeatureMatrix): Scaler {
  const mean: number[] = [];
  const scale: number[] = [];
  for (const c of x.columns) {
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i] as number;
    const m = s / c.length;
    let ss = 0;
    for (let i = 0; i < c.length; i++) {
      const d = (c[i] as number) - m;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / c.length);
    mean.push(m);
    scale.push(sd > 0 && Number.isFinite(sd) ? sd : 1);
  }
  return { mean, scale };
}

export function applyScaler(s: Scaler, x: FeatureMatrix): FeatureMatrix {
  const columns = x.columns.map((c, j) => {
    const m = s.mean[j] ?? 0;
    const sd = s.scale[j] ?? 1;
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = ((c[i] as number) - m) / sd;
    return out;
  });
  return { names: x.names, columns, rows: x.rows };
}
